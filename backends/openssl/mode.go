//go:build cgo

package openssl

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/rpmpgp/rpmpgp/backends/openssl/internal/ossl"
	"github.com/rpmpgp/rpmpgp/core"
)

// kernelFIPS reads the kernel's FIPS flag at path: true for "1", false
// for "0" or a missing file (a kernel without the flag is not in FIPS
// mode); anything else is an error, so that auto cannot silently run
// without FIPS on a system that may be in FIPS mode.
func kernelFIPS(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("openssl: reading the kernel's FIPS flag: %w", err)
	}
	switch string(bytes.TrimSpace(data)) {
	case "0":
		return false, nil
	case "1":
		return true, nil
	}
	return false, fmt.Errorf("openssl: kernel FIPS flag %s = %q, want 0 or 1", path, bytes.TrimSpace(data))
}

// resolve turns a FIPS setting into the OpenSSL library context to use and
// the reason, for Describe's notes:
//
//   - off: ossl.ModeOff, a private context with only the default provider;
//   - require: ossl.ModeRequire, the FIPS context;
//   - auto: ossl.ModeRequire when the kernel says FIPS (opts.KernelFIPS)
//     or OpenSSL's default library context already has "fips=yes" (the
//     system's openssl.cnf asks for it), else ossl.ModeAuto, OpenSSL's
//     default context as the system configures it.
func resolve(mode core.FIPSMode, opts Options) (ossl.Mode, string, error) {
	switch mode.OrAuto() {
	case core.FIPSOff:
		return ossl.ModeOff, "fips = off: default provider only", nil
	case core.FIPSRequire:
		return ossl.ModeRequire, "fips = require", nil
	case core.FIPSAuto:
		k, err := kernelFIPS(opts.kernelFIPS())
		if err != nil {
			return 0, "", err
		}
		if k {
			return ossl.ModeRequire, "fips = auto: the kernel is in FIPS mode (" + opts.kernelFIPS() + " = 1)", nil
		}
		if ossl.DefaultFIPS() {
			return ossl.ModeRequire, "fips = auto: OpenSSL's configuration asks for fips=yes", nil
		}
		return ossl.ModeAuto, "fips = auto: the system is not in FIPS mode", nil
	}
	return 0, "", fmt.Errorf("openssl: unknown FIPS mode %q (want auto, require or off)", string(mode))
}
