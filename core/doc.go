// Package core defines the contract between rpmpgp and its crypto
// backends, and the verification flow that runs on top of it.
//
// # The contract
//
// [Backend] mirrors the API that every RPM OpenPGP backend implements: the
// OpenPGP half of rpm's include/rpm/rpmpgp.h (pgpPrtParams2,
// pgpVerifySignature2, pgpPubKeyLint, ...) and the digest half of
// include/rpm/rpmcrypto.h (rpmDigestInit/Update/Dup/Final). Names are
// Go-shaped; semantics are RPM's. Each method's doc comment names the RPM
// function it mirrors.
//
// # Verdicts are data
//
// Outcomes such as "the signature is bad" or "the packet does not parse" are
// values ([Verdict], [ParseResult]); a Go error means "no verdict" (a crashed
// backend, a transport failure, a bad request). Callers never read an error as
// success. The zero value of every verdict type is invalid: [RCInvalid] is not
// OK, and a nil [Params] is never a parsed packet.
//
// # Trust model
//
// All cryptography of a verdict happens in the selected backend: the header
// and payload digests and the signature math. Parsing the RPM container
// (package core/rpm) is shared and never trusts a length it has not bounded.
package core
