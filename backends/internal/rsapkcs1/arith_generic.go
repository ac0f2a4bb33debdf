//go:build !amd64 || purego

package rsapkcs1

// addMulVVW is [addMulVVWGeneric] where no assembly kernel exists.
func addMulVVW(z, x []uint64, y uint64) uint64 { return addMulVVWGeneric(z, x, y) }

// redcRows is [redcRowsGeneric] where no assembly kernel exists.
func redcRows(t, n []uint64, k uint64) uint64 { return redcRowsGeneric(t, n, k) }
