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
)

func main() {
	plugin.ServeFunc(func() (core.Backend, error) {
		return openssl.New(openssl.Options{FIPS: os.Getenv("RPMPGP_OPENSSL_FIPS")})
	})
}
