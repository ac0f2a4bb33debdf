package rsapkcs1

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAddMulVVW compares the kernel in use with addMulVVWGeneric on every
// length up to 70 limbs (each remainder of every unrolled loop), with
// random limbs and with all-ones limbs, where every carry propagates.
func TestAddMulVVW(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 7))
		for L := range 71 {
			for _, ones := range []bool{false, true} {
				z := make([]uint64, L)
				x := make([]uint64, L+1) // x may be longer than z
				y := r.Uint64()
				for i := range x {
					x[i] = r.Uint64()
				}
				for i := range z {
					z[i] = r.Uint64()
				}
				if ones {
					y = 1<<64 - 1
					for i := range x {
						x[i] = 1<<64 - 1
					}
					for i := range z {
						z[i] = 1<<64 - 1
					}
				}
				want := slices.Clone(z)
				wc := addMulVVWGeneric(want, x, y)
				c := addMulVVW(z, x, y)
				if c != wc || !slices.Equal(z, want) {
					t.Fatalf("len %d, ones %v: carry %#x, want %#x\n z %x\nwant %x", L, ones, c, wc, z, want)
				}
			}
		}
	})
}
