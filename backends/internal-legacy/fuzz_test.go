package legacy

import (
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
)

// FuzzPackets feeds arbitrary bytes to every packet-level entry point: none
// may panic, and a successful parse must describe what it claims.
func FuzzPackets(f *testing.F) {
	f.Add([]byte{0x88, 0x00})
	f.Add([]byte{0xc2, 0x01, 0x04})
	f.Add(newPacket(tagPublicKey, keyBody(algoRSA, 1, mpi([]byte{0xc3, 1}), mpi([]byte{3}))))
	f.Add(append(newPacket(tagPublicKey, keyBody(algoEdDSA, 1, append([]byte{9}, curveOIDEd25519...), mpi(make([]byte, 33)))),
		newPacket(tagPublicSubkey, []byte{4})...))
	sig := []byte{4, 0, algoRSA, hashSHA256, 0, 6}
	sig = append(sig, subpacket(subSigCreateTime, false, be32(7))...)
	sig = append(sig, 0, 10)
	sig = append(sig, subpacket(subIssuerKeyID, true, make([]byte, 8))...)
	sig = append(sig, 0xab, 0xcd)
	sig = append(sig, mpi([]byte{1, 2, 3})...)
	f.Add(newPacket(tagSignature, sig))
	b := New()
	f.Fuzz(func(t *testing.T, data []byte) {
		if pr, err := b.ParseSignature(data); err != nil {
			t.Fatal(err)
		} else if pr.OK() && (pr.Params.Kind != core.KindSignature || (pr.Params.Version != 3 && pr.Params.Version != 4)) {
			t.Fatalf("bad signature params %+v", pr.Params)
		} else if pr.OK() {
			d, err := b.NewDigest(pr.Params.HashAlgo)
			if err == nil {
				v, err := b.VerifySignature(nil, pr.Params, d)
				if err != nil || (v.RC != core.RCNoKey && v.RC != core.RCFail) {
					t.Fatalf("keyless verify: %v %v", v, err)
				}
			}
		}
		if pr, err := b.ParseCertificate(data); err != nil {
			t.Fatal(err)
		} else if pr.OK() {
			if pr.Params.Kind != core.KindKey || pr.Params.Version != 4 {
				t.Fatalf("bad key params %+v", pr.Params)
			}
			_, _ = b.Subkeys(data)
		}
		_, _ = b.Fingerprint(data)
		_, _ = b.KeyID(data)
		if n, err := b.CertLen(data); err == nil && (n < 0 || n > len(data)) {
			t.Fatalf("CertLen %d of %d", n, len(data))
		}
	})
}

// FuzzArmor feeds arbitrary text to the armor parser and checks that what
// WrapArmor writes parses back.
func FuzzArmor(f *testing.F) {
	b := New()
	w, _ := b.WrapArmor(core.ArmorPubKey, []byte("\x99\x00\x01x"))
	f.Add([]byte(w))
	f.Add([]byte("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n=AAAA\n-----END PGP PUBLIC KEY BLOCK-----"))
	f.Add([]byte("-----BEGIN PGP SIGNATURE-----\n\n-----BEGIN PGP FOO-----\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		kind, data, err := b.ParseArmor(text)
		if err != nil {
			t.Fatal(err)
		}
		if kind != core.ArmorPubKey && data != nil {
			t.Fatalf("kind %d with data", kind)
		}
		if kind == core.ArmorPubKey && len(data) > len(text) {
			t.Fatalf("decoded %d bytes from %d", len(data), len(text))
		}
		w, err := b.WrapArmor(core.ArmorPubKey, text)
		if err != nil {
			t.Fatal(err)
		}
		k2, back, err := b.ParseArmor([]byte(w))
		if err != nil || k2 != core.ArmorPubKey || string(back) != string(text) {
			t.Fatalf("round trip: kind %d err %v", k2, err)
		}
	})
}
