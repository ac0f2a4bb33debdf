package packet

import (
	"errors"
	"fmt"

	"github.com/rpmpgp/rpmpgp/internal/pgppacket"
)

// OpenPGP packet tags (RFC 9580, Section 5).
const (
	TagSignature     = 2
	TagSecretKey     = 5
	TagPublicKey     = 6
	TagSecretSubkey  = 7
	TagMarker        = 10
	TagTrust         = 12
	TagUserID        = 13
	TagPublicSubkey  = 14
	TagUserAttribute = 17
	TagPadding       = 21
)

// tagNames are Sequoia's Display names of packet tags, used in lints such
// as "Failed to parse Signature Packet".
var tagNames = map[byte]string{
	1: "Public-Key Encrypted Session Key Packet", 2: "Signature Packet",
	3: "Symmetric-Key Encrypted Session Key Packet", 4: "One-Pass Signature Packet",
	5: "Secret-Key Packet", 6: "Public-Key Packet", 7: "Secret-Subkey Packet",
	8: "Compressed Data Packet", 9: "Symmetrically Encrypted Data Packet",
	10: "Marker Packet", 11: "Literal Data Packet", 12: "Trust Packet",
	13: "User ID Packet", 14: "Public-Subkey Packet", 17: "User Attribute Packet",
	18: "Sym. Encrypted and Integrity Protected Data Packet",
	19: "Modification Detection Code Packet", 20: "AEAD Encrypted Data Packet",
	21: "Padding Packet",
}

func TagName(t byte) string {
	if s, ok := tagNames[t]; ok {
		return s
	}
	if t >= 60 {
		return fmt.Sprintf("Private/Experimental Packet %d", t)
	}
	return fmt.Sprintf("Unknown Packet %d", t)
}

// RawPacket is one framed packet: its tag, its body and the exact bytes it
// occupied (header included).
type RawPacket struct {
	Tag  byte
	Body []byte
	Raw  []byte
	// Indeterminate is set for an old-format packet with indeterminate
	// length (RFC 9580, Section 4.2.2.4), which extends to the end.
	Indeterminate bool
}

var (
	ErrTruncated = errors.New("Malformed packet: Truncated packet")
	errPartial   = errors.New("Malformed packet: Partial body length not allowed for this packet")
)

// ReadPacket frames the packet at the start of buf (RFC 9580, Section 4.2,
// decoded by [pgppacket.Parse]). It never allocates: body and raw alias
// buf. Partial body lengths are refused because they are only allowed for
// data packets (Section 4.2.1.4), never for signatures or keys; an
// old-format indeterminate length (Section 4.2.2.4) extends to the end of
// buf.
func ReadPacket(buf []byte) (RawPacket, int, error) {
	h, err := pgppacket.Parse(buf)
	switch {
	case errors.Is(err, pgppacket.ErrNotPacket):
		return RawPacket{}, 0, fmt.Errorf("Malformed packet: Invalid CTB: MSB of ptag (%#02x) not set", buf[0])
	case err != nil:
		return RawPacket{}, 0, ErrTruncated
	case h.Kind == pgppacket.Partial:
		return RawPacket{}, 0, errPartial
	}
	n, ok := h.End(len(buf))
	if !ok {
		return RawPacket{}, 0, ErrTruncated
	}
	return RawPacket{Tag: h.Tag, Body: buf[h.Len:n], Raw: buf[:n], Indeterminate: h.Kind == pgppacket.Indeterminate}, n, nil
}

// CTBTag extracts the tag from a packet's first octet (RFC 9580, Section 4.2).
func CTBTag(ctb byte) byte {
	return pgppacket.Tag(ctb)
}
