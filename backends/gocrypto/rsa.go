package gocrypto

import (
	"crypto"
	"fmt"
	"math/big"

	"github.com/rpmpgp/rpmpgp/backends/internal/rsapkcs1"
)

// bigRSAMinBits is the smallest modulus verified with variable-time
// Montgomery arithmetic instead of crypto/rsa (backends/internal/rsapkcs1,
// shared with internal-legacy).
const bigRSAMinBits = rsapkcs1.MinBits

// verifyRSABig checks an RSASSA-PKCS1-v1_5 signature with rsapkcs1's
// arithmetic, exactly as strictly as crypto/rsa.VerifyPKCS1v15
// ([rsapkcs1.Verify]). Every failure is errBad.
func verifyRSABig(n *big.Int, e int, h crypto.Hash, digest, sig []byte) error {
	if err := rsapkcs1.Verify(n, e, h, digest, sig); err != nil {
		return fmt.Errorf("%w: %v", errBad, err)
	}
	return nil
}
