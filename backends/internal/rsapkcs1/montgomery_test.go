package rsapkcs1

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"testing"
)

// refExp is the reference: s^e mod n with math/big, as k octets.
func refExp(n, s *big.Int, e uint32) []byte {
	k := (n.BitLen() + 7) / 8
	return new(big.Int).Exp(s, new(big.Int).SetUint64(uint64(e)), n).FillBytes(make([]byte, k))
}

// checkExp asserts that the Montgomery exponentiation agrees with
// big.Int.Exp on s^e mod n.
func checkExp(t *testing.T, n, s *big.Int, e uint32) {
	t.Helper()
	m := newModulus(n)
	if m == nil {
		t.Fatalf("newModulus(%d-bit n) = nil", n.BitLen())
	}
	got := m.exp(s.FillBytes(make([]byte, m.k)), e)
	if want := refExp(n, s, e); !bytes.Equal(got, want) {
		t.Fatalf("%d-bit n %x, s %x, e %d:\n got %x\nwant %x", n.BitLen(), n, s, e, got, want)
	}
}

// randOdd returns a random odd number of exactly bits bits.
func randOdd(r *rand.Rand, bits int) *big.Int {
	b := make([]byte, (bits+7)/8)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	n := new(big.Int).SetBytes(b)
	n.SetBit(n, bits-1, 1)
	for i := bits; i < 8*len(b); i++ {
		n.SetBit(n, i, 0)
	}
	return n.SetBit(n, 0, 1)
}

// testExps are the exponents of the differential tests: the smallest,
// the usual, the largest Verify accepts, and a few with many set bits.
var testExps = []uint32{1, 3, 17, 65537, 0x55555555, 1<<31 - 1}

// TestModExpDifferential compares exp with big.Int.Exp on random odd
// moduli of 2049 to 8192 bits (every limb count and top-limb fill),
// moduli just above a power of two and just below R, and the edge
// signatures 0, 1, 2 and n-1.
func TestModExpDifferential(t *testing.T) { forEachKernel(t, testModExpDifferential) }

func testModExpDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 4096))
	var moduli []*big.Int
	for _, bits := range []int{2049, 2111, 2112, 2113, 3072, 4095, 4096, 4097, 4159, 4160, 6000, 8191, 8192} {
		moduli = append(moduli, randOdd(r, bits))
	}
	for range 20 {
		moduli = append(moduli, randOdd(r, 2049+r.IntN(8192-2049+1)))
	}
	one := big.NewInt(1)
	for _, bits := range []int{2048, 4096, 4160} {
		p := new(big.Int).Lsh(one, uint(bits))
		moduli = append(moduli,
			new(big.Int).Add(p, one), // 2^bits + 1: top limb 1
			new(big.Int).Add(p, new(big.Int).SetUint64(1<<64-1)),
			new(big.Int).Sub(p, one)) // all ones: n = R - 1
	}
	for _, n := range moduli {
		nm1 := new(big.Int).Sub(n, one)
		sigs := []*big.Int{big.NewInt(0), one, big.NewInt(2), nm1}
		for range 3 {
			sigs = append(sigs, new(big.Int).Mod(randOdd(r, n.BitLen()+7), n))
		}
		for _, s := range sigs {
			for _, e := range testExps {
				checkExp(t, n, s, e)
			}
		}
	}
}

// TestNewModulus: the context of the smallest odd moduli and the refusal
// of even and non-positive ones.
func TestNewModulus(t *testing.T) {
	for _, v := range []int64{0, -3, 1, 2, 4096} {
		if newModulus(big.NewInt(v)) != nil {
			t.Errorf("newModulus(%d) != nil", v)
		}
	}
	for _, v := range []int64{3, 5, 0x7fff_ffff_ffff_ffff} {
		n := big.NewInt(v)
		for s := int64(0); s < 3 && s < v; s++ {
			checkExp(t, n, big.NewInt(s), 65537)
		}
	}
	m := newModulus(big.NewInt(0x7fff_ffff_ffff_ffff))
	if m.n0inv*m.n[0] != 1<<64-1 { // n0inv*n = -1 mod 2^64
		t.Errorf("n0inv %#x", m.n0inv)
	}
}

// FuzzModExp compares exp with big.Int.Exp on any odd modulus of up to
// 8192 bits, any s below it and any exponent Verify accepts.
func FuzzModExp(f *testing.F) {
	f.Add([]byte{0xc5, 0x01}, []byte{0x33}, uint32(65537))
	f.Add(bytes.Repeat([]byte{0xff}, 512), bytes.Repeat([]byte{0xfe}, 512), uint32(3))
	f.Add(append([]byte{1}, make([]byte, 256)...), []byte{2}, uint32(1<<31-1))
	f.Fuzz(func(t *testing.T, nb, sb []byte, e uint32) {
		if len(nb) > 1024 {
			nb = nb[:1024]
		}
		n := new(big.Int).SetBytes(nb)
		n.SetBit(n, 0, 1)
		if n.BitLen() < 2 {
			return
		}
		e = e&(1<<31-1) | 1
		s := new(big.Int).SetBytes(sb)
		s.Mod(s, n)
		checkExp(t, n, s, e)
	})
}
