// Command rpmpgp-backend-openssl serves the openssl backend (strict
// profile, all crypto through OpenSSL 3) to rpmpgp as an out-of-process
// plugin. The OpenSSL library context is chosen at start-up from
// $RPMPGP_OPENSSL_FIPS ("auto" when unset, "off" or "require"), which the
// backend inherits from rpmpgp's environment.
package main

import (
	"os"

	"github.com/rpmpgp/rpmpgp/backends/openssl"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/internal/tuning"
)

func main() {
	tuning.GC()
	go tuning.WarmProto(tuning.BackendProtocol) // while the host dials
	plugin.ServeFunc(func() (core.Backend, error) {
		return openssl.New(openssl.Options{FIPS: os.Getenv("RPMPGP_OPENSSL_FIPS")})
	})
}
