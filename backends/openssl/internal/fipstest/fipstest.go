// Package fipstest finds the OpenSSL FIPS configuration the FIPS tests run
// with: the one internal/cmd/fipsprovider builds (make fips-provider).
package fipstest

import (
	"errors"
	"os"
	"testing"
)

// EnvConf names the variable that points at the openssl.cnf of a FIPS
// provider build (.ci/run sets it from make fips-provider's output).
const EnvConf = "RPMPGP_FIPS_CONF"

// DefaultConf is where internal/cmd/fipsprovider keeps its last good build.
const DefaultConf = "/var/cache/rpmpgp/fips/current/openssl.cnf"

// Conf returns the FIPS configuration: $RPMPGP_FIPS_CONF, else
// DefaultConf when it exists. Without one the test fails when $CI is set
// (a CI run must exercise FIPS mode) and is skipped otherwise.
func Conf(t testing.TB) string {
	t.Helper()
	path := os.Getenv(EnvConf)
	if path == "" {
		path = DefaultConf
	}
	_, err := os.Stat(path)
	if err == nil {
		return path
	}
	msg := "no OpenSSL FIPS provider configuration (" + path + "): run make fips-provider and set " + EnvConf
	if os.Getenv(EnvConf) != "" && !errors.Is(err, os.ErrNotExist) {
		msg += ": " + err.Error()
	}
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
