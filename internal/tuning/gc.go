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
// [BatchGCPercent]: a host keeps every result until it prints them, and
// over a large mirror five times that live heap would be more memory than
// the collections saved are worth. Below the limit BatchGCPercent governs.
const BatchMemoryLimit = 512 << 20

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
