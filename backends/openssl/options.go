package openssl

import "errors"

// ErrNoCgo is returned by [New] in a build without cgo.
var ErrNoCgo = errors.New("openssl backend built without cgo: rebuild with CGO_ENABLED=1 and the OpenSSL 3 development files (libssl-dev, pkg-config)")

// Name is the backend's name as users select it.
const Name = "openssl"

// Options configures [New].
type Options struct {
	// FIPS is "auto" (or empty), "off" or "require"; see the package
	// documentation.
	FIPS string
	// Version is the backend's own version for Describe (empty: "dev").
	Version string
}

func (o Options) version() string {
	if o.Version == "" {
		return "dev"
	}
	return o.Version
}
