package legacy

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/internal/rsapkcs1"
)

// TestVerifyRSAAcrossTheMathSwitch: verifyRSA gives crypto/rsa's verdicts
// (after 4.18's reduction of s modulo n) on both sides of
// rsapkcs1.MinBits, where it changes from crypto/rsa to math/big: a good
// signature, one with its leading zero octets stripped, one not reduced
// modulo n (4.18 accepts s + n), a flipped bit and the wrong hash.
func TestVerifyRSAAcrossTheMathSwitch(t *testing.T) {
	for _, bits := range []int{2048, rsapkcs1.MinBits + 255} {
		priv, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte("package header"))
		sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, sum[:])
		if err != nil {
			t.Fatal(err)
		}
		key := &digAlg{algo: algoRSA, mpis: [][]byte{priv.N.Bytes(), big.NewInt(int64(priv.E)).Bytes()}}
		sigOf := func(b []byte) *digAlg { return &digAlg{algo: algoRSA, mpis: [][]byte{b}} }
		flipped := append([]byte(nil), sig...)
		flipped[len(flipped)/2] ^= 1
		unreduced := new(big.Int).Add(new(big.Int).SetBytes(sig), priv.N).Bytes()
		for _, c := range []struct {
			name string
			sig  []byte
			hash uint8
			want bool
		}{
			{"good", sig, 8, true},
			{"leading zeros stripped", new(big.Int).SetBytes(sig).Bytes(), 8, true},
			{"s + n", unreduced, 8, true},
			{"flipped bit", flipped, 8, false},
			{"SHA-512 named", sig, 10, false},
		} {
			if got := verifyRSA(key, sigOf(c.sig), sum[:], c.hash); got != c.want {
				t.Errorf("%d bits, %s: verifyRSA = %v, want %v", bits, c.name, got, c.want)
			}
		}
	}
}
