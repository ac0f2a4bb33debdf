package conformance

import (
	"io"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
)

// pluginOpener is the default [BackendOpener]: the backend runs out of
// process (rpmpgp-backend-<name> found, pinned and trust-checked by
// core/plugin under lc), initialised with opts.
func pluginOpener(lc plugin.LoadConfig) BackendOpener {
	return func(name string, opts core.Options) (core.Backend, io.Closer, error) {
		c, err := plugin.Open(columnPlugin(name), lc)
		if err != nil {
			return nil, nil, err
		}
		if err := c.Init(opts); err != nil {
			c.Close()
			return nil, nil, err // the client's errors name the backend and the call
		}
		return c, c, nil
	}
}

// FIPSColumn is the column of the openssl backend in FIPS mode: the
// openssl plugin initialised with FIPS "require", under the OpenSSL
// configuration the harness inherits ($OPENSSL_CONF; make conformance
// points it at the provider make fips-provider builds). Its differences
// from the strict expectations are registered in divergences.tsv with the
// FIPS rule behind each.
const FIPSColumn = "openssl-fips"

// columnPlugin returns the backend plugin behind a column name.
func columnPlugin(column string) string {
	if column == FIPSColumn {
		return "openssl"
	}
	return column
}

// columnFIPS returns the FIPS mode a column's backend is initialised with:
// require for FIPSColumn, off for the plain openssl column (OpenSSL's
// default provider, whatever $OPENSSL_CONF says, so that the two columns
// differ exactly by FIPS), auto (the zero value) for the others.
func columnFIPS(column string) core.FIPSMode {
	switch column {
	case FIPSColumn:
		return core.FIPSRequire
	case "openssl":
		return core.FIPSOff
	}
	return ""
}
