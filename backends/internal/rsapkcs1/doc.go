// Package rsapkcs1 holds the RSA signature check the backends share for
// large moduli: RSASSA-PKCS1-v1_5 verification (RFC 8017, Section 8.2.2)
// with a variable-time Montgomery exponentiation over 64-bit limbs
// (montgomery.go; the per-modulus context cached, cache.go; the word and
// row loops in amd64 assembly, with MULX/ADCX/ADOX when the CPU has BMI2
// and ADX, arith_amd64.s). Above 2048 bits that is several times faster
// than crypto/rsa's constant-time arithmetic (its bigmod has assembly only
// for 1024, 1536 and 2048-bit moduli) and faster than math/big's Exp,
// which reduces by trial division for a one-word exponent. On other
// architectures and under the purego build tag the same exponentiation is
// built in Go (math/bits) and tested, but Verify keeps big.Int.Exp, which
// is faster there (arith_generic.go). Variable time is fine for
// verification: every input is public.
//
// [Verify] applies exactly crypto/rsa.VerifyPKCS1v15's checks (gocrypto's
// differential test and fuzz target compare them), so a backend may route
// moduli of [MinBits] or more here without changing a verdict: gocrypto
// for the strict profile, internal-legacy for rpm 4.18's.
package rsapkcs1
