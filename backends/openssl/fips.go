package openssl

import (
	"fmt"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/core"
)

// fipsOp is the kind of operation [fipsDecision] judges.
type fipsOp int

const (
	fipsDigest fipsOp = iota + 1 // NewHash
	fipsRSA                      // VerifyRSA
	fipsDSA                      // VerifyDSA
	fipsECDSA                    // VerifyECDSA
	fipsEdDSA                    // VerifyEdDSA
)

// fipsRequest describes one use of an algorithm in FIPS mode.
type fipsRequest struct {
	op fipsOp
	// hash is the digest (fipsDigest) or the signature's hash (fipsRSA);
	// zero where the primitive does not know it (DSA, ECDSA, EdDSA: their
	// digest was made by NewHash, which already judged it).
	hash core.HashAlgo
	// bits is the RSA modulus or DSA p length in bits; qbits DSA's q.
	bits, qbits int
	// curve is the ECDSA or EdDSA curve.
	curve strict.Curve
}

// fipsDecision decides, in FIPS mode, whether the OpenSSL 3 FIPS provider
// permits req for signature VERIFICATION; nil means allowed. It mirrors the
// provider's own checks (providers/common/securitycheck.c:
// ossl_rsa_check_key, ossl_dsa_check_key, ossl_ec_check_key,
// ossl_digest_get_approved_nid_with_sha1 with sha1_allowed for verify),
// which follow NIST SP 800-131A Rev. 2 "legacy use" rules, so that a refusal
// carries a clear reason instead of a provider error. The provider remains
// the final judge: everything allowed here still goes through it with
// "fips=yes".
//
//   - MD5: refused everywhere; the FIPS provider does not implement it.
//   - SHA-1: allowed, as a digest (RPM's SHA1 header digest; hashing is
//     approved) and in signature verification (SP 800-131A Rev. 2 section 9
//     allows SHA-1 for verifying legacy signatures; OpenSSL passes
//     sha1_allowed for verify). Whether SHA-1 signatures are acceptable is
//     the crypto policy's decision, not FIPS's.
//   - RSA: moduli of at least 1024 bits (legacy verification, 80-bit
//     strength); shorter keys are refused.
//   - DSA: verification only, with (L, N) = (512..2047, 160..223),
//     (2048, 224), (2048, 256) or (3072, 256); FIPS 186-5 withdrew DSA for
//     signing, legacy verification stays allowed.
//   - ECDSA: NIST P-256, P-384 and P-521; the Brainpool curves are refused
//     (the FIPS provider only knows NIST curves).
//   - EdDSA: not judged here; whether the FIPS provider offers Ed25519 and
//     Ed448 depends on its version (the "fips=yes" fetch decides).
func fipsDecision(req fipsRequest) error {
	switch req.op {
	case fipsDigest, fipsRSA:
		if req.hash == core.HashMD5 {
			return refuse("MD5 is not approved in FIPS mode (OpenSSL's FIPS provider does not implement it)", nil)
		}
		if req.op == fipsRSA && req.bits < 1024 {
			return refuse(fmt.Sprintf("%d-bit RSA keys are not approved in FIPS mode (verification needs at least 1024 bits, SP 800-131A Rev. 2)", req.bits), nil)
		}
	case fipsDSA:
		l, n := req.bits, req.qbits
		ok := (l >= 512 && l < 2048 && n >= 160 && n < 224) ||
			(l == 2048 && (n == 224 || n == 256)) ||
			(l == 3072 && n == 256)
		if !ok {
			return refuse(fmt.Sprintf("DSA with L=%d, N=%d is not approved in FIPS mode (verification allows L<2048 with N=160, or (2048, 224), (2048, 256), (3072, 256); SP 800-131A Rev. 2)", l, n), nil)
		}
	case fipsECDSA:
		switch req.curve {
		case strict.CurveP256, strict.CurveP384, strict.CurveP521:
		default:
			return refuse(fmt.Sprintf("ECDSA on %s is not approved in FIPS mode (OpenSSL's FIPS provider only implements NIST curves)", req.curve), nil)
		}
	case fipsEdDSA:
	default:
		return refuse(fmt.Sprintf("unknown operation %d in FIPS mode", int(req.op)), nil)
	}
	return nil
}

// refusal is an error wrapping [strict.ErrUnsupported]: the algorithm is
// unavailable or refused by FIPS. cause, when set, is OpenSSL's error.
type refusal struct {
	msg   string
	cause error
}

func refuse(msg string, cause error) error { return &refusal{msg: "openssl: " + msg, cause: cause} }

// Error implements error.
func (r *refusal) Error() string {
	if r.cause != nil {
		return r.msg + ": " + r.cause.Error()
	}
	return r.msg
}

// Unwrap returns strict.ErrUnsupported and, when set, OpenSSL's error.
func (r *refusal) Unwrap() []error {
	if r.cause != nil {
		return []error{strict.ErrUnsupported, r.cause}
	}
	return []error{strict.ErrUnsupported}
}
