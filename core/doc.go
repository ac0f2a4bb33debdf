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
// # The verification flow
//
// A [Verifier] runs rpm's package verification (lib/rpmvs.cc and
// lib/rpmchecksig.cc) over one backend and a [Keyring]. Its [VerifyConfig]
// says whose rpm it reproduces ([Profile]: rpm 6 with rpm-sequoia, or rpm
// 4.18), the verify [Level] and the disabled items ([VSFlags]). The zero
// VerifyConfig is the strictest one (rpm 6's flow at level all, nothing
// disabled): an unsigned package fails. [StrictDefaults] and
// [LegacyDefaults] are rpm's shipped defaults, which the CLI uses.
//
// The flow is in rpmvs.go (items, ranges, ordering, levels) with the item
// tables in itemtable.go and signature checks against the keyring in
// signature.go; verifier.go reads one package, files.go opens files and
// spreads them over workers (or over a [PackageVerifier] backend); format.go
// prints items as each rpm does.
//
// # Trust model
//
// All cryptography of a verdict happens in the selected backend: the header
// and payload digests and the signature math. Parsing the RPM container
// (package core/rpm) is shared and never trusts a length it has not bounded.
package core
