package conformance

import (
	"errors"
	"fmt"

	"github.com/rpmpgp/rpmpgp/internal/pgppacket"
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

// maxPacketLen bounds the body length a key file's packet header may
// claim, so that a hostile four-octet length is refused by name before the
// truncation check.
const maxPacketLen = 1 << 30

// packetLen parses the packet header at the start of b (RFC 9580, Section
// 4.2: OpenPGP and legacy formats, through [pgppacket.Parse]) and returns
// the packet's tag and its total length (header and body), which is within
// b.
func packetLen(b []byte) (tag, total int, err error) {
	if len(b) < 2 {
		return 0, 0, errors.New("truncated packet header")
	}
	h, err := pgppacket.Parse(b)
	switch {
	case errors.Is(err, pgppacket.ErrNotPacket):
		return 0, 0, fmt.Errorf("invalid packet header byte 0x%02x", b[0])
	case err != nil:
		return 0, 0, errors.New("truncated packet length")
	case h.Kind == pgppacket.Partial:
		return 0, 0, errors.New("partial body length in a key file")
	case h.Kind == pgppacket.Indeterminate:
		return 0, 0, errors.New("indeterminate packet length in a key file")
	case h.BodyLen > maxPacketLen:
		return 0, 0, fmt.Errorf("packet length %d too large", h.BodyLen)
	}
	end, ok := h.End(len(b))
	if !ok {
		return 0, 0, fmt.Errorf("packet (tag %d) of %d bytes is truncated to %d", h.Tag, h.BodyLen, len(b)-h.Len)
	}
	return int(h.Tag), end, nil
}
