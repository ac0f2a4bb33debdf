// Package rpmtest tests librpmpgp-preload.so (capi/) inside the real rpm
// 4.18 client: rpmkeys and rpm with a throwaway --dbpath, with and without
// LD_PRELOAD, against expectation files (testdata/, regenerate with
// go test ./capi/rpmtest -update).
//
// The tests need the built library: $RPMPGP_PRELOAD_LIB names it (make
// test and make preload-test build it and the backends, then set it).
// Without it or without rpm they skip, unless $CI is set, when they fail.
// $RPMPGP_PRELOAD_RUNS sets the run count of TestRepeatedRuns (default 100;
// make preload-bench runs 1000).
package rpmtest
