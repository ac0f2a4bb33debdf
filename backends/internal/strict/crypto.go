package strict

import (
	"errors"
	"fmt"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
	"github.com/rpmpgp/rpmpgp/core"
)

// errBadSignature is the cause of a failed public-key check.
var errBadSignature = errors.New("signature verification failed")

// verifyDigest checks sig's public-key material over digest with key (RFC
// 9580, Section 5.2.4 after hashing). All math goes through prims.
func verifyDigest(prims Primitives, key *publicKey, sig *packet.Signature, digest []byte) error {
	if key.algo != sig.PKAlgo && !(isRSA(key.algo) && isRSA(sig.PKAlgo)) {
		return fmt.Errorf("key algorithm %v does not match signature algorithm %v", key.algo, sig.PKAlgo)
	}
	switch key.algo {
	case core.PubKeyRSA, core.PubKeyRSASign, core.PubKeyRSAEncrypt:
		if len(sig.MPIs) != 1 {
			return errBadSignature
		}
		return prims.VerifyRSA(key.mpis[0], key.mpis[1], sig.HashAlgo, digest, sig.MPIs[0])
	case core.PubKeyDSA:
		if len(sig.MPIs) != 2 {
			return errBadSignature
		}
		return prims.VerifyDSA(key.mpis[0], key.mpis[1], key.mpis[2], key.mpis[3], digest, sig.MPIs[0], sig.MPIs[1])
	case core.PubKeyECDSA:
		if key.curve == "" || len(sig.MPIs) != 2 {
			return fmt.Errorf("ECDSA curve: %w", ErrUnsupported)
		}
		return prims.VerifyECDSA(key.curve, key.mpis[0], digest, sig.MPIs[0], sig.MPIs[1])
	case core.PubKeyEdDSA:
		// RFC 9580, Section 5.5.5.4: EdDSALegacy point is 0x40 || key;
		// Section 5.2.3.3: r and s are MPIs, left-padded to 32 octets.
		if key.curve != CurveEd25519 {
			return fmt.Errorf("EdDSA curve: %w", ErrUnsupported)
		}
		pt := key.mpis[0]
		if len(pt) != 33 || pt[0] != 0x40 || len(sig.MPIs) != 2 || len(sig.MPIs[0]) > 32 || len(sig.MPIs[1]) > 32 {
			return errBadSignature
		}
		rs := make([]byte, 64)
		copy(rs[32-len(sig.MPIs[0]):32], sig.MPIs[0])
		copy(rs[64-len(sig.MPIs[1]):], sig.MPIs[1])
		return prims.VerifyEdDSA(CurveEd25519, pt[1:], digest, rs)
	case core.PubKeyEd25519:
		return prims.VerifyEdDSA(CurveEd25519, key.raw, digest, sig.Raw)
	case core.PubKeyEd448:
		return prims.VerifyEdDSA(CurveEd448, key.raw, digest, sig.Raw)
	case core.PubKeyMLDSA65Ed25519, core.PubKeyMLDSA87Ed448:
		return verifyComposite(prims, key, sig, digest)
	}
	return fmt.Errorf("%v: %w", key.algo, ErrUnsupported)
}

// mldsaComposite is an ML-DSA + EdDSA composite algorithm
// (draft-ietf-openpgp-pqc, "Composite Signature Schemes with ML-DSA"): the
// key material is the EdDSA public key followed by the ML-DSA public key,
// the signature the EdDSA signature followed by the ML-DSA signature, all
// fixed-length octet strings (tables "EdDSA parameters and artifact
// lengths" and "ML-DSA parameters and artifact lengths"). The sums are
// core's KeyBytes and SigBytes (a test checks).
type mldsaComposite struct {
	curve           Curve
	set             MLDSA
	edPub, mldsaPub int
	edSig, mldsaSig int
}

var mldsaComposites = map[core.PubKeyAlgo]mldsaComposite{
	core.PubKeyMLDSA65Ed25519: {CurveEd25519, MLDSA65, 32, 1952, 64, 3309},
	core.PubKeyMLDSA87Ed448:   {CurveEd448, MLDSA87, 57, 2592, 114, 4627},
}

// minCompositeDigest is the shortest digest a composite signature may use.
const minCompositeDigest = 32

