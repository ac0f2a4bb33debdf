package gocrypto

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/core"
)

var (
	keyTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	sigTime = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	now     = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	message = []byte("hello rpm\n")
)

func newBackend(t testing.TB) *strict.Backend {
	b := New()
	if err := b.Init(core.Options{Time: now}); err != nil {
		t.Fatal(err)
	}
	return b
}

// verify parses sig and cert and runs VerifySignature over data.
func verify(t *testing.T, b *strict.Backend, cert, sigPkt, data []byte, useSubkey bool) core.Verdict {
	t.Helper()
	pr, err := b.ParseSignature(sigPkt)
	if err != nil || !pr.OK() {
		t.Fatalf("ParseSignature: %v %q", err, pr.Lint)
	}
	d, err := b.NewDigest(pr.Params.HashAlgo)
	if err != nil {
		t.Fatal(err)
	}
	d.Write(pr.Params.Salt)
	d.Write(data)
	var key *core.Params
	if cert != nil {
		kr, err := b.ParseCertificate(cert)
		if err != nil || !kr.OK() {
			t.Fatalf("ParseCertificate: %v %q", err, kr.Lint)
		}
		key = kr.Params
		if useSubkey {
			subs, err := b.Subkeys(cert)
			if err != nil || len(subs) != 1 {
				t.Fatalf("Subkeys: %v %d", err, len(subs))
			}
			key = subs[0]
		}
	}
	v, err := b.VerifySignature(key, pr.Params, d)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func sigID(sigPkt []byte, b *strict.Backend, at time.Time) string {
	pr, _ := b.ParseSignature(sigPkt)
	return fmt.Sprintf("%02x%02x created at %s", pr.Params.HashPrefix[0], pr.Params.HashPrefix[1], at.UTC().Format("Mon Jan _2 15:04:05 2006"))
}

func header(pk *testKey) string {
	return fmt.Sprintf("Verifying a signature using certificate %X (Test <test@example.org>):", pk.fpr())
}

func TestVerifySignature(t *testing.T) {
	b := newBackend(t)
	rsaKey := newRSAKey(t, 2048, keyTime)
	signing := []byte{0x03}
	cert := makeCert(t, rsaKey, certSpec{primaryFlags: signing}, keyTime)
	good := sign(t, rsaKey, sigSpec{sigType: 0, created: sigTime}, message)

	sub := newEd25519Key(t, 4, keyTime)
	subCert := makeCert(t, rsaKey, certSpec{primaryFlags: []byte{0x01}, subkey: sub, subFlags: []byte{0x02}}, keyTime)
	subSig := sign(t, sub, sigSpec{sigType: 0, created: sigTime}, message)
	noBack := makeCert(t, rsaKey, certSpec{primaryFlags: []byte{0x01}, subkey: sub, subFlags: []byte{0x02}, noBacksig: true}, keyTime)
	revoked := makeCert(t, rsaKey, certSpec{primaryFlags: []byte{0x01}, subkey: sub, subFlags: []byte{0x02}, revokeSub: true}, keyTime)
	expired := makeCert(t, rsaKey, certSpec{primaryFlags: signing, primaryExp: 3600}, keyTime)
	noFlags := makeCert(t, rsaKey, certSpec{}, keyTime)
	future := sign(t, rsaKey, sigSpec{sigType: 0, created: now.Add(time.Hour)}, message)
	sha1Sig := sign(t, rsaKey, sigSpec{sigType: 0, created: sigTime, hash: 2}, message)
	md5Sig := sign(t, rsaKey, sigSpec{sigType: 0, created: sigTime, hash: 1}, message)
	v3 := sign(t, rsaKey, sigSpec{version: 3, sigType: 0, created: sigTime}, message)

	v6 := newEd25519Key(t, 6, keyTime)
	v6Cert := makeCert(t, v6, certSpec{primaryFlags: signing}, keyTime)
	v6Sig := sign(t, v6, sigSpec{sigType: 0, created: sigTime}, message)

	// A signature whose RSA value starts with a zero octet, so the MPI is
	// one octet shorter than the modulus (golang/go#21896).
	var short []byte
	for i := 0; i < 4096 && short == nil; i++ {
		s := sign(t, rsaKey, sigSpec{sigType: 0, created: sigTime.Add(time.Duration(i) * time.Second)}, message)
		if s[len(s)-256-2] == 0x07 { // bit count < 2041: value is < 256 octets
			short = s
		}
	}
	if short == nil {
		t.Fatal("no short signature found")
	}

	subID := fmt.Sprintf("%X", sub.keyID())
	tests := []struct {
		name      string
		cert, sig []byte
		data      []byte
		useSub    bool
		rc        core.RC
		lint      string
	}{
		{"OK", cert, good, message, false, core.RCOK, ""},
		{"BAD tampered", cert, good, []byte("hello rpm!\n"), false, core.RCFail, ""},
		{"NOKEY", nil, good, message, false, core.RCNoKey, ""},
		{"prefix mismatch", nil, good, []byte("x"), false, core.RCFail, ""},
		{"v3 RSA OK", cert, v3, message, false, core.RCOK, ""},
		{"v6 Ed25519 OK", v6Cert, v6Sig, message, false, core.RCOK, ""},
		{"short RSA OK", cert, short, message, false, core.RCOK, ""},
		{"subkey OK", subCert, subSig, message, true, core.RCOK, ""},
		{"expired key", expired, good, message, false, core.RCNotTrusted,
			header(rsaKey) + fmt.Sprintf("\n  1. Certificate %X invalid: certificate is not alive\n      because: The primary key is not live\n      because: Expired on 2024-01-01T01:00:00Z\n  2. Key %X invalid: key is not alive\n      because: The primary key is not live\n      because: Expired on 2024-01-01T01:00:00Z", rsaKey.keyID(), rsaKey.keyID())},
		{"revoked subkey", revoked, subSig, message, true, core.RCNotTrusted,
			header(rsaKey) + "\n  Key " + subID + " is invalid: key is revoked"},
		{"subkey without backsig", noBack, subSig, message, true, core.RCFail,
			header(rsaKey) + fmt.Sprintf("\n  Certificate %X does not contain key %X or it is not valid", rsaKey.keyID(), sub.fpr())},
		{"primary not signing capable", noFlags, good, message, false, core.RCFail,
			header(rsaKey) + fmt.Sprintf("\n  Key %X invalid: not signing capable", rsaKey.keyID())},
		{"signature from the future", cert, future, message, false, core.RCFail,
			header(rsaKey) + "\n  Signature " + sigID(future, b, now.Add(time.Hour)) + " invalid: signature is not alive\n      because: Not live until 2025-01-01T01:00:00Z"},
		{"SHA-1 data signature", cert, sha1Sig, message, false, core.RCNotTrusted,
			header(rsaKey) + "\n  Signature " + sigID(sha1Sig, b, sigTime) + " invalid: signature relies on legacy cryptography\n      because: SHA1 is not considered secure since 2013-02-01T00:00:00Z"},
		{"MD5 data signature", cert, md5Sig, message, false, core.RCNotTrusted,
			header(rsaKey) + "\n  Signature " + sigID(md5Sig, b, sigTime) + " invalid: signature relies on legacy cryptography\n      because: MD5 is not considered secure since 1997-02-01T00:00:00Z"},
		{"SHA-1 without key", nil, sha1Sig, message, false, core.RCNotTrusted,
			"Verifying a signature, but no certificate was provided:\n  Signature " + sigID(sha1Sig, b, sigTime) + " invalid: signature relies on legacy cryptography\n      because: SHA1 is not considered secure since 2013-02-01T00:00:00Z"},
	}
	// Note: policyconf.CheckHash reports the second-preimage cutoff first
	// (SHA1 2023-02-01) even for data signatures; Sequoia is believed to
	// name the collision-resistance cutoff (2013-02-01). Reported to the
	// lead; the expectations follow policyconf as it is.
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := verify(t, b, tc.cert, tc.sig, tc.data, tc.useSub)
			if v.RC != tc.rc || v.Lint != tc.lint {
				t.Errorf("got %v %q\nwant %v %q", v.RC, v.Lint, tc.rc, tc.lint)
			}
		})
	}
}

