package rsapkcs1

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"math/big"
	"testing"
)

// signedKey makes a fresh RSA key of bits and signs the SHA-256 of msg
// with it (PKCS #1 v1.5), returning the key, the digest and the signature.
func signedKey(tb testing.TB, bits int, msg string) (*rsa.PrivateKey, []byte, []byte) {
	tb.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		tb.Fatal(err)
	}
	sum := sha256.Sum256([]byte(msg))
	sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, sum[:])
	if err != nil {
		tb.Fatal(err)
	}
	return priv, sum[:], sig
}

// TestVerify: a crypto/rsa signature verifies, and every failed check
// names itself.
func TestVerify(t *testing.T) {
	priv, sum, sig := signedKey(t, MinBits+255, "data")
	if err := Verify(priv.N, priv.E, crypto.SHA256, sum, sig); err != nil {
		t.Fatalf("good signature: %v", err)
	}
	flipped := append([]byte(nil), sig...)
	flipped[10] ^= 0x80
	tooBig := priv.N.FillBytes(make([]byte, len(sig))) // s = n
	even := new(big.Int).Add(priv.N, big.NewInt(1))
	for _, c := range []struct {
		name   string
		n      *big.Int
		e      int
		h      crypto.Hash
		digest []byte
		sig    []byte
		want   string
	}{
		{"flipped bit", priv.N, priv.E, crypto.SHA256, sum, flipped, "encoded message mismatch"},
		{"wrong hash", priv.N, priv.E, crypto.SHA512, sum, sig, "32-octet digest for SHA-512"},
		{"no DigestInfo", priv.N, priv.E, crypto.RIPEMD160, sum[:20], sig, "no DigestInfo for RIPEMD-160"},
		{"short signature", priv.N, priv.E, crypto.SHA256, sum, sig[1:], "287-octet signature for a 288-octet modulus"},
		{"even modulus", even, priv.E, crypto.SHA256, sum, sig, "RSA modulus is not odd"},
		{"even exponent", priv.N, 65536, crypto.SHA256, sum, sig, "RSA exponent 65536"},
		{"s >= n", priv.N, priv.E, crypto.SHA256, sum, tooBig, "signature representative out of range"},
	} {
		err := Verify(c.n, c.e, c.h, c.digest, c.sig)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if !Supports(crypto.SHA3_256) || Supports(crypto.RIPEMD160) {
		t.Error("Supports: SHA3-256 must be known, RIPEMD-160 not")
	}
}
