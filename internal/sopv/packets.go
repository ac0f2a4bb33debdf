package sopv

import (
	"errors"
	"fmt"

	"github.com/rpmpgp/rpmpgp/internal/pgppacket"
)

// OpenPGP packet tags sopv needs to tell apart (RFC 9580, Section 5).
const (
	tagSignature  = 2
	tagOnePassSig = 4
	tagCompressed = 8
	tagMarker     = 10
	tagLiteral    = 11
	tagPadding    = 21
)

// maxPackets bounds the number of packets sopv walks in one input.
const maxPackets = 4096

// packet is one OpenPGP packet: its tag, its whole encoding (header and
// body, as found) and its body (partial-length chunks joined).
type packet struct {
	tag  int
	raw  []byte
	body []byte
}

// errTruncated is a packet whose body is shorter than its header says.
var errTruncated = errors.New("truncated packet")

// splitPackets cuts data into OpenPGP packets (RFC 9580, Section 4.2:
// OpenPGP and legacy headers; partial body lengths, Section 4.2.1.4, only
// for the data packets that may use them). It fails on anything that does
// not frame exactly: a byte without the packet bit, a truncated body, an
// indeterminate length, more than maxPackets packets.
func splitPackets(data []byte) ([]packet, error) {
	var out []packet
	for off := 0; off < len(data); {
		if len(out) == maxPackets {
			return nil, fmt.Errorf("more than %d packets", maxPackets)
		}
		p, n, err := readPacket(data[off:])
		if err != nil {
			return nil, fmt.Errorf("packet %d at offset %d: %w", len(out)+1, off, err)
		}
		out = append(out, p)
		off += n
	}
	return out, nil
}

// readPacket reads the packet at the start of data and returns it with
// the number of bytes it takes. The header is decoded by
// [pgppacket.Parse]; the length kinds other than a fixed length are
// allowed only for the data packets (partialAllowed).
func readPacket(data []byte) (packet, int, error) {
	h, err := pgppacket.Parse(data)
	switch {
	case errors.Is(err, pgppacket.ErrNotPacket):
		return packet{}, 0, fmt.Errorf("not an OpenPGP packet header (0x%02x)", data[0])
	case err != nil:
		return packet{}, 0, errTruncated
	}
	tag := int(h.Tag)
	switch h.Kind {
	case pgppacket.Fixed:
		end, ok := h.End(len(data))
		if !ok {
			return packet{}, 0, errTruncated
		}
		return packet{tag: tag, raw: data[:end], body: data[h.Len:end]}, end, nil
	case pgppacket.Indeterminate:
		// Indeterminate length: the packet runs to the end of the
		// input (RFC 9580, Section 4.2.2.4), which only data packets
		// may do (old PGP and GnuPG compressed packets use it).
		if !partialAllowed(tag) {
			return packet{}, 0, fmt.Errorf("indeterminate length on a packet with tag %d", tag)
		}
		return packet{tag: tag, raw: data, body: data[1:]}, len(data), nil
	}
	// Partial body length (RFC 9580, Section 4.2.1.4): only data packets
	// may use it. The chunks are joined; each takes at least two octets of
	// data (its length and a body of at least one octet, the last one at
	// least its length octet), so the loop ends within len(data) rounds.
	if !partialAllowed(tag) {
		return packet{}, 0, fmt.Errorf("partial body length on a packet with tag %d", tag)
	}
	var body []byte
	off, n, kind := h.Len, h.BodyLen, h.Kind
	for {
		if n > uint64(len(data)-off) {
			return packet{}, 0, errTruncated
		}
		body = append(body, data[off:off+int(n)]...)
		off += int(n)
		if kind != pgppacket.Partial {
			break
		}
		var hl int
		if hl, n, kind, err = pgppacket.Length(data[off:]); err != nil {
			return packet{}, 0, errTruncated
		}
		off += hl
	}
	return packet{tag: tag, raw: data[:off], body: body}, off, nil
}

// partialAllowed reports whether a packet with tag may use partial body
// lengths (RFC 9580, Section 4.2.1.4: literal, compressed and encrypted
// data packets).
func partialAllowed(tag int) bool {
	switch tag {
	case 8, 9, 11, 18, 20:
		return true
	}
	return false
}