// verifyComposite checks an ML-DSA + EdDSA composite signature. Per
// draft-ietf-openpgp-pqc ("Signature Packet (Packet Type ID 2)" and "Key
// Material Packets" of the composite scheme) the algorithms exist only for
// v6 keys and v6 signatures, and a verifier MUST reject a digest shorter
// than 256 bits; per "Signature Verification" both the EdDSA and the
// ML-DSA signature over the RFC 9580 (Section 5.2.4) digest must verify.
// Primitives without ML-DSA report that first, whatever the signature.
func verifyComposite(prims Primitives, key *publicKey, sig *packet.Signature, digest []byte) error {
	c, ok := mldsaComposites[key.algo]
	if !ok {
		return fmt.Errorf("%v: %w", key.algo, ErrUnsupported)
	}
	if err := prims.Supports(key.algo); err != nil {
		return err
	}
	if key.version != 6 || sig.Version != 6 {
		return fmt.Errorf("%v needs a v6 key and a v6 signature (have key v%d, signature v%d): %w", key.algo, key.version, sig.Version, errBadSignature)
	}
	if len(digest) < minCompositeDigest {
		return fmt.Errorf("%v needs a digest of at least 256 bits, %v has %d: %w", key.algo, sig.HashAlgo, 8*len(digest), errBadSignature)
	}
	if len(key.raw) != c.edPub+c.mldsaPub || len(sig.Raw) != c.edSig+c.mldsaSig {
		return errBadSignature
	}
	if err := prims.VerifyEdDSA(c.curve, key.raw[:c.edPub], digest, sig.Raw[:c.edSig]); err != nil {
		return err
	}
	return prims.VerifyMLDSA(c.set, key.raw[c.edPub:], digest, sig.Raw[c.edSig:])
}

// isRSA reports whether a is RSA or one of its deprecated variants.
func isRSA(a core.PubKeyAlgo) bool { return a.Info().Family == core.PubKeyRSA }

// errNoSupport is the reason supportedAlgo gives for algorithms (or curves)
// the strict code itself cannot verify; other reasons come from the
// primitives.
var errNoSupport = fmt.Errorf("algorithm not implemented: %w", ErrUnsupported)

// supportedAlgo reports whether the backend can verify signatures of keys
// with this algorithm (Sequoia PublicKeyAlgorithm::is_supported): nil, or
// why not ([errNoSupport], or the primitives' reason).
func supportedAlgo(prims Primitives, k *publicKey) error {
	switch k.algo {
	case core.PubKeyECDSA:
		if k.curve == "" || k.curve == CurveEd25519 {
			return errNoSupport
		}
	case core.PubKeyEdDSA:
		if k.curve != CurveEd25519 {
			return errNoSupport
		}
	}
	return signatureAlgoSupported(prims, k.algo)
}

// signatureAlgoSupported is supportedAlgo for a bare signature, whose key
// is not known (rpm-sequoia 1.10.1: NOKEY becomes NOTTRUSTED for them):
// the strict code must know how to verify the algorithm (the Strict column
// of core's algorithm table) and the primitives must offer it.
func signatureAlgoSupported(prims Primitives, a core.PubKeyAlgo) error {
	if !a.Info().Strict {
		return errNoSupport
	}
	return prims.Supports(a)
}

// hashOver hashes the parts, then sig's trailer, and returns the digest;
// for v6 signatures the salt is hashed first (RFC 9580, Section 5.2.4).
func hashOver(prims Primitives, sig *packet.Signature, parts ...[]byte) ([]byte, error) {
	h, err := prims.NewHash(sig.HashAlgo)
	if err != nil {
		return nil, err
	}
	if sig.Version == 6 {
		h.Write(sig.Salt)
	}
	for _, p := range parts {
		h.Write(p)
	}
	h.Write(sig.Trailer())
	return h.Sum()
}

// verifyOver checks a certificate signature made by signer over parts.
func verifyOver(prims Primitives, signer *publicKey, sig *packet.Signature, parts ...[]byte) error {
	d, err := hashOver(prims, sig, parts...)
	if err != nil {
		return err
	}
	return verifyDigest(prims, signer, sig, d)
}

// userIDHashPrefix is the header hashed before a User ID (0xb4) or User
// Attribute (0xd1) in v4/v6 certifications (RFC 9580, Section 5.2.4); v3
// certifications hash the bare value (RFC 4880, Section 5.2.4).
func userIDHashPrefix(sig *packet.Signature, tag byte, value []byte) []byte {
	if sig.Version == 3 {
		return nil
	}
	b := byte(0xb4)
	if tag == packet.TagUserAttribute {
		b = 0xd1
	}
	n := len(value)
	return []byte{b, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
}
