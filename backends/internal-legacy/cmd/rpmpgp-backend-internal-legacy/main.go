// Command rpmpgp-backend-internal-legacy serves the internal-legacy backend
// (rpm <= 4.19 semantics) to rpmpgp as an out-of-process plugin.
//
// rsa1024min=0: rpm 4.18 verifies RSA keys shorter than 1024 bits, which
// Go's crypto/rsa refuses by default; the legacy profile must accept them.
//
//go:debug rsa1024min=0
package main

import (
	legacy "github.com/rpmpgp/rpmpgp/backends/internal-legacy"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/internal/tuning"
)

func main() {
	tuning.GC()
	go tuning.WarmProto(tuning.BackendService, tuning.StartupMethods...) // while the host dials
	// A new backend for every session of a resident instance.
	plugin.ServeFunc(func() (core.Backend, error) { return legacy.New(), nil })
}
