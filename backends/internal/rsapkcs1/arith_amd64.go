//go:build amd64 && !purego

package rsapkcs1

import "golang.org/x/sys/cpu"

// montgomeryVerify makes [Verify] exponentiate with [modulus.exp]: with
// the assembly word loop it is faster than big.Int.Exp (4096 bits here:
// 55 vs 96 us with MULX/ADCX/ADOX; 111 vs 122 us with MULQ, math/big
// without ADX too).
const montgomeryVerify = true

// useADX selects the MULX/ADCX/ADOX word loop (BMI2 and ADX, Intel
// Broadwell and AMD Zen on) and the assembly row loops built on it
// (redcADX, mulADX, sqrRowsADX); without them addMulVVWAsm runs MULQ/ADCQ
// under the Go row loops. Tests switch it off to cover that path.
var useADX = cpu.X86.HasADX && cpu.X86.HasBMI2

// addMulVVWAsm is [addMulVVWGeneric] in assembly (arith_amd64.s) over
// len(z) limbs; x must have at least len(z).
//
//go:noescape
func addMulVVWAsm(z, x []uint64, y uint64) (c uint64)

// addMulVVW is [addMulVVWGeneric] with the assembly kernel; the bounds
// check keeps the assembly inside x.
func addMulVVW(z, x []uint64, y uint64) uint64 {
	x = x[:len(z)]
	return addMulVVWAsm(z, x, y)
}

// redcADX is the row loop of [modulus.redc] with the MULX/ADCX/ADOX word
// loop, in assembly; t has at least 2*len(n) limbs.
//
//go:noescape
func redcADX(t, n []uint64, k uint64) (c uint64)

// redcRows is [redcRowsGeneric], in assembly when the CPU has BMI2 and
// ADX.
func redcRows(t, n []uint64, k uint64) uint64 {
	if useADX {
		t = t[:2*len(n)]
		return redcADX(t, n, k)
	}
	return redcRowsGeneric(t, n, k)
}

// mulADX is the row loop of [modulus.mul] with the MULX/ADCX/ADOX word
// loop, in assembly; t has 2*len(n) zero limbs, len(x) = len(y) = len(n).
//
//go:noescape
func mulADX(t, x, y, n []uint64, k uint64) (c uint64)

// sqrRowsADX is the cross-product row loop of [modulus.sqr] in assembly;
// t has 2*len(x) zero limbs.
//
//go:noescape
func sqrRowsADX(t, x []uint64)

// mulRows is [mulRowsGeneric], in assembly when the CPU has BMI2 and ADX.
func mulRows(t, x, y, n []uint64, k uint64) uint64 {
	if useADX {
		L := len(n)
		return mulADX(t[:2*L], x[:L], y[:L], n, k)
	}
	return mulRowsGeneric(t, x, y, n, k)
}

// sqrRows is [sqrRowsGeneric], in assembly when the CPU has BMI2 and ADX.
func sqrRows(t, x []uint64) {
	if useADX {
		sqrRowsADX(t[:2*len(x)], x)
		return
	}
	sqrRowsGeneric(t, x)
}
