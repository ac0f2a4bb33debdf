package sopv

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"

	"github.com/rpmpgp/rpmpgp/core"
)

// Key packet tags (RFC 9580, Sections 5.5.1.1 and 5.5.1.2).
const (
	tagPublicKey    = 6
	tagPublicSubkey = 14
)

// keyFingerprint computes the fingerprint and key ID of a public key or
// subkey packet body (RFC 9580, Section 5.5.4): v4 SHA-1 over 0x99, a
// two-octet length and the body, key ID its low 64 bits; v6 SHA-256 over
// 0x9B, a four-octet length and the body, key ID its high 64 bits. ok is
// false for other versions. This is only used to name keys in
// VERIFICATIONS when a backend (internal-legacy, like rpm 4.18) keeps no
// fingerprints; verification never depends on it.
func keyFingerprint(body []byte) (fpr []byte, id core.KeyID, ok bool) {
	if len(body) == 0 {
		return nil, id, false
	}
	switch body[0] {
	case 4:
		if len(body) > 0xffff {
			return nil, id, false
		}
		h := sha1.New()
		h.Write([]byte{0x99, byte(len(body) >> 8), byte(len(body))})
		h.Write(body)
		fpr = h.Sum(nil)
		copy(id[:], fpr[len(fpr)-8:])
	case 6:
		h := sha256.New()
		var l [4]byte
		binary.BigEndian.PutUint32(l[:], uint32(len(body)))
		h.Write(append([]byte{0x9b}, l[:]...))
		h.Write(body)
		fpr = h.Sum(nil)
		copy(id[:], fpr[:8])
	default:
		return nil, id, false
	}
	return fpr, id, true
}

// certKeys returns the fingerprint of a certificate's primary key and of
// the key (primary or subkey) with key ID id, computed from the
// certificate's packets.
func certKeys(cert []byte, id core.KeyID) (primary, key []byte) {
	pkts, err := splitPackets(cert)
	if err != nil {
		return nil, nil
	}
	for _, p := range pkts {
		if p.tag != tagPublicKey && p.tag != tagPublicSubkey {
			continue
		}
		fpr, kid, ok := keyFingerprint(p.body)
		if !ok {
			continue
		}
		if p.tag == tagPublicKey && primary == nil {
			primary = fpr
		}
		if kid == id && key == nil {
			key = fpr
		}
	}
	return primary, key
}
