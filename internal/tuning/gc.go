// Package tuning holds the process-wide run-time settings of rpmpgp's
// binaries, which their mains apply: the garbage collector target of
// processes that verify many packages ([GC]) and the warm-up of the
// protobuf tables of the backend protocol ([WarmProto]). Libraries never
// change them.
package tuning

import (
	"os"
	"runtime/debug"
)

// BatchGCPercent is the garbage collector target (GOGC) of processes that
// verify many packages: a backend process, and a host that hands it
// batches. They keep little live heap and allocate fast (bignum arithmetic,
// parsing, wire messages), so at Go's default of 100 they collect every
// few packages; measured on 1000 RSA-4096 packages, 400 takes ~15% less
// CPU for a few MiB more heap.
const BatchGCPercent = 400

// BatchMemoryLimit is the soft memory limit (GOMEMLIMIT) that goes with
// [BatchGCPercent]. Results are written as they are ready, so what stays
// live is small (~3 MiB in host and backend over any number of packages)
// and five times that is garbage; the limit makes the collector run before
// the heap grows past it, which keeps host and backend together within
// issue 16's 64 MiB at any scale (measured over 10,000 packages: ~52 MiB,
// of which ~28 MiB are the two binaries' pages, against ~72 MiB without
// it). A limit, not a cap: a larger live heap (a huge keyring or header)
// only makes the collector run more often. Below it BatchGCPercent governs,
// so a run of a few packages never collects for it.
const BatchMemoryLimit = 16 << 20

// GC sets the garbage collector target to [BatchGCPercent] and the soft
// memory limit to [BatchMemoryLimit], each unless the environment (GOGC,
// GOMEMLIMIT) chose one.
func GC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(BatchGCPercent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(BatchMemoryLimit)
	}
}
