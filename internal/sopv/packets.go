package sopv

import (
	"errors"
	"fmt"
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
// the number of bytes it takes.
func readPacket(data []byte) (packet, int, error) {
	if len(data) == 0 {
		return packet{}, 0, errTruncated
	}
	h := data[0]
	if h&0x80 == 0 {
		return packet{}, 0, fmt.Errorf("not an OpenPGP packet header (0x%02x)", h)
	}
	if h&0x40 == 0 {
		// Legacy format (Section 4.2.2): tag in bits 5-2, length type in 1-0.
		tag := int(h>>2) & 0x0f
		var n, hl int
		switch h & 3 {
		case 0:
			hl = 2
			if len(data) < hl {
				return packet{}, 0, errTruncated
			}
			n = int(data[1])
		case 1:
			hl = 3
			if len(data) < hl {
				return packet{}, 0, errTruncated
			}
			n = int(data[1])<<8 | int(data[2])
		case 2:
			hl = 5
			if len(data) < hl {
				return packet{}, 0, errTruncated
			}
			n = int(uint32(data[1])<<24 | uint32(data[2])<<16 | uint32(data[3])<<8 | uint32(data[4]))
		default:
			// Indeterminate length: the packet runs to the end of the
			// input (RFC 9580, Section 4.2.2.4), which only data packets
			// may do (old PGP and GnuPG compressed packets use it).
			if !partialAllowed(tag) {
				return packet{}, 0, fmt.Errorf("indeterminate length on a packet with tag %d", tag)
			}
			return packet{tag: tag, raw: data, body: data[1:]}, len(data), nil
		}
		if n < 0 || n > len(data)-hl {
			return packet{}, 0, errTruncated
		}
		end := hl + n
		return packet{tag: tag, raw: data[:end], body: data[hl:end]}, end, nil
	}
	// OpenPGP format (Section 4.2.1).
	tag := int(h & 0x3f)
	off := 1
	var body []byte
	for chunks := 0; ; chunks++ {
		if off >= len(data) {
			return packet{}, 0, errTruncated
		}
		n, hl, partial := 0, 0, false
		switch b := data[off]; {
		case b < 192:
			n, hl = int(b), 1
		case b < 224:
			if off+1 >= len(data) {
				return packet{}, 0, errTruncated
			}
			n, hl = (int(b)-192)<<8+int(data[off+1])+192, 2
		case b == 255:
			if off+4 >= len(data) {
				return packet{}, 0, errTruncated
			}
			n = int(uint32(data[off+1])<<24 | uint32(data[off+2])<<16 | uint32(data[off+3])<<8 | uint32(data[off+4]))
			hl = 5
		default:
			// Partial body length: only data packets may use it.
			if !partialAllowed(tag) {
				return packet{}, 0, fmt.Errorf("partial body length on a packet with tag %d", tag)
			}
			n, hl, partial = 1<<(b&0x1f), 1, true
		}
		off += hl
		if n < 0 || n > len(data)-off {
			return packet{}, 0, errTruncated
		}
		if !partial && chunks == 0 {
			body = data[off : off+n]
		} else {
			body = append(body, data[off:off+n]...)
		}
		off += n
		if !partial {
			break
		}
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
