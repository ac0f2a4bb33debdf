// Package sopv implements the verification-only subset ("sopv") of the
// Stateless OpenPGP Command Line Interface, draft-dkg-openpgp-stateless-cli
// (revision 16; sopv(1), sopv-version(1), sopv-verify(1),
// sopv-inline-verify(1) of stateless-openpgp-docs 13.1): the subcommands
// version, verify and inline-verify, the argument conventions (options as
// --name=value or --name value, "--", the @ENV: and @FD: special
// designators), the exit codes of the spec's "Failure Modes" section and
// the VERIFICATIONS output lines.
//
// Every cryptographic decision is the configured rpmpgp backend's, through
// core/verify's [verify.Verifier.VerifyDetached]: sopv only frames the
// inputs (armor, packet boundaries, the structure of inline-signed and
// cleartext-signed messages) and formats the answers. A signature counts
// when the backend's verdict is OK and its creation time lies inside the
// --not-before/--not-after window.
package sopv
