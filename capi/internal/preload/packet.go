package preload

import (
	"errors"
	"fmt"
)

// OpenPGP packet tags rpm 4.18's pgpPrtParams distinguishes (RFC 9580,
// Section 5).
const (
	TagSignature = 2
	TagPublicKey = 6
)

var errTruncated = errors.New("truncated packet")

// packetHeader decodes the header of the first packet in b (RFC 9580,
// Section 4.2: OpenPGP and legacy formats): its tag and the offset and
// length of its body. Partial and indeterminate lengths are refused, as
// rpm 4.18's decodePkt refuses them.
func packetHeader(b []byte) (tag int, off, n int, err error) {
	if len(b) < 2 || b[0]&0x80 == 0 {
		return 0, 0, 0, errors.New("not an OpenPGP packet")
	}
	var blen uint64
	if b[0]&0x40 != 0 { // OpenPGP format
		tag = int(b[0] & 0x3f)
		switch l := b[1]; {
		case l < 192:
			off, blen = 2, uint64(l)
		case l < 224:
			if len(b) < 3 {
				return 0, 0, 0, errTruncated
			}
			off, blen = 3, (uint64(l)-192)<<8+uint64(b[2])+192
		case l == 255:
			if len(b) < 6 {
				return 0, 0, 0, errTruncated
			}
			off, blen = 6, uint64(b[2])<<24|uint64(b[3])<<16|uint64(b[4])<<8|uint64(b[5])
		default:
			return 0, 0, 0, errors.New("partial body length")
		}
	} else { // legacy format
		tag = int(b[0]>>2) & 0xf
		lenLen := [4]int{1, 2, 4, 0}[b[0]&3]
		if lenLen == 0 {
			return 0, 0, 0, errors.New("indeterminate length")
		}
		if len(b) < 1+lenLen {
			return 0, 0, 0, errTruncated
		}
		for _, c := range b[1 : 1+lenLen] {
			blen = blen<<8 | uint64(c)
		}
		off = 1 + lenLen
	}
	if blen > uint64(len(b)-off) {
		return 0, 0, 0, errTruncated
	}
	return tag, off, int(blen), nil
}

// FirstTag returns the tag of the first packet in b.
func FirstTag(b []byte) (int, error) {
	tag, _, _, err := packetHeader(b)
	return tag, err
}

// Trailer returns what is hashed after the signed data for the signature
// packet pkt, exactly as rpm 4.18's pgpVerifySignature appends it
// (sig->hash, then for v4 the six-octet trailer): v3 hashes the signature
// type and creation time (RFC 4880, Section 5.2.2); v4 the signature's
// first six octets and hashed subpackets then 0x04 0xff and their length as
// four octets; v6 the same with its four-octet hashed length and 0x06
// (RFC 9580, Section 5.2.4). rpm 4.18 never feeds a v6 salt into its
// digests, so a v6 signature cannot verify through it.
func Trailer(pkt []byte) ([]byte, error) {
	tag, off, n, err := packetHeader(pkt)
	if err != nil {
		return nil, err
	}
	if tag != TagSignature {
		return nil, fmt.Errorf("packet tag %d is not a signature", tag)
	}
	body := pkt[off : off+n]
	if len(body) < 1 {
		return nil, errTruncated
	}
	switch v := body[0]; v {
	case 3:
		// version, hashed length (5), type, creation time.
		if len(body) < 7 || body[1] != 5 {
			return nil, errors.New("malformed v3 signature")
		}
		return append([]byte(nil), body[2:7]...), nil
	case 4, 6:
		head, lenLen := 6, 2
		if v == 6 {
			head, lenLen = 8, 4
		}
		if len(body) < head {
			return nil, errTruncated
		}
		var hl int
		for _, c := range body[4 : 4+lenLen] {
			hl = hl<<8 | int(c)
		}
		if hl > len(body)-head {
			return nil, errTruncated
		}
		total := head + hl
		out := make([]byte, 0, total+6)
		out = append(out, body[:total]...)
		return append(out, v, 0xff, byte(total>>24), byte(total>>16), byte(total>>8), byte(total)), nil
	default:
		return nil, fmt.Errorf("signature version %d", v)
	}
}
