package packet

import (
	"errors"
	"fmt"
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

// ReadPacket frames the packet at the start of buf (RFC 9580, Section 4.2).
// It never allocates: body and raw alias buf. Partial body lengths are
// refused because they are only allowed for data packets (Section 4.2.1.4),
// never for signatures or keys.
func ReadPacket(buf []byte) (RawPacket, int, error) {
	if len(buf) < 1 {
		return RawPacket{}, 0, ErrTruncated
	}
	ctb := buf[0]
	if ctb&0x80 == 0 {
		return RawPacket{}, 0, fmt.Errorf("Malformed packet: Invalid CTB: MSB of ptag (%#02x) not set", ctb)
	}
	var tag byte
	var hdr, length int
	indeterminate := false
	if ctb&0x40 != 0 {
		// New format (Section 4.2.1).
		tag = ctb & 0x3f
		if len(buf) < 2 {
			return RawPacket{}, 0, ErrTruncated
		}
		switch o := buf[1]; {
		case o < 192:
			hdr, length = 2, int(o)
		case o < 224:
			if len(buf) < 3 {
				return RawPacket{}, 0, ErrTruncated
			}
			hdr, length = 3, (int(o)-192)<<8+int(buf[2])+192
		case o == 255:
			if len(buf) < 6 {
				return RawPacket{}, 0, ErrTruncated
			}
			l := uint32(buf[2])<<24 | uint32(buf[3])<<16 | uint32(buf[4])<<8 | uint32(buf[5])
			if uint64(l) > uint64(len(buf)) {
				return RawPacket{}, 0, ErrTruncated
			}
			hdr, length = 6, int(l)
		default:
			return RawPacket{}, 0, errPartial
		}
	} else {
		// Old (legacy) format (Section 4.2.2).
		tag = (ctb >> 2) & 0x0f
		switch ctb & 3 {
		case 0:
			if len(buf) < 2 {
				return RawPacket{}, 0, ErrTruncated
			}
			hdr, length = 2, int(buf[1])
		case 1:
			if len(buf) < 3 {
				return RawPacket{}, 0, ErrTruncated
			}
			hdr, length = 3, int(buf[1])<<8|int(buf[2])
		case 2:
			if len(buf) < 5 {
				return RawPacket{}, 0, ErrTruncated
			}
			l := uint32(buf[1])<<24 | uint32(buf[2])<<16 | uint32(buf[3])<<8 | uint32(buf[4])
			if uint64(l) > uint64(len(buf)) {
				return RawPacket{}, 0, ErrTruncated
			}
			hdr, length = 5, int(l)
		case 3:
			hdr, length, indeterminate = 1, len(buf)-1, true
		}
	}
	if hdr+length > len(buf) {
		return RawPacket{}, 0, ErrTruncated
	}
	n := hdr + length
	return RawPacket{Tag: tag, Body: buf[hdr:n], Raw: buf[:n], Indeterminate: indeterminate}, n, nil
}

// CTBTag extracts the tag from a packet's first octet (RFC 9580, Section 4.2).
func CTBTag(ctb byte) byte {
	if ctb&0x40 != 0 {
		return ctb & 0x3f
	}
	return (ctb >> 2) & 0x0f
}
