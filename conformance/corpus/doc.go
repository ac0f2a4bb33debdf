// Package corpus reads the conformance cases: the case model ([Case],
// [Data], [Kind]) and the readers of the corpora the harness runs —
// the cases.tsv grammar ([ReadCasesTSV]: the project's
// testdata/fixtures.tsv and shared/corpus/rpm-testsuite/cases.tsv), the
// openpgp-vectors manifests ([ReadManifest], [ReadVectors]) and a
// directory of .rpm files ([ReadPackageDir]). It runs nothing; package
// conformance runs the cases and judges the verdicts.
package corpus