func TestParseSignatureMPIDefect(t *testing.T) {
	b := newBackend(t)
	rsaKey := newRSAKey(t, 2048, keyTime)
	for i := 0; i < 64; i++ {
		s := sign(t, rsaKey, sigSpec{sigType: 0, created: sigTime.Add(time.Duration(i) * time.Second), fullMPI: true}, message)
		top := s[len(s)-256]
		if top >= 0x80 || top == 0 {
			continue // well-formed, or the rarer leading-zero-octet case
		}
		pr, err := b.ParseSignature(s)
		if err != nil || pr.OK() {
			t.Fatalf("defective MPI parsed: %v", err)
		}
		want := fmt.Sprintf("Parsing an OpenPGP packet:\n  Failed to parse Signature Packet\n      because: Signature appears to be created by a non-conformant OpenPGP implementation, see <https://github.com/rpm-software-management/rpm/issues/2351>.\n      because: Malformed MPI: leading bit is not set: expected bit 8 to be set in %8b (%x)", top, top)
		if pr.Lint != want {
			t.Fatalf("lint %q\nwant %q", pr.Lint, want)
		}
		return
	}
	t.Fatal("no defective signature generated")
}

func TestParseSignatureErrors(t *testing.T) {
	b := newBackend(t)
	rsaKey := newRSAKey(t, 2048, keyTime)
	good := sign(t, rsaKey, sigSpec{sigType: 0, created: sigTime}, message)
	tests := []struct {
		name, lint string
		in         []byte
	}{
		{"empty", "Parsing an OpenPGP packet:\n  Expected an OpenPGP packet, encountered the end of the file", nil},
		{"followed by", "Parsing an OpenPGP packet:\n  Expected a bare OpenPGP signature, but it's followed by a Signature Packet", append(append([]byte{}, good...), good...)},
		{"key", "Parsing an OpenPGP packet:\n  Unexpected OpenPGP packet in this context Public-Key Packet", pkt(6, rsaKey.body)},
		{"truncated", "Parsing an OpenPGP packet:\n  Failed to parse Signature Packet\n      because: Malformed packet: Truncated packet", good[:len(good)-1]},
		{"too big", "Parsing an OpenPGP packet:\n  Signature packet is larger than 65535 bytes", make([]byte, 70000)},
	}
	for _, tc := range tests {
		pr, err := b.ParseSignature(tc.in)
		if err != nil || pr.OK() || pr.Lint != tc.lint {
			t.Errorf("%s: %v %v %q\nwant %q", tc.name, err, pr.OK(), pr.Lint, tc.lint)
		}
	}
	pr, _ := b.ParseSignature(good)
	if !strings.EqualFold(fmt.Sprintf("%x", pr.Params.KeyID[:]), fmt.Sprintf("%x", rsaKey.keyID())) || pr.Params.Version != 4 || pr.Params.HashAlgo != core.HashSHA256 {
		t.Errorf("params %+v", pr.Params)
	}
}

func BenchmarkVerifySignature(b *testing.B) {
	for _, tc := range []struct {
		name string
		key  func() *testKey
	}{
		{"RSA-4096", func() *testKey { return newRSAKey(b, 4096, keyTime) }},
		{"Ed25519", func() *testKey { return newEd25519Key(b, 4, keyTime) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			be := newBackend(b)
			k := tc.key()
			cert := makeCert(b, k, certSpec{primaryFlags: []byte{0x03}}, keyTime)
			sigPkt := sign(b, k, sigSpec{sigType: 0, created: sigTime}, message)
			kr, _ := be.ParseCertificate(cert)
			pr, _ := be.ParseSignature(sigPkt)
			d, _ := be.NewDigest(pr.Params.HashAlgo)
			d.Write(message)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				v, err := be.VerifySignature(kr.Params, pr.Params, d)
				if err != nil || v.RC != core.RCOK {
					b.Fatalf("%v %v %q", err, v.RC, v.Lint)
				}
			}
		})
	}
}
