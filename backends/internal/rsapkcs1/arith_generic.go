//go:build !amd64 || purego

package rsapkcs1

// montgomeryVerify keeps big.Int.Exp in [Verify] where this package has
// no assembly: in pure Go the Montgomery exponentiation is slower than
// math/big's, which has assembly on most architectures (4096 bits on
// amd64: 138 us against 97 us; against math/big built math_big_pure_go,
// 138 against 177 us). [modulus.exp] is still built and tested here.
const montgomeryVerify = false

// addMulVVW is [addMulVVWGeneric] where no assembly kernel exists.
func addMulVVW(z, x []uint64, y uint64) uint64 { return addMulVVWGeneric(z, x, y) }

// redcRows is [redcRowsGeneric] where no assembly kernel exists.
func redcRows(t, n []uint64, k uint64) uint64 { return redcRowsGeneric(t, n, k) }

// mulRows is [mulRowsGeneric] where no assembly kernel exists.
func mulRows(t, x, y, n []uint64, k uint64) uint64 { return mulRowsGeneric(t, x, y, n, k) }

// sqrRows is [sqrRowsGeneric] where no assembly kernel exists.
func sqrRows(t, x []uint64) { sqrRowsGeneric(t, x) }
