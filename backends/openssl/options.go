package openssl

import (
	"errors"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/version"
)

// ErrNoCgo is returned by [New] in a build without cgo.
var ErrNoCgo = errors.New("openssl backend built without cgo: rebuild with CGO_ENABLED=1 and the OpenSSL 3 development files (libssl-dev, pkg-config)")

// Name is the backend's name as users select it.
const Name = "openssl"

// DefaultKernelFIPS is the kernel's FIPS flag ("1" when the system boots
// in FIPS mode, fips=1 on the kernel command line).
const DefaultKernelFIPS = "/proc/sys/crypto/fips_enabled"

// Options configures [New]. The zero value is [core.FIPSAuto] with the
// system's OpenSSL configuration and kernel flag.
type Options struct {
	// FIPS is the mode the backend runs in until Init; Init's
	// core.Options.FIPS replaces it (the plugin is only configured that
	// way). See [core.FIPSMode] and the package documentation.
	FIPS core.FIPSMode
	// Config is the OpenSSL configuration file read into the FIPS library
	// context ("": OpenSSL's own choice, $OPENSSL_CONF, then the system's
	// openssl.cnf).
	Config string
	// KernelFIPS is the file whose content "1" puts [core.FIPSAuto] in
	// FIPS mode ("": [DefaultKernelFIPS]; tests point it elsewhere).
	KernelFIPS string
	// Version is the version Describe reports (empty: the build's
	// version, [version.Version], as every rpmpgp binary reports).
	Version string
}

func (o Options) version() string {
	if o.Version == "" {
		return version.Version
	}
	return o.Version
}

func (o Options) kernelFIPS() string {
	if o.KernelFIPS == "" {
		return DefaultKernelFIPS
	}
	return o.KernelFIPS
}
