package rsapkcs1

import "math/bits"

// addMulVVWGeneric sets z[i] += x[i]*y with a running carry over
// len(z) == len(x) limbs and returns the carry out of the top limb (the
// word loop of Koç, Acar and Kaliski 1996, "Analyzing and comparing
// Montgomery multiplication algorithms"). z[i] + x[i]*y + c
// is at most (2^64-1) + (2^64-1)^2 + (2^64-1) = 2^128-1, so the carry
// always fits one word.
func addMulVVWGeneric(z, x []uint64, y uint64) (c uint64) {
	x = x[:len(z)]
	for i := range z {
		hi, lo := bits.Mul64(x[i], y)
		var cc uint64
		lo, cc = bits.Add64(lo, z[i], 0)
		hi += cc
		lo, cc = bits.Add64(lo, c, 0)
		hi += cc
		z[i] = lo
		c = hi
	}
	return c
}
