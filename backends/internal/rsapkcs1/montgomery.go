package rsapkcs1

import (
	"encoding/binary"
	"math/big"
	"math/bits"
)

// modulus is the per-modulus context of the Montgomery exponentiation
// (P. L. Montgomery 1985, "Modular multiplication without trial
// division"; the word-level reduction is the separated and coarsely
// integrated operand scanning of Koç, Acar and Kaliski 1996, "Analyzing
// and comparing Montgomery multiplication algorithms"). With L limbs of
// 64 bits and R = 2^(64L) > n, it holds everything that depends on n
// only, so that a verification spends its time in word loops rather than
// in the trial divisions of big.Int.Exp's path for one-word exponents.
// A modulus is read-only after [newModulus] and safe for concurrent use.
type modulus struct {
	n     []uint64 // n, little-endian limbs, n odd, n[len(n)-1] != 0
	n0inv uint64   // -n^-1 mod 2^64
	rr    []uint64 // R^2 mod n, the factor that maps x to x*R mod n
	k     int      // octet length of n
}

// newModulus builds the context of an odd n > 1; it returns nil for any
// other n (callers check oddness first and keep their own error).
func newModulus(n *big.Int) *modulus {
	if n.Sign() <= 0 || n.Bit(0) == 0 || n.BitLen() < 2 {
		return nil
	}
	L := (n.BitLen() + 63) / 64
	m := &modulus{n: toLimbs(n, L), k: (n.BitLen() + 7) / 8}
	// Newton's iteration for the inverse modulo 2^64: x = n0 is correct to
	// 3 bits for odd n0 (n0*n0 = 1 mod 8), and each step x *= 2 - n0*x
	// doubles the correct bits: 3, 6, 12, 24, 48, 96.
	n0 := m.n[0]
	inv := n0
	for range 5 {
		inv *= 2 - n0*inv
	}
	m.n0inv = -inv
	r2 := new(big.Int).Lsh(big.NewInt(1), uint(128*L))
	m.rr = toLimbs(r2.Mod(r2, n), L)
	return m
}

// toLimbs returns x < 2^(64L) as L little-endian 64-bit limbs.
func toLimbs(x *big.Int, L int) []uint64 {
	z := make([]uint64, L)
	b := x.FillBytes(make([]byte, 8*L))
	bytesToLimbs(z, b)
	return z
}

// bytesToLimbs fills z from the big-endian octets b, len(b) <= 8*len(z),
// zero-extending.
func bytesToLimbs(z []uint64, b []byte) {
	clear(z)
	i := 0
	for ; len(b) >= 8; i++ {
		z[i] = binary.BigEndian.Uint64(b[len(b)-8:])
		b = b[:len(b)-8]
	}
	for j, c := range b { // the top len(b) < 8 octets
		z[i] |= uint64(c) << (8 * (len(b) - 1 - j))
	}
}

// limbsToBytes writes x < 2^(8*len(b)) as big-endian octets into b.
func limbsToBytes(b []byte, x []uint64) {
	i := 0
	for ; len(b) >= 8; i++ {
		binary.BigEndian.PutUint64(b[len(b)-8:], x[i])
		b = b[:len(b)-8]
	}
	for j := range b {
		b[j] = byte(x[i] >> (8 * (len(b) - 1 - j)))
	}
}

// exp returns s^e mod n as k big-endian octets, for 0 <= s < n given as k
// big-endian octets and e >= 1 (RFC 8017, Section 5.2.2, step 2: m =
// s^e mod n). It is variable time: every input of a verification is
// public. Memory is a few times the modulus size, whatever e and s.
func (m *modulus) exp(sig []byte, e uint32) []byte {
	L := len(m.n)
	buf := make([]uint64, 5*L)
	s, x, t := buf[:L], buf[L:2*L], buf[2*L:]
	bytesToLimbs(s, sig)
	// s*R mod n: the Montgomery product of s and R^2.
	m.mul(s, s, m.rr, t)
	copy(x, s)
	// Left-to-right binary exponentiation (HAC Algorithm 14.79 with
	// Montgomery products): the top bit of e is x = s itself.
	for i := bits.Len32(e) - 2; i >= 0; i-- {
		m.sqr(x, x, t)
		if e>>uint(i)&1 != 0 {
			m.mul(x, x, s, t)
		}
	}
	// Out of Montgomery form: REDC(x) = x*R^-1 mod n, at most n.
	clear(t)
	copy(t, x)
	m.redc(x, t)
	if !lessThan(x, m.n) {
		subVV(x, x, m.n)
	}
	out := make([]byte, m.k)
	limbsToBytes(out, x)
	return out
}

