package strict

// Bounds on attacker-controlled input. Every parser in this package checks
// them before looping or allocating, so a hostile package or keyring cannot
// make the backend spend unbounded memory or time.
const (
	// MaxSignatureBytes caps a bare signature packet. It mirrors rpm's
	// RPM_MAX_OPENPGP_BYTES (65535), the limit rpm applies to OpenPGP
	// blobs in package headers; a larger "signature" is an attack.
	MaxSignatureBytes = 65535
	// MaxCertBytes caps a certificate (transferable public key). Real
	// distribution keys are a few KiB; 1 MiB leaves room for keys with many
	// third-party certifications while bounding memory.
	MaxCertBytes = 1 << 20
	// maxCertPackets caps the packets of one certificate, which bounds the
	// number of self-signatures verified when a certificate is evaluated
	// (one public-key operation each: a "signature flooding" DoS).
	maxCertPackets = 4096
	// maxCacheEntries bounds the parsed-certificate cache.
	maxCacheEntries = 256
	// maxArmorBytes caps the text ParseArmor reads.
	maxArmorBytes = 8 << 20
)
