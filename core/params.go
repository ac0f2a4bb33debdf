package core

// Kind says what a [Params] describes.
type Kind uint8

// Params kinds; the zero value is invalid.
const (
	KindInvalid Kind = iota
	// KindSignature is a signature packet.
	KindSignature
	// KindKey is the primary key of a certificate.
	KindKey
	// KindSubkey is a subkey of a certificate.
	KindSubkey
)

// String names the kind as rpm's pgpIdentItem does ("signature", "public key").
func (k Kind) String() string {
	switch k {
	case KindSignature:
		return "signature"
	case KindKey, KindSubkey:
		return "public key"
	}
	return "invalid"
}

// Params mirrors rpm's opaque pgpDigParams: a parsed signature, certificate
// or subkey. It is plain data so that it can cross a process boundary; a
// backend re-derives anything else it needs from Packet.
type Params struct {
	// Kind is what was parsed; KindInvalid never describes a parsed packet.
	Kind Kind
	// Version is the packet version (pgpDigParamsVersion): 3, 4 or 6.
	Version int
	// PubKeyAlgo is the public-key algorithm (pgpDigParamsAlgo(PGPVAL_PUBKEYALGO)).
	PubKeyAlgo PubKeyAlgo
	// HashAlgo is the signature's hash algorithm; for keys, the hash of the
	// binding signature (pgpDigParamsAlgo(PGPVAL_HASHALGO)), 0 when unknown.
	HashAlgo HashAlgo
	// SigType is the signature type byte (pgpSignatureType); -1 for keys.
	SigType int
	// KeyID is, for a signature, the issuer key ID (pgpDigParamsSignID; zero
	// when unknown) and for a key or subkey its own key ID.
	KeyID KeyID
	// Fingerprint is, for a key or subkey, its fingerprint (20 bytes v4,
	// 32 bytes v6); for a signature, the issuer fingerprint if it names one.
	Fingerprint []byte
	// UserID is the certificate's primary user ID (pgpDigParamsUserID); empty
	// for signatures and when the backend found none.
	UserID string
	// CreationTime is the signature or key creation time, seconds since the
	// epoch (pgpDigParamsCreationTime); 0 when absent.
	CreationTime uint32
	// Salt is the v6 signature salt (pgpDigParamsSalt); nil otherwise. rpm
	// feeds it into every digest of the signed data before the data.
	Salt []byte
	// HashPrefix is the left 16 bits of the signed hash stored in the packet.
	HashPrefix [2]byte
	// Packet holds the bytes the params were parsed from: for a signature the
	// bare signature packet; for a key or subkey the whole certificate it
	// belongs to (so a backend can evaluate bindings at verification time).
	Packet []byte
}
