package rsapkcs1

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"math/big"
	"testing"
)

// benchKey4096 signs the benchmark message with a fresh RSA-4096 key.
func benchKey4096(b *testing.B) (*rsa.PrivateKey, []byte, []byte) {
	b.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 4096)
	if err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256([]byte("bench"))
	sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, sum[:])
	if err != nil {
		b.Fatal(err)
	}
	return priv, sum[:], sig
}

// BenchmarkVerify4096 compares one RSA-4096 verification: Verify
// (Montgomery, cached context), big.Int.Exp as Verify did before, and
// crypto/rsa.
func BenchmarkVerify4096(b *testing.B) {
	priv, sum, sig := benchKey4096(b)
	b.Run("montgomery", func(b *testing.B) {
		for b.Loop() {
			if err := Verify(priv.N, priv.E, crypto.SHA256, sum, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bigExp", func(b *testing.B) {
		e := big.NewInt(int64(priv.E))
		for b.Loop() {
			s := new(big.Int).SetBytes(sig)
			new(big.Int).Exp(s, e, priv.N).FillBytes(make([]byte, len(sig)))
		}
	})
	b.Run("cryptoRSA", func(b *testing.B) {
		for b.Loop() {
			if err := rsa.VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, sum, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
}
