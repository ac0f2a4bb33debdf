// Command rpmpgp-backend-openssl serves the openssl backend (strict
// profile, all crypto through OpenSSL 3) to rpmpgp as an out-of-process
// plugin. It starts without an OpenSSL library context (nothing is
// verified); rpmpgp's fips setting reaches it in Init (core.Options.FIPS),
// which chooses the context. OpenSSL itself reads $OPENSSL_CONF, inherited
// from rpmpgp.
package main

import (
	"github.com/rpmpgp/rpmpgp/backends/openssl"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/internal/tuning"
)

func main() {
	tuning.GC()
	go tuning.WarmProto(tuning.BackendService, tuning.StartupMethods...) // while the host dials
	// A new backend for every session of a resident instance; ServeFunc
	// closes each (Backend.Close frees the keys OpenSSL keeps imported).
	plugin.ServeFunc(func() (core.Backend, error) { return openssl.NewDeferred(openssl.Options{}), nil })
}
