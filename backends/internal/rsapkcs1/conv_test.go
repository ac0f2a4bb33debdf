package rsapkcs1

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestLimbConversion: octets to limbs and back for every length up to 3
// limbs, against math/big.
func TestLimbConversion(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for n := range 25 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		z := make([]uint64, 3)
		for i := range z {
			z[i] = r.Uint64() // must be cleared
		}
		bytesToLimbs(z, b)
		x := new(big.Int).SetBytes(b)
		for i := range z {
			want := new(big.Int).Rsh(x, uint(64*i)).Uint64() // low 64 bits
			if z[i] != want {
				t.Fatalf("%d octets %x: limb %d %#x, want %#x", n, b, i, z[i], want)
			}
		}
		back := make([]byte, n)
		limbsToBytes(back, z)
		if !bytes.Equal(back, b) {
			t.Fatalf("%d octets %x: back %x", n, b, back)
		}
	}
}
