//go:build cgo

package ossl

/*
#include <stdlib.h>
#include "shims.h"
*/
import "C"

import (
	"encoding/asn1"
	"math/big"
	"unsafe"
)

// VerifyRSA checks an RSA PKCS#1 v1.5 signature over a precomputed digest
// made with the digest OpenSSL calls mdName. n and e are unsigned
// big-endian; sig must be exactly as long as the modulus (callers left-pad
// short OpenPGP signatures). It returns nil for a valid signature, an error
// wrapping [ErrVerify] for an invalid one, one wrapping [ErrUnavailable]
// when the context's providers do not offer RSA or the digest.
//
// The key is imported once per library context and kept with a
// verification template per digest (a bounded cache of the last keys used,
// see [Context.FlushKeys]): a batch verifies every package with the same
// few keys.
//
// OpenSSL API: OSSL_PARAM_BLD_push_BN(3) n, e -> EVP_PKEY_fromdata(3);
// EVP_PKEY_verify_init(3), EVP_PKEY_CTX_set_rsa_padding(3)
// (RSA_PKCS1_PADDING), EVP_PKEY_CTX_set_signature_md(3) -> template;
// EVP_PKEY_CTX_dup(3) once per concurrent verification, EVP_PKEY_verify(3)
// on the copy, which is kept for the next verification with the same key
// and digest after a valid signature (see [verifiers]).
func (c *Context) VerifyRSA(n, e []byte, mdName string, digest, sig []byte) error {
	m, err := c.fetch(mdName)
	if err != nil {
		return err
	}
	ck, err := c.rsaKey(n, e)
	if err != nil {
		return err
	}
	defer c.keys.release(ck)
	vs, vctx, err := c.verifier(ck, m)
	if err != nil {
		return err
	}
	b := getErrBuf()
	rc := C.rpmpgp_verify_rsa(vctx, bytesPtr(digest), size(digest), bytesPtr(sig), size(sig), b.ptr(), b.size())
	if rc != C.RPMPGP_OK {
		// A context that saw a failure is not used again.
		C.rpmpgp_pkey_ctx_free(vctx)
		return result("RSA verify", rc, b)
	}
	c.putVerifier(ck, vs, vctx)
	return result("RSA verify", rc, b)
}

// VerifyDSA checks a DSA signature (r, s) over digest with the public key
// (p, q, g, y), all unsigned big-endian. OpenSSL truncates the digest to the
// byte length of q (FIPS 186-4, section 4.6). Results as [Context.VerifyRSA].
//
// OpenSSL API: EVP_PKEY_fromdata(3) with OSSL_PKEY_PARAM_FFC_P/Q/G and
// OSSL_PKEY_PARAM_PUB_KEY; EVP_PKEY_verify(3) on the DER Dss-Sig-Value.
func (c *Context) VerifyDSA(p, q, g, y, digest, r, s []byte) error {
	sig, err := derSignature(r, s)
	if err != nil {
		return err
	}
	b := getErrBuf()
	return result("DSA verify", C.rpmpgp_verify_dsa(c.libctx,
		bytesPtr(p), size(p), bytesPtr(q), size(q), bytesPtr(g), size(g),
		bytesPtr(y), size(y), bytesPtr(digest), size(digest),
		bytesPtr(sig), size(sig), b.ptr(), b.size()), b)
}

// VerifyECDSA checks an ECDSA signature (r, s) over digest with the public
// point (an encoded SEC1 point) on the named group (OpenSSL's name: "P-256",
// "brainpoolP256r1", ...). OpenSSL checks that the point is on the curve and
// truncates the digest to the bit length of the group order. Results as
// [Context.VerifyRSA].
//
// OpenSSL API: EVP_PKEY_fromdata(3) with OSSL_PKEY_PARAM_GROUP_NAME and
// OSSL_PKEY_PARAM_PUB_KEY; EVP_PKEY_verify(3) on the DER ECDSA-Sig-Value.
func (c *Context) VerifyECDSA(group string, point, digest, r, s []byte) error {
	sig, err := derSignature(r, s)
	if err != nil {
		return err
	}
	cgroup := C.CString(group)
	defer C.free(unsafe.Pointer(cgroup))
	b := getErrBuf()
	return result("ECDSA verify on "+group, C.rpmpgp_verify_ecdsa(c.libctx, cgroup,
		bytesPtr(point), size(point), bytesPtr(digest), size(digest),
		bytesPtr(sig), size(sig), b.ptr(), b.size()), b)
}

// VerifyEdDSA checks a pure EdDSA signature (empty context) over msg;
// keyType is OpenSSL's key type, "ED25519" or "ED448"; pub is the raw
// public key and sig is R || S. Results as [Context.VerifyRSA].
//
// OpenSSL API: EVP_PKEY_new_raw_public_key_ex(3), EVP_DigestVerifyInit_ex(3)
// with no digest, one-shot EVP_DigestVerify(3).
func (c *Context) VerifyEdDSA(keyType string, pub, msg, sig []byte) error {
	ckt := C.CString(keyType)
	defer C.free(unsafe.Pointer(ckt))
	b := getErrBuf()
	return result(keyType+" verify", C.rpmpgp_verify_eddsa(c.libctx, ckt,
		bytesPtr(pub), size(pub), bytesPtr(msg), size(msg),
		bytesPtr(sig), size(sig), b.ptr(), b.size()), b)
}

// derSignature encodes the unsigned big-endian integers r and s as the DER
// SEQUENCE { INTEGER r, INTEGER s } that OpenSSL's DSA and ECDSA verifiers
// take (Dss-Sig-Value, RFC 3279 section 2.2.2; ECDSA-Sig-Value, RFC 5480).
func derSignature(r, s []byte) ([]byte, error) {
	sig, err := asn1.Marshal(struct{ R, S *big.Int }{
		R: new(big.Int).SetBytes(r),
		S: new(big.Int).SetBytes(s),
	})
	if err != nil {
		return nil, &Error{Op: "encoding the signature as DER", Reason: err.Error()}
	}
	return sig, nil
}
