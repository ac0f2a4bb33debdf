package legacy

import "github.com/rpmpgp/rpmpgp/core"

// OpenPGP packet framing, ported from rpm 4.18 rpmio/rpmpgp_internal.c
// (pgpLen, pgpGet, decodePkt). RFC 4880 section 4.2.

// Packet tags (RFC 4880 section 4.3, rpm's PGPTAG_*).
const (
	tagReserved     = 0
	tagSignature    = 2
	tagPublicKey    = 6
	tagUserID       = 13
	tagPublicSubkey = 14
)

// Signature types (RFC 4880 section 5.2.1, rpm's PGPSIGTYPE_*).
const (
	sigTypeBinary        = 0x00
	sigTypeText          = 0x01
	sigTypeStandalone    = 0x02
	sigTypePositiveCert  = 0x13
	sigTypeSubkeyBinding = 0x18
	sigTypeSubkeyRevoke  = 0x28
)

// Public-key algorithms rpm 4.18 knows (rpm's PGPPUBKEYALGO_*).
const (
	algoRSA   = uint8(core.PubKeyRSA)
	algoDSA   = uint8(core.PubKeyDSA)
	algoECDSA = uint8(core.PubKeyECDSA)
	algoEdDSA = uint8(core.PubKeyEdDSA)
)

// maxOpenPGPBytes is rpm 4.18's RPM_MAX_OPENPGP_BYTES: pgpPrtParams rejects
// any blob larger than this ("reject absurdly large data").
const maxOpenPGPBytes = 65535

// pkt is rpm's struct pgpPkt, with offsets instead of pointers.
type pkt struct {
	tag  uint8
	head int // offset of the packet header in the buffer
	body int // offset of the packet body
	blen int // body length
}

// end returns the offset just past the packet.
func (p pkt) end() int { return p.body + p.blen }

// bodyOf returns the packet body within buf.
func (p pkt) bodyOf(buf []byte) []byte { return buf[p.body:p.end()] }

// grab is rpm's pgpGrab: a big-endian integer of up to 4 bytes.
func grab(b []byte) uint32 {
	var v uint32
	for _, c := range b {
		v = v<<8 | uint32(c)
	}
	return v
}

// pgpLen is rpm 4.18's pgpLen: decodes a 1, 2 or 5 octet length (new-format
// packet headers and subpackets, RFC 4880 sections 4.2.2 and 5.2.3.1).
// Partial body lengths (224..254) are intentionally unsupported, as in rpm.
// It returns the number of length octets and the length, 0 on error
// (including when the buffer cannot hold the decoded length).
func pgpLen(s []byte) (lenlen int, dlen int) {
	slen := len(s)
	if slen < 1 {
		return 0, 0
	}
	var d uint64
	switch {
	case s[0] < 192:
		lenlen, d = 1, uint64(s[0])
	case s[0] < 224 && slen > 2:
		lenlen, d = 2, uint64(int(s[0]-192)<<8+int(s[1])+192)
	case s[0] == 255 && slen > 5:
		lenlen, d = 5, uint64(grab(s[1:5]))
	default:
		return 0, 0
	}
	// rpm: "if (slen - lenlen < dlen) lenlen = 0;"
	if uint64(slen-lenlen) < d {
		return 0, 0
	}
	return lenlen, int(d)
}

// decodePkt is rpm 4.18's decodePkt: decode the packet header at buf[off:]
// and check that header and body fit. ok is false on any error. Old-format
// packets with an indeterminate length (length type 3) are rejected
// (rpm's pgpGet refuses nbytes > 4).
func decodePkt(buf []byte, off int) (p pkt, ok bool) {
	if off < 0 || off > len(buf) {
		return pkt{}, false
	}
	b := buf[off:]
	plen := len(b)
	// "Valid PGP packet header must always have two or more bytes in it"
	if plen < 2 || b[0]&0x80 == 0 {
		return pkt{}, false
	}
	var lenlen, blen int
	if b[0]&0x40 != 0 {
		// New format (RFC 4880 section 4.2.2): length from the second byte.
		lenlen, blen = pgpLen(b[1:])
		p.tag = b[0] & 0x3f
	} else {
		// Old format (RFC 4880 section 4.2.1).
		lenlen = 1 << (b[0] & 0x3)
		// pgpGet: nbytes <= 4 and the buffer must hold nbytes + value.
		if lenlen > 4 || plen-1 < lenlen {
			return pkt{}, false
		}
		v := uint64(grab(b[1 : 1+lenlen]))
		if uint64(plen-1-lenlen) < v {
			return pkt{}, false
		}
		blen = int(v)
		p.tag = (b[0] >> 2) & 0xf
	}
	hlen := lenlen + 1
	// "Does the packet header and its body fit in our boundaries?"
	if lenlen == 0 || hlen+blen > plen {
		return pkt{}, false
	}
	p.head = off
	p.body = off + hlen
	p.blen = blen
	return p, true
}
