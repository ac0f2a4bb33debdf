package preload

import (
	"bytes"
	"crypto"
	_ "crypto/sha1" // registers SHA-1 for go-crypto
	_ "crypto/sha256"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/rpmpgp/rpmpgp/backends/gocrypto"
	internallegacy "github.com/rpmpgp/rpmpgp/backends/internal-legacy"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// hashBackend is a backend with both verification paths.
type hashBackend interface {
	Backend
	core.SignatureVerifier
	core.Digester
	core.Initializer
}

// detachedSig signs data with the fixture key name (testdata/keys) and
// returns the bare signature packet.
func detachedSig(t *testing.T, name string, h crypto.Hash, data []byte) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join(testutil.Fixtures(), "keys", name+".secret.asc"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ents, err := openpgp.ReadArmoredKeyRing(f)
	if err != nil || len(ents) != 1 {
		t.Fatalf("reading %s: %v (%d keys)", name, err, len(ents))
	}
	priv := ents[0].PrivateKey
	when := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	noNotation := false // a plain signature, as gpg and rpmsign make them
	cfg := &packet.Config{Time: func() time.Time { return when }, NonDeterministicSignaturesViaNotation: &noNotation}
	sig := &packet.Signature{
		Version: priv.PublicKey.Version, SigType: packet.SigTypeBinary, PubKeyAlgo: priv.PublicKey.PubKeyAlgo,
		Hash: h, CreationTime: when, IssuerKeyId: &priv.KeyId, IssuerFingerprint: priv.PublicKey.Fingerprint,
	}
	hh, err := sig.PrepareSign(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hh.Write(data)
	if err := sig.Sign(hh, priv, cfg); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := sig.Serialize(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func readKey(t *testing.T, b Backend, name string) *core.Params {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(testutil.Fixtures(), "keys", name+".asc"))
	if err != nil {
		t.Fatal(err)
	}
	kind, cert, err := b.ParseArmor(text)
	if err != nil || kind != core.ArmorPubKey {
		t.Fatalf("ParseArmor %s: %v %v", name, kind, err)
	}
	r, err := b.ParseCertificate(cert)
	if err != nil || !r.OK() {
		t.Fatalf("ParseCertificate %s: %v %q", name, err, r.Lint)
	}
	return r.Params
}

// TestVerifyHashAgrees checks that a sum finalised outside the backend
// (data, then Trailer) gets the verdict the backend gives on its own
// digest, for both profiles, with and without the key and on changed data.
func TestVerifyHashAgrees(t *testing.T) {
	data := []byte("the signed header\n")
	backends := map[string]func() hashBackend{
		"gocrypto":        func() hashBackend { return gocrypto.New() },
		"internal-legacy": func() hashBackend { return internallegacy.New() },
	}
	want := map[string]map[string]core.RC{
		"gocrypto": {
			"rsa2048/SHA256": core.RCOK, "rsa2048/SHA256/nokey": core.RCNoKey, "rsa2048/SHA256/changed": core.RCFail,
			"rsa2048/SHA1": core.RCNotTrusted, "rsa2048/SHA1/nokey": core.RCNotTrusted, "rsa2048/SHA1/changed": core.RCFail,
			"p256/SHA256": core.RCOK, "p256/SHA256/nokey": core.RCNoKey, "p256/SHA256/changed": core.RCFail,
		},
		"internal-legacy": {
			"rsa2048/SHA256": core.RCOK, "rsa2048/SHA256/nokey": core.RCNoKey, "rsa2048/SHA256/changed": core.RCFail,
			"rsa2048/SHA1": core.RCOK, "rsa2048/SHA1/nokey": core.RCNoKey, "rsa2048/SHA1/changed": core.RCFail,
		},
	}
	for name, mk := range backends {
		t.Run(name, func(t *testing.T) {
			b := mk()
			if err := b.Init(core.Options{Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
				t.Fatal(err)
			}
			for _, k := range []struct {
				key  string
				hash crypto.Hash
			}{{"rsa2048", crypto.SHA256}, {"rsa2048", crypto.SHA1}, {"p256", crypto.SHA256}} {
				label := k.key + "/" + map[crypto.Hash]string{crypto.SHA1: "SHA1", crypto.SHA256: "SHA256"}[k.hash]
				if _, ok := want[name][label]; !ok {
					continue
				}
				sigPkt := detachedSig(t, k.key, k.hash, data)
				r, err := b.ParseSignature(sigPkt)
				if err != nil || !r.OK() {
					t.Fatalf("%s: ParseSignature: %v %q", label, err, r.Lint)
				}
				sig := r.Params
				key := readKey(t, b, k.key)
				trailer, err := Trailer(sigPkt)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range []struct {
					suffix string
					key    *core.Params
					data   []byte
				}{{"", key, data}, {"/nokey", nil, data}, {"/changed", key, append([]byte("X"), data...)}} {
					h := k.hash.New()
					h.Write(c.data)
					h.Write(trailer)
					byHash, err := b.VerifyHash(c.key, sig, h.Sum(nil))
					if err != nil {
						t.Fatalf("%s%s: VerifyHash: %v", label, c.suffix, err)
					}
					d, err := b.NewDigest(sig.HashAlgo)
					if err != nil {
						t.Fatal(err)
					}
					d.Write(c.data)
					byDigest, err := b.VerifySignature(c.key, sig, d)
					d.Close()
					if err != nil {
						t.Fatalf("%s%s: VerifySignature: %v", label, c.suffix, err)
					}
					if byHash != byDigest {
						t.Errorf("%s%s: VerifyHash %v %q, VerifySignature %v %q", label, c.suffix, byHash.RC, byHash.Lint, byDigest.RC, byDigest.Lint)
					}
					if w := want[name][label+c.suffix]; byHash.RC != w {
						t.Errorf("%s%s: %v, want %v", label, c.suffix, byHash.RC, w)
					}
				}
			}
			// A sum of the wrong length is an error, never a verdict.
			sigPkt := detachedSig(t, "rsa2048", crypto.SHA256, data)
			r, _ := b.ParseSignature(sigPkt)
			if v, err := b.VerifyHash(nil, r.Params, make([]byte, 20)); err == nil {
				t.Errorf("20-byte sum for SHA256: %v %q, want an error", v.RC, v.Lint)
			}
		})
	}
}
