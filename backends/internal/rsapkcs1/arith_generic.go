//go:build !amd64 || purego

package rsapkcs1

// addMulVVW is [addMulVVWGeneric] where no assembly kernel exists.
func addMulVVW(z, x []uint64, y uint64) uint64 { return addMulVVWGeneric(z, x, y) }
