// Package verifytest runs the package cases of the third-party rpm-testsuite
// corpus and of the project's fixtures through verify.Verifier with each
// backend in process, comparing with the cases' expectations.
package verifytest
