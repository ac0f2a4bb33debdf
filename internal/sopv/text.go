package sopv

import (
	"bufio"
	"io"
)

// Signature types that sign data (RFC 9580, Section 5.2.1): only these
// make a VERIFICATIONS line; a certification or key binding over a
// message's bytes is not a signature of the message.
const (
	sigTypeBinary = 0x00
	sigTypeText   = 0x01
)

// signatureType returns the signature type octet of a signature packet
// (RFC 9580, Section 5.2.2 for version 3: after the hashed-material length
// 5; Section 5.2.3 for versions 4 and 6: after the version), or -1 when
// the packet is too short or of another version; the backend then judges
// the packet itself.
func signatureType(raw []byte) int {
	p, _, err := readPacket(raw)
	if err != nil || p.tag != tagSignature || len(p.body) < 3 {
		return -1
	}
	switch p.body[0] {
	case 3:
		if p.body[1] != 5 {
			return -1
		}
		return int(p.body[2])
	case 4, 5, 6:
		return int(p.body[1])
	}
	return -1
}

// textReader canonicalises line endings for a text-mode signature
// (RFC 9580, Section 5.2.1.2: the signature is over the text with its line
// endings converted to <CR><LF>): a LF not preceded by CR becomes CR LF.
// rpm hashes data as it is, so core/verify does not do this.
type textReader struct {
	r       *bufio.Reader
	lastCR  bool
	pending bool // a LF is owed after an inserted CR
}

func newTextReader(r io.Reader) *textReader { return &textReader{r: bufio.NewReader(r)} }

func (t *textReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if t.pending {
			p[n] = '\n'
			n++
			t.pending, t.lastCR = false, false
			continue
		}
		c, err := t.r.ReadByte()
		if err != nil {
			if n > 0 && err == io.EOF {
				return n, nil
			}
			return n, err
		}
		if c == '\n' && !t.lastCR {
			p[n] = '\r'
			n++
			t.pending = true
			continue
		}
		p[n] = c
		n++
		t.lastCR = c == '\r'
	}
	return n, nil
}
