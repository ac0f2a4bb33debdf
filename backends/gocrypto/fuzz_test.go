package gocrypto

import (
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
)

// FuzzParse feeds arbitrary bytes to every parser of the backend: none may
// panic, and a failed parse must never come with Params.
func FuzzParse(f *testing.F) {
	k := newRSAKey(f, 2048, keyTime)
	f.Add(sign(f, k, sigSpec{sigType: 0, created: sigTime}, message))
	f.Add(makeCert(f, k, certSpec{primaryFlags: []byte{3}}, keyTime))
	f.Add([]byte("-----BEGIN PGP SIGNATURE-----\n\nAAAA\n=AAAA\n-----END PGP SIGNATURE-----\n"))
	ml := newMLDSAKey(f, 30, 6, keyTime)
	f.Add(sign(f, ml, sigSpec{sigType: 0, created: sigTime}, message))
	f.Add(makeCert(f, ml, certSpec{primaryFlags: []byte{3}}, keyTime))
	b := New()
	f.Fuzz(func(t *testing.T, data []byte) {
		if pr, err := b.ParseSignature(data); err == nil && !pr.OK() && pr.Params != nil {
			t.Fatal("params on failure")
		} else if err == nil && pr.OK() {
			d, _ := b.NewDigest(pr.Params.HashAlgo)
			if d != nil {
				b.VerifySignature(nil, pr.Params, d)
			}
		}
		if pr, err := b.ParseCertificate(data); err == nil && pr.OK() {
			b.LintKey(data)
			b.Subkeys(data)
		}
		b.CertLen(data)
		b.Fingerprint(data)
		b.ParseArmor(data)
		b.Merge(data, data)
		_ = core.RCOK
	})
}
