package core

import "time"

// Backend is the whole contract a crypto backend implements: the OpenPGP half
// of rpm's rpmpgp.h and the digest half of rpmcrypto.h, plus [Describer].
// It is composed of small interfaces so a caller can ask for only what it
// uses. Implementations must be safe for concurrent use.
type Backend interface {
	Initializer
	Parser
	SignatureVerifier
	KeyTools
	Armorer
	Digester
	Describer
	Capable
}

// Options configures a backend before use; the zero value means the built-in
// defaults, wall-clock time and automatic FIPS detection.
type Options struct {
	// Policy is the crypto-policy file contents (sequoia-policy-config
	// format) the backend applies. Nil means the backend's built-in default
	// policy (for strict backends: Sequoia's StandardPolicy plus v3
	// signatures, as rpm-sequoia). Backends without a policy ignore it.
	Policy []byte
	// PolicySource names where Policy came from, for error messages (a file
	// path or "$RPM_SEQUOIA_CRYPTO_POLICY=/path").
	PolicySource string
	// Time is the reference time ("now") for signature liveness, certificate
	// validity and policy cutoffs. Zero means the wall clock.
	Time time.Time
	// FIPS is the FIPS mode (see [FIPSMode]; zero: [FIPSAuto]). Backends
	// without FIPS support fail Init on [FIPSRequire].
	FIPS FIPSMode
}

// Initializer mirrors rpmInitCrypto: it applies [Options]. An error (for
// example a malformed policy) means the backend must not be used; there is no
// fallback to defaults.
type Initializer interface {
	Init(opts Options) error
}

// Parser parses OpenPGP packets into [Params].
type Parser interface {
	// ParseSignature mirrors pgpPrtParams2(pkt, len, PGPTAG_SIGNATURE, ...):
	// pkt must be exactly one bare signature packet.
	ParseSignature(pkt []byte) (ParseResult, error)
	// ParseCertificate mirrors pgpPrtParams2(pkts, len, PGPTAG_PUBLIC_KEY, ...)
	// on one binary certificate (transferable public key); the result
	// describes the primary key and its Packet is the whole certificate.
	ParseCertificate(cert []byte) (ParseResult, error)
	// Subkeys mirrors pgpPrtParamsSubkeys: the subkeys of cert that the
	// backend offers for verification, each with Kind KindSubkey and Packet
	// set to the whole certificate.
	Subkeys(cert []byte) ([]*Params, error)
}

// SignatureVerifier verifies signatures.
type SignatureVerifier interface {
	// VerifySignature mirrors pgpVerifySignature2. key is the key or subkey
	// that rpm's keyring matched (nil: none, the "sanity check" of the 16-bit
	// digest prefix only); sig is a parsed signature; d already contains the
	// signed data (and, for v6, the salt first). The backend duplicates d,
	// appends the signature trailer, finalises and checks; d is unchanged.
	VerifySignature(key *Params, sig *Params, d Digest) (Verdict, error)
}

// KeyTools are the certificate helpers of rpmpgp.h.
type KeyTools interface {
	// LintKey mirrors pgpPubKeyLint: OK (maybe with an explanation of
	// unusable parts), FAIL or NOTTRUSTED with an explanation.
	LintKey(cert []byte) (Verdict, error)
	// Fingerprint mirrors pgpPubkeyFingerprint; pkt must start with a
	// primary public key packet (no dearmoring).
	Fingerprint(pkt []byte) ([]byte, error)
	// KeyID mirrors pgpPubkeyKeyID.
	KeyID(pkt []byte) (KeyID, error)
	// CertLen mirrors pgpPubKeyCertLen: the length of the first certificate
	// in pkts.
	CertLen(pkts []byte) (int, error)
	// Merge mirrors pgpPubkeyMerge: the union of two versions of one
	// certificate (same fingerprint), byte-identical to a when b adds nothing.
	Merge(a, b []byte) ([]byte, error)
}

// ArmorKind mirrors rpm's pgpArmor values; negative values are the
// PGPARMOR_ERR_* codes.
type ArmorKind int

// Armor kinds (include/rpm/rpmpgp.h).
const (
	ArmorErrCRCCheck         ArmorKind = -7
	ArmorErrBodyDecode       ArmorKind = -6
	ArmorErrCRCDecode        ArmorKind = -5
	ArmorErrNoEndPGP         ArmorKind = -4
	ArmorErrUnknownPreamble  ArmorKind = -3
	ArmorErrUnknownArmorType ArmorKind = -2
	ArmorErrNoBeginPGP       ArmorKind = -1
	ArmorNone                ArmorKind = 0
	ArmorMessage             ArmorKind = 1
	ArmorPubKey              ArmorKind = 2
	ArmorSignature           ArmorKind = 3
	ArmorSignedMessage       ArmorKind = 4
	ArmorFile                ArmorKind = 5
	ArmorPrivKey             ArmorKind = 6
	ArmorSecKey              ArmorKind = 7
)

// Armorer handles ASCII armor.
type Armorer interface {
	// ParseArmor mirrors pgpParsePkts: the kind of the first armored block
	// and its decoded bytes; a kind <= 0 means no usable block (no bytes).
	ParseArmor(text []byte) (ArmorKind, []byte, error)
	// WrapArmor mirrors pgpArmorWrap.
	WrapArmor(kind ArmorKind, data []byte) (string, error)
}

// Describer reports what a backend is.
type Describer interface {
	// Describe is new in rpmpgp (no RPM counterpart): name, version,
	// protocol, algorithms and FIPS state.
	Describe() (Description, error)
}

// Description is what [Describer.Describe] returns.
type Description struct {
	// Name is the backend's name as users select it ("gocrypto").
	Name string `json:"name"`
	// Version is the backend's own version.
	Version string `json:"version"`
	// Profile is whose semantics the backend implements: [ProfileStrict]
	// (rpm-sequoia) or [ProfileLegacy] (rpm <= 4.19's internal parser).
	// JSON carries its name ("strict", "legacy").
	Profile Profile `json:"profile"`
	// Protocol is the plugin protocol version it speaks (0 in-process).
	Protocol int `json:"protocol"`
	// Library names the crypto library and its version ("OpenSSL 3.0.19").
	Library string `json:"library"`
	// PubKeyAlgos and HashAlgos list the algorithms it can verify.
	PubKeyAlgos []string `json:"pubkey_algorithms"`
	HashAlgos   []string `json:"hash_algorithms"`
	// FIPS reports whether the backend runs in FIPS mode.
	FIPS bool `json:"fips"`
	// Notes carries anything else worth showing (why FIPS is off, ...).
	Notes string `json:"notes,omitempty"`
	// Path is the backend binary (filled by the plugin loader).
	Path string `json:"path,omitempty"`
}
