package rsapkcs1

import (
	"crypto"
	"crypto/rsa"
	"math/big"
	"testing"
)

// BenchmarkVerify4096 compares one RSA-4096 verification: Verify
// (Montgomery, cached context), big.Int.Exp as Verify did before, and
// crypto/rsa.
func BenchmarkVerify4096(b *testing.B) {
	priv, sum, sig := signedKey(b, 4096, "bench")
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
