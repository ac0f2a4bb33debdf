//go:build !amd64 || purego

package rsapkcs1

import "testing"

// forEachKernel runs f with the only kernel there is, the pure-Go one.
func forEachKernel(t *testing.T, f func(t *testing.T)) { t.Run("go", f) }
