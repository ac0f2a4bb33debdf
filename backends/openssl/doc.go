// Package openssl is the openssl backend: rpm-sequoia's strict semantics
// (shared with the gocrypto backend through backends/internal/strict) with
// every digest and every signature check done by OpenSSL 3's EVP API
// through cgo (package internal/ossl links libcrypto).
//
// # FIPS
//
// The FIPS mode ([core.FIPSMode]) comes from [Options.FIPS] until Init, and
// from Init's core.Options.FIPS after (the plugin learns it only there);
// Init switches the OpenSSL library context:
//
//   - "require": a private context that reads the OpenSSL configuration
//     ([Options.Config], else $OPENSSL_CONF or the system's openssl.cnf),
//     loads the "fips" and "base" providers and sets "fips=yes". It fails,
//     naming OpenSSL's reason, when the FIPS provider cannot be loaded or
//     any other provider is loaded. Every fetched digest, key manager and
//     signature operation is checked to be served by "fips" (shims.c,
//     fips_served).
//   - "auto": like "require" when the kernel is in FIPS mode
//     ([Options.KernelFIPS], /proc/sys/crypto/fips_enabled = 1) or
//     OpenSSL's default properties already ask for "fips=yes" (the
//     system's configuration); otherwise OpenSSL's default context.
//   - "off": a private context with only the default provider; the
//     system's configuration is not read.
//
// Describe reports the state, how it was chosen and the providers in use
// (name, version, status) in its notes. In FIPS mode the backend refuses,
// with an error wrapping [strict.ErrUnsupported] that names FIPS as the
// reason, what OpenSSL 3's FIPS provider does not permit for signature
// verification: MD5 (as a digest and in signatures), RSA keys under 1024
// bits, DSA sizes outside SP 800-131A's legacy-verification list, and the
// Brainpool curves. SHA-1 stays available (RPM's SHA1 header digest, legacy
// signature verification), as do DSA verification and, in the 3.0
// provider, Ed25519 and Ed448. The verification path links no Go crypto
// implementation (imports_test.go).
//
// # ML-DSA
//
// The ML-DSA + EdDSA composite algorithms of draft-ietf-openpgp-pqc
// (ML-DSA-65+Ed25519, ML-DSA-87+Ed448) are not supported: OpenSSL 3.0
// lacks ML-DSA. [Primitives.Supports] says so, and the shared strict code
// applies rpm-sequoia's rules for unsupported algorithms: such a
// signature without a key is NOTTRUSTED, a certificate whose
// self-signatures are ML-DSA composites cannot be imported, and the lints
// name the reason. This is the backend's documented difference from the
// strict profile (mldsa_test.go).
//
// # Building
//
// The backend needs cgo, pkg-config and OpenSSL 3 headers (libssl-dev) to
// build, and libcrypto.so.3 to run. Built with CGO_ENABLED=0, [New] returns
// an error saying so, so that the rest of rpmpgp still builds.
package openssl
