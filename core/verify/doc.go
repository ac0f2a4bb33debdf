// Package verify runs rpm's package verification flow (lib/rpmvs.cc and
// lib/rpmchecksig.cc) over one [core.Backend] and a [core.Keyring].
//
// A [Verifier] is configured by a [core.VerifyConfig] (whose rpm it
// reproduces, the verify level, the disabled items) and answers a
// [core.Result] per package. All cryptography of a verdict happens in the
// backend; this package decides which items a package has, in what order
// they are checked and printed, and what the verify level requires of them.
//
// # Where each part lives
//
// rpmvs.go is the state machine (items, ranges, ordering, levels:
// rpmvsInit, rpmvsVerify) with the item tables of rpm 6 and rpm 4.18 in
// itemtable.go and the signature checks against the keyring in
// signature.go; verifier.go reads one package; files.go opens files and
// spreads them over workers, or over a backend's
// [core.Capabilities.Packages] path in batches; detached.go checks a
// detached signature over data. The package imports core; core never
// imports it.
package verify
