// Package strict holds the rpm-sequoia semantics shared by the strict
// backends (gocrypto and openssl). Only the cryptographic primitives differ
// between them; they come in through [Primitives].
//
// The strict backends have their own OpenPGP reader, bounded by the limits
// in limits.go and internal/packet/limits.go, so that every rule
// rpm-sequoia (and Sequoia under it) applies is visible: packet framing,
// MPIs, signatures and their subpackets are package
// [github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet];
// keys (publickey.go), certificates (cert.go, merge.go) and ASCII armor
// (armor.go) are here. On top of it: certificate
// validity, expiry, revocation, key flags and back-signatures under the
// crypto policy of package policyconf (validity.go), the BAD / NOKEY /
// NOTTRUSTED choice of rpm-sequoia's pgpVerifySignature2 (verify.go),
// pgpPubKeyLint (keylint.go) and the lint texts (lint.go).
//
// The table tests of this directory run it over a minimal standard-library
// Primitives and packets built by hand (builder_test.go).
package strict
