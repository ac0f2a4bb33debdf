package conformance

import (
	"errors"
	"fmt"
)

// Packet tags that start a certificate (RFC 9580, Section 5.5.1): a
// Public-Key packet, or a Secret-Key packet (a transferable secret key
// carries its public certificate).
const (
	tagSecretKey = 5
	tagPublicKey = 6
)

// maxCertsPerFile bounds how many certificates one key file may hold.
const maxCertsPerFile = 4096

// splitCertificates splits a binary OpenPGP packet stream (dearmored) into
// one packet run per certificate: a new certificate starts at every
// Public-Key or Secret-Key packet (RFC 9580, Section 10.1, "Transferable
// Public Keys": the primary key packet comes first). The packets are
// copied byte for byte, never re-encoded, so every external tool judges
// exactly the bytes the user gave. Data that does not start with a key
// packet, a malformed packet header or a partial/indeterminate length
// (not allowed for key material, RFC 9580 Section 4.2.1) is an error.
func splitCertificates(data []byte) ([][]byte, error) {
	var certs [][]byte
	start := -1
	for off := 0; off < len(data); {
		tag, n, err := packetLen(data[off:])
		if err != nil {
			return nil, fmt.Errorf("packet at offset %d: %w", off, err)
		}
		if tag == tagPublicKey || tag == tagSecretKey {
			if start >= 0 {
				certs = append(certs, data[start:off])
				if len(certs) >= maxCertsPerFile {
					return nil, fmt.Errorf("more than %d certificates", maxCertsPerFile)
				}
			}
			start = off
		} else if start < 0 {
			return nil, fmt.Errorf("packet at offset %d: tag %d before any key packet: not a certificate", off, tag)
		}
		off += n
	}
	if start < 0 {
		return nil, errors.New("no certificate")
	}
	return append(certs, data[start:]), nil
}

// packetLen parses the packet header at the start of b (RFC 9580, Section
// 4.2: OpenPGP and legacy formats) and returns the packet's tag and its
// total length (header and body), which is within b.
func packetLen(b []byte) (tag, total int, err error) {
	if len(b) < 2 {
		return 0, 0, errors.New("truncated packet header")
	}
	ctb := b[0]
	if ctb&0x80 == 0 {
		return 0, 0, fmt.Errorf("invalid packet header byte 0x%02x", ctb)
	}
	var hdr, body int
	if ctb&0x40 != 0 {
		// OpenPGP format (Section 4.2.1).
		tag = int(ctb & 0x3f)
		switch l := int(b[1]); {
		case l < 192:
			hdr, body = 2, l
		case l < 224:
			if len(b) < 3 {
				return 0, 0, errors.New("truncated packet length")
			}
			hdr, body = 3, (l-192)<<8+int(b[2])+192
		case l == 255:
			if len(b) < 6 {
				return 0, 0, errors.New("truncated packet length")
			}
			v := uint32(b[2])<<24 | uint32(b[3])<<16 | uint32(b[4])<<8 | uint32(b[5])
			if v > 1<<30 {
				return 0, 0, fmt.Errorf("packet length %d too large", v)
			}
			hdr, body = 6, int(v)
		default:
			return 0, 0, errors.New("partial body length in a key file")
		}
	} else {
		// Legacy format (Section 4.2.2).
		tag = int(ctb>>2) & 0x0f
		switch ctb & 3 {
		case 0:
			hdr, body = 2, int(b[1])
		case 1:
			if len(b) < 3 {
				return 0, 0, errors.New("truncated packet length")
			}
			hdr, body = 3, int(b[1])<<8|int(b[2])
		case 2:
			if len(b) < 5 {
				return 0, 0, errors.New("truncated packet length")
			}
			v := uint32(b[1])<<24 | uint32(b[2])<<16 | uint32(b[3])<<8 | uint32(b[4])
			if v > 1<<30 {
				return 0, 0, fmt.Errorf("packet length %d too large", v)
			}
			hdr, body = 5, int(v)
		default:
			return 0, 0, errors.New("indeterminate packet length in a key file")
		}
	}
	if body > len(b)-hdr {
		return 0, 0, fmt.Errorf("packet (tag %d) of %d bytes is truncated to %d", tag, body, len(b)-hdr)
	}
	return tag, hdr + body, nil
}
