package strict

import (
	"bytes"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
)

// TestParserLimits pins the bounds of limits.go: each is refused with its
// own message one step past the limit, and accepted at the limit.
func TestParserLimits(t *testing.T) {
	b := newTestBackend(t, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	pk := ed25519Key(t, 4, at)
	c := makeCert(t, pk, certSpec{flags: 0x03})
	userID := framePacket(13, []byte("Test"))
	when := at.Add(time.Hour)

	// packet.MaxSubpackets: notation-free padding subpackets (type 100, private
	// use, not critical) in the unhashed area.
	pad := func(n int) []byte { return bytes.Repeat(subpacket(100, nil), n) }
	// Two subpackets of the hashed area (creation time, issuer fingerprint)
	// and one unhashed (issuer key ID) are always there.
	atLimit := sign(t, pk, sigSpec{when: when, unhashed: pad(packet.MaxSubpackets - 3)}, []byte("x"))
	overLimit := sign(t, pk, sigSpec{when: when, unhashed: pad(packet.MaxSubpackets - 2)}, []byte("x"))
	if pr, _ := b.ParseSignature(atLimit); !pr.OK() {
		t.Errorf("%d subpackets: %q", packet.MaxSubpackets, pr.Lint)
	}
	want := "Parsing an OpenPGP packet:\n  Failed to parse Signature Packet\n      because: Malformed packet: more than 512 subpackets"
	if pr, _ := b.ParseSignature(overLimit); pr.OK() || pr.Lint != want {
		t.Errorf("%d subpackets: %q\nwant %q", packet.MaxSubpackets+1, pr.Lint, want)
	}

	// packet.MaxEmbeddedDepth: an Embedded Signature inside an embedded signature
	// is not parsed; the embedded signature carrying it is dropped (as an
	// unparseable one is), the outer signature still parses.
	inner := sign(t, pk, sigSpec{sigType: packet.SigPrimaryBinding, when: when}, []byte("x"))
	middle := sign(t, pk, sigSpec{sigType: packet.SigPrimaryBinding, when: when, hashed: embedded(inner)}, []byte("x"))
	for name, sig := range map[string][]byte{"one level": sign(t, pk, sigSpec{when: when, hashed: embedded(inner)}, []byte("x")),
		"two levels": sign(t, pk, sigSpec{when: when, hashed: embedded(middle)}, []byte("x"))} {
		if pr, _ := b.ParseSignature(sig); !pr.OK() {
			t.Errorf("embedded signature, %s: %q", name, pr.Lint)
		}
	}
	p, _, err := packet.ReadPacket(sign(t, pk, sigSpec{when: when, hashed: embedded(middle)}, []byte("x")))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := packet.ParseSignature(p.Body, 0); err != nil || len(s.Embedded) != 0 {
		t.Errorf("two levels: %d embedded signatures kept, %v; want the nested one dropped", len(s.Embedded), err)
	}
	p, _, _ = packet.ReadPacket(sign(t, pk, sigSpec{when: when, hashed: embedded(inner)}, []byte("x")))
	if s, err := packet.ParseSignature(p.Body, 0); err != nil || len(s.Embedded) != 1 {
		t.Errorf("one level: %d embedded signatures kept, %v", len(s.Embedded), err)
	}

	// maxCertPackets: a certificate of the key and maxCertPackets User IDs.
	many := append(append([]byte(nil), c...), bytes.Repeat(userID, maxCertPackets)...)
	if _, err := b.CertLen(many); err == nil || err.Error() != "certificate has more than 4096 packets" {
		t.Errorf("CertLen of %d packets: %v", maxCertPackets+3, err)
	}
	fits := append(append([]byte(nil), c...), bytes.Repeat(userID, maxCertPackets-3)...)
	if n, err := b.CertLen(fits); err != nil || n != len(fits) {
		t.Errorf("CertLen of %d packets = %d, %v", maxCertPackets, n, err)
	}
	v, err := b.LintKey(many)
	if want := "Not an OpenPGP certificate: certificate has more than 4096 packets"; err != nil || v.Lint != want {
		t.Errorf("LintKey of %d packets: %q, %v", maxCertPackets+3, v.Lint, err)
	}

	// MaxCertBytes.
	big := append(append([]byte(nil), c...), framePacket(13, make([]byte, MaxCertBytes))...)
	pr, err := b.ParseCertificate(big)
	if want := "Parsing an OpenPGP packet:\n  Failed to read an OpenPGP certificate\n      because: certificate is larger than 1048576 bytes"; err != nil || pr.Lint != want {
		t.Errorf("ParseCertificate over MaxCertBytes: %q, %v", pr.Lint, err)
	}
}
