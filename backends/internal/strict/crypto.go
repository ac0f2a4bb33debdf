package strict

import (
	"errors"
	"fmt"

	"github.com/rpmpgp/rpmpgp/core"
)

// errBadSignature is the cause of a failed public-key check.
var errBadSignature = errors.New("signature verification failed")

// verifyDigest checks sig's public-key material over digest with key (RFC
// 9580, Section 5.2.4 after hashing). All math goes through prims.
func verifyDigest(prims Primitives, key *publicKey, sig *signature, digest []byte) error {
	if key.algo != sig.pkAlgo && !(isRSA(key.algo) && isRSA(sig.pkAlgo)) {
		return fmt.Errorf("key algorithm %v does not match signature algorithm %v", key.algo, sig.pkAlgo)
	}
	switch key.algo {
	case core.PubKeyRSA, core.PubKeyRSASign, core.PubKeyRSAEncrypt:
		if len(sig.mpis) != 1 {
			return errBadSignature
		}
		return prims.VerifyRSA(key.mpis[0], key.mpis[1], sig.hashAlgo, digest, sig.mpis[0])
	case core.PubKeyDSA:
		if len(sig.mpis) != 2 {
			return errBadSignature
		}
		return prims.VerifyDSA(key.mpis[0], key.mpis[1], key.mpis[2], key.mpis[3], digest, sig.mpis[0], sig.mpis[1])
	case core.PubKeyECDSA:
		if key.curve == "" || len(sig.mpis) != 2 {
			return fmt.Errorf("ECDSA curve: %w", ErrUnsupported)
		}
		return prims.VerifyECDSA(key.curve, key.mpis[0], digest, sig.mpis[0], sig.mpis[1])
	case core.PubKeyEdDSA:
		// RFC 9580, Section 5.5.5.4: EdDSALegacy point is 0x40 || key;
		// Section 5.2.3.3: r and s are MPIs, left-padded to 32 octets.
		if key.curve != CurveEd25519 {
			return fmt.Errorf("EdDSA curve: %w", ErrUnsupported)
		}
		pt := key.mpis[0]
		if len(pt) != 33 || pt[0] != 0x40 || len(sig.mpis) != 2 || len(sig.mpis[0]) > 32 || len(sig.mpis[1]) > 32 {
			return errBadSignature
		}
		rs := make([]byte, 64)
		copy(rs[32-len(sig.mpis[0]):32], sig.mpis[0])
		copy(rs[64-len(sig.mpis[1]):], sig.mpis[1])
		return prims.VerifyEdDSA(CurveEd25519, pt[1:], digest, rs)
	case core.PubKeyEd25519:
		return prims.VerifyEdDSA(CurveEd25519, key.raw, digest, sig.raw)
	case core.PubKeyEd448:
		return prims.VerifyEdDSA(CurveEd448, key.raw, digest, sig.raw)
	}
	return fmt.Errorf("%v: %w", key.algo, ErrUnsupported)
}

func isRSA(a core.PubKeyAlgo) bool {
	return a == core.PubKeyRSA || a == core.PubKeyRSASign || a == core.PubKeyRSAEncrypt
}

// supportedAlgo reports whether the backend can verify signatures of keys
// with this algorithm (Sequoia PublicKeyAlgorithm::is_supported).
func supportedAlgo(k *publicKey) bool {
	switch k.algo {
	case core.PubKeyRSA, core.PubKeyRSASign, core.PubKeyDSA, core.PubKeyEd25519, core.PubKeyEd448:
		return true
	case core.PubKeyECDSA:
		return k.curve != "" && k.curve != CurveEd25519
	case core.PubKeyEdDSA:
		return k.curve == CurveEd25519
	}
	return false
}

// signatureAlgoSupported is supportedAlgo for a bare signature, whose key
// is not known (rpm-sequoia 1.10.1: NOKEY becomes NOTTRUSTED for them).
func signatureAlgoSupported(a core.PubKeyAlgo) bool {
	switch a {
	case core.PubKeyRSA, core.PubKeyRSASign, core.PubKeyDSA, core.PubKeyECDSA, core.PubKeyEdDSA, core.PubKeyEd25519, core.PubKeyEd448:
		return true
	}
	return false
}

// hashOver hashes the parts, then sig's trailer, and returns the digest;
// for v6 signatures the salt is hashed first (RFC 9580, Section 5.2.4).
func hashOver(prims Primitives, sig *signature, parts ...[]byte) ([]byte, error) {
	h, err := prims.NewHash(sig.hashAlgo)
	if err != nil {
		return nil, err
	}
	if sig.version == 6 {
		h.Write(sig.salt)
	}
	for _, p := range parts {
		h.Write(p)
	}
	h.Write(sig.trailer())
	return h.Sum()
}

// verifyOver checks a certificate signature made by signer over parts.
func verifyOver(prims Primitives, signer *publicKey, sig *signature, parts ...[]byte) error {
	d, err := hashOver(prims, sig, parts...)
	if err != nil {
		return err
	}
	return verifyDigest(prims, signer, sig, d)
}

// userIDHashPrefix is the header hashed before a User ID (0xb4) or User
// Attribute (0xd1) in v4/v6 certifications (RFC 9580, Section 5.2.4); v3
// certifications hash the bare value (RFC 4880, Section 5.2.4).
func userIDHashPrefix(sig *signature, tag byte, value []byte) []byte {
	if sig.version == 3 {
		return nil
	}
	b := byte(0xb4)
	if tag == tagUserAttribute {
		b = 0xd1
	}
	n := len(value)
	return []byte{b, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
}
