// Command rpmpgp-backend-gocrypto serves the gocrypto backend (strict
// profile, Go crypto) to rpmpgp as an out-of-process plugin.
package main

import (
	"github.com/rpmpgp/rpmpgp/backends/gocrypto"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/internal/tuning"
)

func main() {
	tuning.GC()
	go tuning.WarmProto(tuning.BackendService, tuning.StartupMethods...) // while the host dials
	// A new backend for every session of a resident instance.
	plugin.ServeFunc(func() (core.Backend, error) { return gocrypto.New(), nil })
}