// mul sets z = x*y*R^-1 mod n up to one multiple of n (z < R whenever x, y
// < R), with the coarsely integrated operand scanning of Koç et al.: per
// limb of y, add x*y[i] and then the multiple of n that clears the lowest
// limb, moving a window of t (2L limbs of scratch) up by one limb. z may
// alias x or y.
func (m *modulus) mul(z, x, y, t []uint64) {
	L := len(m.n)
	t = t[:2*L]
	clear(t)
	c := mulRows(t, x, y, m.n, m.n0inv)
	m.final(z, t[L:], c)
}

// mulRowsGeneric is the row loop of [modulus.mul] with [addMulVVW]; t has
// 2L zero limbs, L = len(n) = len(x) = len(y). It returns the carry out of
// t's top limb, 0 or 1.
func mulRowsGeneric(t, x, y, n []uint64, k uint64) uint64 {
	L := len(n)
	var c uint64
	for i := range L {
		w := t[i : i+L]
		c1 := addMulVVW(w, x, y[i])
		c2 := addMulVVW(w, n, w[0]*k)
		// t[i+L] is still zero: the window of step i ends below it.
		s, b1 := bits.Add64(c1, c2, 0)
		s, b2 := bits.Add64(s, c, 0)
		t[i+L] = s
		c = b1 + b2
	}
	return c
}

// sqr sets z = x*x*R^-1 mod n up to one multiple of n (z < R whenever x <
// R), with the separated operand scanning of Koç et al. and the square's
// symmetry: the products x[i]*x[j], i < j, once, doubled, plus the
// squares x[i]^2, then [modulus.redc]. That is 1.5 L^2 word products
// instead of 2 L^2. z may alias x.
func (m *modulus) sqr(z, x, t []uint64) {
	L := len(m.n)
	t = t[:2*L]
	clear(t)
	sqrRows(t, x[:L])
	// t = 2t + sum x[i]^2 * 2^(128i); the cross products sum to less than
	// x^2/2, so doubling does not overflow 2L limbs.
	var top, c uint64
	for i := range L {
		hi, lo := bits.Mul64(x[i], x[i])
		t0, t1 := t[2*i], t[2*i+1]
		d0 := t0<<1 | top
		d1 := t1<<1 | t0>>63
		top = t1 >> 63
		d0, c = bits.Add64(d0, lo, c)
		d1, c = bits.Add64(d1, hi, c)
		t[2*i], t[2*i+1] = d0, d1
	}
	m.redc(z, t)
}

// redc sets z = t*R^-1 mod n up to one multiple of n, z < R, for any t <
// R^2 (Montgomery's REDC word by word: the second loop of Koç et al.'s
// separated operand scanning). t (2L limbs) is clobbered; z must not
// overlap t.
func (m *modulus) redc(z, t []uint64) {
	L := len(m.n)
	c := redcRows(t[:2*L], m.n, m.n0inv)
	m.final(z, t[L:2*L], c)
}

// redcRowsGeneric is the row loop of [modulus.redc] with [addMulVVW]: row
// i adds (t[i]*k mod 2^64)*n at limb i, which clears t[i], and carries
// into limb i+L. It returns the carry out of t's top limb, 0 or 1: t +
// (R-1)*n < 2R^2 for t < R^2.
func redcRowsGeneric(t, n []uint64, k uint64) uint64 {
	L := len(n)
	var c uint64
	for i := range L {
		c1 := addMulVVW(t[i:i+L], n, t[i]*k)
		s, b1 := bits.Add64(t[i+L], c1, 0)
		s, b2 := bits.Add64(s, c, 0)
		t[i+L] = s
		c = b1 + b2
	}
	return c
}

// final sets z to the L-limb value c*R + hi reduced below R: hi - n when
// the carry c is set. The value is below R + n (t < R^2 and the added
// multiples of n are below R*n), so one subtraction brings it below R.
func (m *modulus) final(z, hi []uint64, c uint64) {
	if c != 0 {
		subVV(z, hi, m.n)
	} else {
		copy(z, hi)
	}
}

// sqrRowsGeneric adds the cross products x[i]*x[j], i < j, to t (2L zero
// limbs, L = len(x)) with [addMulVVW]: row i adds x[i]*x[j] for j > i at
// limbs 2i+1 ... i+L-1; its carry lands on limb i+L, which no earlier row
// has reached.
func sqrRowsGeneric(t, x []uint64) {
	L := len(x)
	for i := 0; i < L-1; i++ {
		t[i+L] = addMulVVW(t[2*i+1:i+L], x[i+1:], x[i])
	}
}

// subVV sets z = x - y over len(z) limbs and returns the borrow.
func subVV(z, x, y []uint64) (b uint64) {
	for i := range z {
		z[i], b = bits.Sub64(x[i], y[i], b)
	}
	return b
}

// lessThan reports whether x < y, both of the same length.
func lessThan(x, y []uint64) bool {
	for i := len(x) - 1; i >= 0; i-- {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return false
}
