//go:build amd64 && !purego

package rsapkcs1

import "testing"

// forEachKernel runs f with each assembly loop this CPU can execute:
// MULQ/ADCQ always, MULX/ADCX/ADOX when it has BMI2 and ADX.
func forEachKernel(t *testing.T, f func(t *testing.T)) {
	has := useADX
	defer func() { useADX = has }()
	useADX = false
	t.Run("mulq", f)
	if has {
		useADX = true
		t.Run("adx", f)
	}
}
