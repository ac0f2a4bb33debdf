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
// Package [github.com/rpmpgp/rpmpgp/core/verify] runs rpm's package
// verification (lib/rpmvs.cc and lib/rpmchecksig.cc) over one backend and a
// [Keyring]; this package holds what it is configured with and what it
// answers. A [VerifyConfig] says whose rpm it reproduces ([Profile]: rpm 6
// with rpm-sequoia, or rpm 4.18), the verify [Level] and the disabled items
// ([VSFlags]). The zero VerifyConfig is the strictest one (rpm 6's flow at
// level all, nothing disabled): an unsigned package fails. [StrictDefaults]
// and [LegacyDefaults] are rpm's shipped defaults, which the CLI uses. The
// flow answers a [Result] of [Item]s; format.go prints items as each rpm
// does.
//
// # Where each part lives
//
// The contract is backend.go (with delegate.go for the whole-package and
// key-import paths a backend may declare, hashverify.go), params.go,
// digest.go, verdict.go and errors.go;
// algorithm.go is the one table of algorithms; keyring.go the keyring;
// items.go and result.go what a verification answers; config.go,
// profile.go, level.go, vsflags.go and fips.go the settings. The flow
// itself (rpmvs.go, itemtable.go, signature.go), reading one package
// (verifier.go), opening files and spreading them over workers (files.go)
// and detached signatures (detached.go) are in core/verify, which imports
// this package and never the reverse.
//
// # Trust model
//
// All cryptography of a verdict happens in the selected backend: the header
// and payload digests and the signature math. Parsing the RPM container
// (package core/rpm) is shared and never trusts a length it has not bounded.
package core
