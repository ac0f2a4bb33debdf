// Package lintcode gives each lint text (rpm-sequoia's and rpm 4.18's
// explanations of a refused key or signature) a stable, machine-readable
// code for rpmpgp's JSON output.
package lintcode

import "strings"

// Lint codes: the stable, machine-readable reason beside a lint's text in
// rpmpgp's JSON (docs/schema/rpmpgp-checksig-v2.json lists them). The
// texts are rpm-sequoia's and rpm 4.18's (what rpmkeys prints), so the
// code is derived from them; "other" when no rule matches.
const (
	Expired      = "expired"
	Revoked      = "revoked"
	NotYetValid  = "not-yet-valid"
	NoSigningKey = "no-signing-key"
	WeakHash     = "weak-hash"
	WeakKey      = "weak-key"
	MPIEncoding  = "mpi-encoding"
	NoBinding    = "no-binding-signature"
	InvalidKey   = "invalid-key"
	Unsupported  = "unsupported"
	Malformed    = "malformed"
	Policy       = "policy"
	Other        = "other"
)

// rules map a phrase of the text to its code; the first match wins,
// so the more specific phrases come first. The phrases are sequoia's
// (openpgp/src/policy.rs, cert/amalgamation, rpm-sequoia src/lib.rs
// lints) and rpm 4.18's (rpmio/rpmpgp_internal.c).
var rules = []struct{ phrase, code string }{
	{"revoked", Revoked},
	{"Not live until", NotYetValid},
	{"not yet valid", NotYetValid},
	{"in the future", NotYetValid},
	{"Expired on", Expired},
	{"is expired", Expired},
	{"expired", Expired},
	// rpm-sequoia's pgpPubKeyLint: "The certificate is not live: ...",
	// "Subkey X is not live: ..." (not yet valid, not expired).
	{"is not live:", NotYetValid},
	{"not signing capable", NoSigningKey},
	{"usable signing keys", NoSigningKey},
	{"Malformed MPI", MPIEncoding},
	{"MPI", MPIEncoding},
	{"asymmetric algorithm", WeakKey},
	{"No binding signature", NoBinding},
	{"legacy cryptography", WeakHash},
	{"hash algorithm", WeakHash},
	{"does not contain key", InvalidKey},
	{"not supported", Unsupported},
	{"Unsupported", Unsupported},
	{"unsupported", Unsupported},
	{"first packet is not", Unsupported},
	{"Malformed", Malformed},
	{"malformed", Malformed},
	{"Policy", Policy},
	{"policy", Policy},
}

// weakHashes are the digests sequoia's standard policy (and rpm's crypto
// policies) reject for signatures; a policy rejection naming one is
// "weak-hash".
var weakHashes = []string{"SHA1 ", "MD5 ", "RIPEMD160 ", "SHA224 "}

// Of gives the stable code of a lint text.
func Of(text string) string {
	if strings.Contains(text, "not considered secure") && !strings.Contains(text, "asymmetric algorithm") {
		for _, h := range weakHashes {
			if strings.Contains(text, "because: "+h) || strings.Contains(text, "because "+h) {
				return WeakHash
			}
		}
	}
	for _, r := range rules {
		if strings.Contains(text, r.phrase) {
			return r.code
		}
	}
	return Other
}
