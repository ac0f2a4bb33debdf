package pgppacket

import "errors"

// Format is the format of a packet header (RFC 9580, Section 4.2). The zero
// value is the current OpenPGP format.
type Format uint8

// The two packet header formats (RFC 9580, Section 4.2).
const (
	// OpenPGP is the OpenPGP format (Section 4.2.1): bit 6 of the first
	// octet set, a six-bit tag.
	OpenPGP Format = iota
	// Legacy is the legacy format (Section 4.2.2): bit 6 of the first octet
	// clear, a four-bit tag and a two-bit length type.
	Legacy
)

// Kind says how a header gives the length of its packet's body. The zero
// value is [Fixed], the only kind every packet may use.
type Kind uint8

// The length kinds (RFC 9580, Sections 4.2.1 and 4.2.2).
const (
	// Fixed: the header gives the length of the whole body (Sections
	// 4.2.1.1 to 4.2.1.3 and 4.2.2.1 to 4.2.2.3).
	Fixed Kind = iota
	// Partial: the header gives the length of the first chunk of the body
	// only, a power of two; another length follows that chunk, and the last
	// length of the packet is a fixed one (Section 4.2.1.4). Only
	// literal, compressed and encrypted data packets may use it.
	Partial
	// Indeterminate: the legacy length type 3, the body runs to the end of
	// the data (Section 4.2.2.4). Implementations should not generate it.
	Indeterminate
)

// Errors of [Parse] and [Length]. Callers compare with [errors.Is] and give
// their own texts; these values never allocate.
var (
	// ErrTruncated is returned when the data ends inside the header
	// (including an empty slice).
	ErrTruncated = errors.New("pgppacket: truncated packet header")
	// ErrNotPacket is returned when bit 7 of the first octet is clear:
	// "The most significant bit is the leftmost bit, called bit 7 [...]
	// it is always one" (RFC 9580, Section 4.2).
	ErrNotPacket = errors.New("pgppacket: not an OpenPGP packet header (bit 7 of the first octet is clear)")
)

// Header is a decoded packet header.
type Header struct {
	// Tag is the packet type ID (RFC 9580, Section 5): six bits in the
	// OpenPGP format, four in the legacy one.
	Tag byte
	// Format is the header's format.
	Format Format
	// Kind is how the body's length is given.
	Kind Kind
	// Len is the number of octets of the header: the first octet and the
	// length octets, 1 to 6.
	Len int
	// BodyLen is the body's length for [Fixed], the first chunk's length
	// for [Partial] and 0 (unknown) for [Indeterminate]. It is at most
	// 2^32-1 and is not checked against the data; see [Header.End].
	BodyLen uint64
}

// Parse decodes the packet header at the start of b (RFC 9580, Section
// 4.2). It fails with [ErrTruncated] when b ends inside the header and with
// [ErrNotPacket] when b's first octet is not a packet header octet; it
// accepts every length kind and every tag, 0 included, and leaves the
// choice of what to refuse to the caller.
func Parse(b []byte) (Header, error) {
	if len(b) == 0 {
		return Header{}, ErrTruncated
	}
	ctb := b[0]
	if ctb&0x80 == 0 {
		return Header{}, ErrNotPacket
	}
	if ctb&0x40 != 0 {
		// OpenPGP format (Section 4.2.1): "Bits 5 to 0 -- packet type ID".
		n, l, kind, err := Length(b[1:])
		if err != nil {
			return Header{}, err
		}
		return Header{Tag: ctb & 0x3f, Format: OpenPGP, Kind: kind, Len: 1 + n, BodyLen: l}, nil
	}
	// Legacy format (Section 4.2.2): "Bits 5 to 2 -- packet type ID; Bits
	// 1 to 0 -- length-type".
	h := Header{Tag: (ctb >> 2) & 0x0f, Format: Legacy}
	var n int
	switch ctb & 3 {
	case 0: // Section 4.2.2.1: one-octet length.
		n = 1
	case 1: // Section 4.2.2.2: two-octet length.
		n = 2
	case 2: // Section 4.2.2.3: four-octet length.
		n = 4
	default: // Section 4.2.2.4: indeterminate length, no length octets.
		h.Kind, h.Len = Indeterminate, 1
		return h, nil
	}
	if len(b) < 1+n {
		return Header{}, ErrTruncated
	}
	for _, c := range b[1 : 1+n] {
		h.BodyLen = h.BodyLen<<8 | uint64(c)
	}
	h.Len = 1 + n
	return h, nil
}

// Length decodes an OpenPGP-format body length at the start of b (RFC 9580,
// Section 4.2.1): the header's length octets, or the length that follows a
// partial chunk (Section 4.2.1.4). It returns the number of octets the
// length takes (1, 2 or 5), the length, and [Fixed] or [Partial]; it fails
// with [ErrTruncated] when b ends inside the length.
func Length(b []byte) (n int, length uint64, kind Kind, err error) {
	if len(b) == 0 {
		return 0, 0, Fixed, ErrTruncated
	}
	switch o := b[0]; {
	case o < 192:
		// Section 4.2.1.1: "A one-octet Body Length header encodes a
		// length of 0 to 191 octets."
		return 1, uint64(o), Fixed, nil
	case o < 224:
		// Section 4.2.1.2: "bodyLen = ((1st_octet - 192) << 8) +
		// (2nd_octet) + 192".
		if len(b) < 2 {
			return 0, 0, Fixed, ErrTruncated
		}
		return 2, (uint64(o)-192)<<8 + uint64(b[1]) + 192, Fixed, nil
	case o == 255:
		// Section 4.2.1.3: "bodyLen = (2nd_octet << 24) | (3rd_octet <<
		// 16) | (4th_octet << 8) | 5th_octet".
		if len(b) < 5 {
			return 0, 0, Fixed, ErrTruncated
		}
		return 5, uint64(b[1])<<24 | uint64(b[2])<<16 | uint64(b[3])<<8 | uint64(b[4]), Fixed, nil
	default:
		// Section 4.2.1.4: "partialBodyLen = 1 << (1st_octet & 0x1F)".
		return 1, 1 << (o & 0x1f), Partial, nil
	}
}

// Tag returns the packet type ID in a packet's first octet ctb (RFC 9580,
// Section 4.2), in whichever format it is; it does not look at bit 7.
func Tag(ctb byte) byte {
	if ctb&0x40 != 0 {
		return ctb & 0x3f
	}
	return (ctb >> 2) & 0x0f
}

// End returns the offset, in data of size n that starts with the header,
// just past the body ([Fixed]) or the first chunk ([Partial]), and false if
// that lies beyond n. For [Indeterminate] it returns n (the body runs to the
// end of the data). It never overflows.
func (h Header) End(n int) (int, bool) {
	if h.Len > n || n < 0 {
		return 0, false
	}
	if h.Kind == Indeterminate {
		return n, true
	}
	if h.BodyLen > uint64(n-h.Len) {
		return 0, false
	}
	return h.Len + int(h.BodyLen), true
}
