package strict

import (
	"bytes"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestParseSignature pins pgpPrtParams2 on signatures (backend.go,
// internal/packet): the parameters of a good packet and the exact lint of
// every refusal, including the size and framing limits.
func TestParseSignature(t *testing.T) {
	b := newTestBackend(t, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	pk := ed25519Key(t, 4, at)
	v6 := ed25519Key(t, 6, at)
	when := at.Add(time.Hour)
	good := sign(t, pk, sigSpec{when: when}, []byte("x"))
	goodV6 := sign(t, v6, sigSpec{when: when, hash: core.HashSHA512}, []byte("x"))

	// v5 signatures are not supported (version octet rewritten).
	v5 := append([]byte(nil), good...)
	v5[2] = 5
	// A v6 signature whose salt does not fit its hash (RFC 9580, 5.2.3).
	badSalt := sign(t, v6, sigSpec{when: when, saltLen: 8}, []byte("x"))
	huge := framePacket(2, make([]byte, MaxSignatureBytes))
	userID := framePacket(13, []byte("Test"))
	truncated := good[:len(good)-10]

	const (
		h      = "Parsing an OpenPGP packet:\n  "
		failed = "Failed to parse Signature Packet\n      because: Malformed packet: "
	)
	tests := []struct {
		name string
		pkt  []byte
		lint string // "" = parses
	}{
		{"v4", good, ""},
		{"v6", goodV6, ""},
		{"empty", nil, h + "Expected an OpenPGP packet, encountered the end of the file"},
		{"larger than the limit", huge, h + "Signature packet is larger than 65535 bytes"},
		{"not a signature", userID, h + "Unexpected OpenPGP packet in this context User ID Packet"},
		{"followed by a packet", append(append([]byte(nil), good...), userID...), h + "Expected a bare OpenPGP signature, but it's followed by a User ID Packet"},
		{"followed by garbage", append(append([]byte(nil), good...), 0x01), h + "Expected a bare OpenPGP signature, but it's followed by a Unknown Packet"},
		{"truncated", truncated, h + failed + "Truncated packet"},
		{"v5", v5, h + failed + "Unsupported signature version 5"},
		{"v6 salt size", badSalt, h + failed + "Salt size 8 does not match SHA256"},
		{"old-format garbage", []byte{0x01, 0x02}, h + "Malformed packet: Invalid CTB: MSB of ptag (0x01) not set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pr, err := b.ParseSignature(tc.pkt)
			if err != nil {
				t.Fatal(err)
			}
			if pr.Lint != tc.lint || pr.OK() != (tc.lint == "") {
				t.Errorf("got ok=%v %q\nwant %q", pr.OK(), pr.Lint, tc.lint)
			}
		})
	}

	pr, _ := b.ParseSignature(good)
	if p := pr.Params; p.Version != 4 || p.PubKeyAlgo != core.PubKeyEd25519 || p.HashAlgo != core.HashSHA256 ||
		!bytes.Equal(p.KeyID[:], pk.keyID()) || !bytes.Equal(p.Fingerprint, pk.fpr()) ||
		p.CreationTime != uint32(when.Unix()) || p.Salt != nil || !bytes.Equal(p.Packet, good) || p.SigType != 0 {
		t.Errorf("v4 params: %+v", p)
	}
	pr, _ = b.ParseSignature(goodV6)
	if p := pr.Params; p.Version != 6 || p.HashAlgo != core.HashSHA512 || len(p.Salt) != 32 ||
		!bytes.Equal(p.KeyID[:], v6.keyID()) || !bytes.Equal(p.Fingerprint, v6.fpr()) {
		t.Errorf("v6 params: %+v", p)
	}
}

// TestCertificateInput pins what the key functions do with input that is
// not a usable certificate, and the certificate size limits.
func TestCertificateInput(t *testing.T) {
	b := newTestBackend(t, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	pk := ed25519Key(t, 4, at)
	c := makeCert(t, pk, certSpec{flags: 0x03})
	userID := framePacket(13, []byte("Test"))

	if n, err := b.CertLen(append(append([]byte(nil), c...), c...)); err != nil || n != len(c) {
		t.Errorf("CertLen of two certificates = %d, %v; want %d", n, err, len(c))
	}
	if _, err := b.CertLen(make([]byte, MaxCertBytes*16+1)); err == nil || err.Error() != "keyring is larger than 16777216 bytes" {
		t.Errorf("CertLen over the limit: %v", err)
	}
	if fpr, err := b.Fingerprint(c); err != nil || !bytes.Equal(fpr, pk.fpr()) {
		t.Errorf("Fingerprint = %x, %v", fpr, err)
	}
	if id, err := b.KeyID(c); err != nil || !bytes.Equal(id[:], pk.keyID()) {
		t.Errorf("KeyID = %v, %v", id, err)
	}
	if _, err := b.Fingerprint(userID); err == nil || err.Error() != "Not a key" {
		t.Errorf("Fingerprint of a User ID: %v", err)
	}
	if _, err := b.KeyID(make([]byte, MaxCertBytes+1)); err == nil || err.Error() != "key is larger than 1048576 bytes" {
		t.Errorf("KeyID over the limit: %v", err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		lint string
	}{
		{"user ID only", userID, "Unexpected OpenPGP packet in this context User ID Packet"},
		{"empty", nil, "Expected an OpenPGP packet, encountered the end of the file"},
	} {
		v, err := b.LintKey(tc.data)
		if want := "Not an OpenPGP certificate: " + tc.lint; err != nil || v.RC != core.RCFail || v.Lint != want {
			t.Errorf("LintKey(%s) = %v %q, %v; want FAIL %q", tc.name, v.RC, v.Lint, err, want)
		}
		pr, err := b.ParseCertificate(tc.data)
		want := "Parsing an OpenPGP packet:\n  Failed to read an OpenPGP certificate\n      because: " + tc.lint
		if err != nil || pr.OK() || pr.Lint != want {
			t.Errorf("ParseCertificate(%s) = %+v, %v; want the lint %q", tc.name, pr, err, want)
		}
	}
}
