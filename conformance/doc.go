// Package conformance is rpmpgp's differential conformance harness.
//
// It reads corpora of verification cases (the project's own fixtures and the
// third-party corpora under shared/corpus), runs every case through every
// [Verifier] that supports it — rpmpgp's own backends through the core API
// and the real external verifiers installed on the machine (rpmkeys 4.18,
// sqv, sqop, gosop, gpgv) — compares each verdict with the case's expectation
// for that verifier's profile, and explains every disagreement with the
// reviewed divergence registry (divergences.tsv).
//
// # Corpora
//
// The cases and their readers are package [corpus]:
//
//   - cases.tsv grammar ([corpus.ReadCasesTSV]): the project's
//     testdata/fixtures.tsv and shared/corpus/rpm-testsuite/cases.tsv.
//     Kinds package, key, fingerprint, sigparse, detached.
//   - openpgp-vectors MANIFEST.tsv ([corpus.ReadManifest],
//     [corpus.ReadVectors]): detached and cert rows run; inline and
//     cleartext rows are reported as not applicable.
//   - a directory of .rpm files plus a keyring ([corpus.ReadPackageDir]); no
//     expectations, so the report shows only disagreements. The keyring is
//     read like checksig's --keyring; the external tools get it split one
//     certificate per file.
//
// # Verdicts and failures
//
// [Run] fails the run (Report.Failed) when a verdict contradicts the case's
// expectation for the verifier's profile and no registry entry explains it,
// when verifiers disagree on a case without expectations and no entry
// explains it, and when a registry entry that was exercised explained
// nothing (stale). A crash or timeout of a verifier is an "error" verdict,
// never an abort.
//
// # Reports
//
// [WriteText] prints the case × verifier matrix, [WriteJSON] the versioned
// machine-readable report (schema "rpmpgp-conformance/v1") and [WriteHTML]
// one self-contained page with filters and per-case details.
package conformance
