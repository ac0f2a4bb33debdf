package main

import "strings"

// Lint codes: the stable, machine-readable reason beside a lint's text in
// rpmpgp's JSON (docs/schema/rpmpgp-checksig-v2.json lists them). The
// texts are rpm-sequoia's and rpm 4.18's (what rpmkeys prints), so the
// code is derived from them; "other" when no rule matches.
const (
	lintExpired      = "expired"
	lintRevoked      = "revoked"
	lintNotYetValid  = "not-yet-valid"
	lintNoSigningKey = "no-signing-key"
	lintWeakHash     = "weak-hash"
	lintWeakKey      = "weak-key"
	lintMPIEncoding  = "mpi-encoding"
	lintNoBinding    = "no-binding-signature"
	lintInvalidKey   = "invalid-key"
	lintUnsupported  = "unsupported"
	lintMalformed    = "malformed"
	lintPolicy       = "policy"
	lintOther        = "other"
)

// lintRules map a phrase of the text to its code; the first match wins,
// so the more specific phrases come first. The phrases are sequoia's
// (openpgp/src/policy.rs, cert/amalgamation, rpm-sequoia src/lib.rs
// lints) and rpm 4.18's (rpmio/rpmpgp_internal.c).
var lintRules = []struct{ phrase, code string }{
	{"revoked", lintRevoked},
	{"Not live until", lintNotYetValid},
	{"not yet valid", lintNotYetValid},
	{"in the future", lintNotYetValid},
	{"Expired on", lintExpired},
	{"is expired", lintExpired},
	{"expired", lintExpired},
	{"not signing capable", lintNoSigningKey},
	{"usable signing keys", lintNoSigningKey},
	{"Malformed MPI", lintMPIEncoding},
	{"MPI", lintMPIEncoding},
	{"asymmetric algorithm", lintWeakKey},
	{"No binding signature", lintNoBinding},
	{"legacy cryptography", lintWeakHash},
	{"hash algorithm", lintWeakHash},
	{"does not contain key", lintInvalidKey},
	{"not supported", lintUnsupported},
	{"Unsupported", lintUnsupported},
	{"unsupported", lintUnsupported},
	{"first packet is not", lintUnsupported},
	{"Malformed", lintMalformed},
	{"malformed", lintMalformed},
	{"Policy", lintPolicy},
	{"policy", lintPolicy},
}

// weakHashes are the digests sequoia's standard policy (and rpm's crypto
// policies) reject for signatures; a policy rejection naming one is
// "weak-hash".
var weakHashes = []string{"SHA1 ", "MD5 ", "RIPEMD160 ", "SHA224 "}

// lintCode gives the stable code of a lint text.
func lintCode(text string) string {
	if strings.Contains(text, "not considered secure") && !strings.Contains(text, "asymmetric algorithm") {
		for _, h := range weakHashes {
			if strings.Contains(text, "because: "+h) || strings.Contains(text, "because "+h) {
				return lintWeakHash
			}
		}
	}
	for _, r := range lintRules {
		if strings.Contains(text, r.phrase) {
			return r.code
		}
	}
	return lintOther
}
