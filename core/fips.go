package core

import "fmt"

// FIPSMode is the FIPS setting a backend is initialised with
// ([Options.FIPS]); rpmpgp's "fips" setting (flag --fips, $RPMPGP_FIPS,
// config key fips) reaches the backend only this way, in Init. The zero
// value is [FIPSAuto].
type FIPSMode string

// The FIPS modes.
const (
	// FIPSAuto follows the system, as rpm does on Fedora and RHEL: a
	// backend with a FIPS mode runs in it when the system is in FIPS mode
	// (the kernel's /proc/sys/crypto/fips_enabled is 1, or the crypto
	// library's own configuration asks for FIPS, for OpenSSL default
	// properties with "fips=yes") and must then fail Init rather than run
	// without it; otherwise it runs as the library is configured. Backends
	// without a FIPS mode accept it and run as they are.
	FIPSAuto FIPSMode = "auto"
	// FIPSRequire runs in FIPS mode or fails Init: every digest and
	// signature check is done by a FIPS module (for openssl, OpenSSL's
	// FIPS provider with only the fips and base providers loaded), and
	// what the module refuses is refused, never done another way. Backends
	// without a FIPS mode fail Init.
	FIPSRequire FIPSMode = "require"
	// FIPSOff never runs in FIPS mode, whatever the system says: the
	// backend uses its crypto library's general-purpose implementations
	// (for openssl, a private library context with only OpenSSL's default
	// provider, the system's OpenSSL configuration is not read) and says
	// "FIPS off". Backends without a FIPS mode accept it.
	FIPSOff FIPSMode = "off"
)

// ParseFIPSMode parses "auto", "require" or "off"; "" is [FIPSAuto].
func ParseFIPSMode(s string) (FIPSMode, error) {
	switch m := FIPSMode(s); m {
	case "":
		return FIPSAuto, nil
	case FIPSAuto, FIPSRequire, FIPSOff:
		return m, nil
	}
	return "", fmt.Errorf("unknown FIPS mode %q (want auto, require or off)", s)
}

// Valid reports whether m is a known mode or the zero value.
func (m FIPSMode) Valid() bool {
	_, err := ParseFIPSMode(string(m))
	return err == nil
}

// OrAuto returns m, or FIPSAuto for the zero value.
func (m FIPSMode) OrAuto() FIPSMode {
	if m == "" {
		return FIPSAuto
	}
	return m
}
