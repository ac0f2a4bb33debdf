package core

// HashVerifier is implemented by a [Backend] that can verify a signature
// over a digest its caller finalised itself. It exists for hosts that do
// not own the hash of the signed data: rpm 4.18 hands pgpVerifySignature
// its own running DIGEST_CTX, which a backend cannot read, so the
// LD_PRELOAD library (capi/) duplicates rpm's context, appends the
// signature trailer (RFC 9580, Section 5.2.4) and finalises it there, and the
// backend receives only the resulting sum.
type HashVerifier interface {
	// VerifyHash is [SignatureVerifier.VerifySignature] on sum, which must
	// be the digest (with the signature's hash algorithm) of the signed
	// data followed by the signature's trailer, exactly what the backend
	// itself would have finalised from a Digest. Every other rule (policy,
	// key, prefix, times) is applied as in VerifySignature.
	VerifyHash(key *Params, sig *Params, sum []byte) (Verdict, error)
}
