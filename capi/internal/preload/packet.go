package preload

import (
	"errors"
	"fmt"

	"github.com/rpmpgp/rpmpgp/internal/pgppacket"
)

// OpenPGP packet tags rpm 4.18's pgpPrtParams distinguishes (RFC 9580,
// Section 5).
const (
	TagSignature = 2
	TagPublicKey = 6
)

var (
	errTruncated = errors.New("truncated packet")
	errNotPacket = errors.New("not an OpenPGP packet")
)

// packetHeader decodes the header of the first packet in b (RFC 9580,
// Section 4.2: OpenPGP and legacy formats, through [pgppacket.Parse]): its
// tag and the offset and length of its body. Partial and indeterminate
// lengths are refused, as rpm 4.18's decodePkt refuses them, and so is a
// packet of fewer than two octets ("Valid PGP packet header must always
// have two or more bytes in it").
func packetHeader(b []byte) (tag int, off, n int, err error) {
	if len(b) < 2 {
		return 0, 0, 0, errNotPacket
	}
	h, err := pgppacket.Parse(b)
	switch {
	case errors.Is(err, pgppacket.ErrNotPacket):
		return 0, 0, 0, errNotPacket
	case err != nil:
		return 0, 0, 0, errTruncated
	case h.Kind == pgppacket.Partial:
		return 0, 0, 0, errors.New("partial body length")
	case h.Kind == pgppacket.Indeterminate:
		return 0, 0, 0, errors.New("indeterminate length")
	}
	end, ok := h.End(len(b))
	if !ok {
		return 0, 0, 0, errTruncated
	}
	return int(h.Tag), h.Len, end - h.Len, nil
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
