//go:build !amd64 || purego

package rsapkcs1

// addMulVVW is [addMulVVWGeneric] where no assembly kernel exists.
func addMulVVW(z, x []uint64, y uint64) uint64 { return addMulVVWGeneric(z, x, y) }

// redcRows is [redcRowsGeneric] where no assembly kernel exists.
func redcRows(t, n []uint64, k uint64) uint64 { return redcRowsGeneric(t, n, k) }

// mulRows is [mulRowsGeneric] where no assembly kernel exists.
func mulRows(t, x, y, n []uint64, k uint64) uint64 { return mulRowsGeneric(t, x, y, n, k) }

// sqrRows is [sqrRowsGeneric] where no assembly kernel exists.
func sqrRows(t, x []uint64) { sqrRowsGeneric(t, x) }
