package legacy

import (
	"bytes"
	"strings"

	"github.com/rpmpgp/rpmpgp/core"
)

// ASCII armor (RFC 4880 section 6), ported from rpm 4.18
// rpmio/rpmpgp_internal.c (decodePkts, pgpParsePkts, pgpArmorWrap) and
// rpmio/base64.c.

// maxArmorInput caps the text ParseArmor looks at. rpm 4.18 has no cap
// (rpmioSlurp reads any file); the decoded data is never larger than this.
const maxArmorInput = 64 << 20

// armorTbl is rpm's pgpArmorTbl, in rpm's order (pgpValTok takes the first
// entry that is a prefix of the line).
var armorTbl = []struct {
	kind core.ArmorKind
	name string
}{
	{core.ArmorMessage, "MESSAGE"},
	{core.ArmorPubKey, "PUBLIC KEY BLOCK"},
	{core.ArmorSignature, "SIGNATURE"},
	{core.ArmorSignedMessage, "SIGNED MESSAGE"},
	{core.ArmorFile, "ARMORED FILE"},
	{core.ArmorPrivKey, "PRIVATE KEY BLOCK"},
	{core.ArmorSecKey, "SECRET KEY BLOCK"},
}

// armorKeyTbl is rpm's pgpArmorKeyTbl: the armor headers 4.18 skips.
var armorKeyTbl = []string{"Version: ", "Comment: ", "MessageID: ", "Hash: ", "Charset: "}

// armorName is pgpValStr(pgpArmorTbl, kind).
func armorName(kind core.ArmorKind) string {
	for _, e := range armorTbl {
		if e.kind == kind {
			return e.name
		}
	}
	return "Unknown armor block"
}

// crc24 is rpm's pgpCRC (RFC 4880 section 6.1).
func crc24(b []byte) uint32 {
	crc := uint32(0xb704ce)
	for _, c := range b {
		crc ^= uint32(c) << 16
		for i := 0; i < 8; i++ {
			crc <<= 1
			if crc&0x1000000 != 0 {
				crc ^= 0x1864cfb
			}
		}
	}
	return crc & 0xffffff
}

// b64val is rpm's base64_decode_value: 0..63 for the alphabet, -2 for '='
// (which rpmBase64Decode counts as valid but never decodes), -1 otherwise.
func b64val(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	case c == '=':
		return -2
	}
	return -1
}

// base64Decode is rpm 4.18's rpmBase64Decode on a NUL-free string: bytes
// 0x00-0x20 and (C signed char) 0x80-0xff are whitespace; any other byte
// outside the alphabet and '=' is an error; the count of alphabet and '='
// characters must be a multiple of 4; decoding skips everything but the
// alphabet and keeps only complete bytes.
func base64Decode(in []byte) ([]byte, bool) {
	cnt := 0
	for _, c := range in {
		if c > 32 && c < 0x80 {
			if b64val(c) == -1 {
				return nil, false
			}
			cnt++
		}
	}
	if cnt%4 != 0 {
		return nil, false
	}
	out := make([]byte, 0, cnt/4*3)
	var acc uint32
	n := 0
	for _, c := range in {
		v := b64val(c)
		if v < 0 {
			continue
		}
		acc = acc<<6 | uint32(v)
		n++
		switch n {
		case 2:
			out = append(out, byte(acc>>4))
		case 3:
			out = append(out, byte(acc>>2))
		case 4:
			out = append(out, byte(acc))
			acc, n = 0, 0
		}
	}
	return out, true
}

// hasPrefixAt reports whether buf[i:] starts with tok (rstreqn/TOKEQ on a
// NUL-terminated buffer).
func hasPrefixAt(buf []byte, i int, tok string) bool {
	return i >= 0 && i <= len(buf) && bytes.HasPrefix(buf[i:], []byte(tok))
}

// at returns buf[i], or 0 (the C string terminator) past the end.
func at(buf []byte, i int) byte {
	if i < 0 || i >= len(buf) {
		return 0
	}
	return buf[i]
}

// parsePkts is rpm 4.18's pgpParsePkts/decodePkts. Only "PUBLIC KEY BLOCK"
// armor is decoded ("ASCII Pubkeys only, please"): other known kinds are
// skipped, an unknown kind is ERR_UNKNOWN_ARMOR_TYPE, the CRC24 line is
// mandatory and must match. The input is a C string, so it ends at the
// first NUL. The strict profile (rpm-sequoia) decodes every armor kind and
// does not require the checksum.
func parsePkts(text []byte) (core.ArmorKind, []byte) {
	if i := bytes.IndexByte(text, 0); i >= 0 {
		text = text[:i]
	}
	if len(text) == 0 {
		return core.ArmorErrNoBeginPGP, nil
	}
	buf := text
	var (
		encStart, encEnd int
		crcStart         int
		armortype        string
		pstate           int
	)
	for t := 0; t < len(buf); {
		te := bytes.IndexByte(buf[t:], '\n')
		if te < 0 {
			te = len(buf)
		} else {
			te = t + te + 1
		}
		line := t
		t = te // next iteration (the C loop's "t = te")
		switch pstate {
		case 0:
			armortype = ""
			if !hasPrefixAt(buf, line, "-----BEGIN PGP ") {
				continue
			}
			c := line + len("-----BEGIN PGP ")
			kind := core.ArmorKind(-1)
			for _, e := range armorTbl {
				if len(e.name) <= te-c && hasPrefixAt(buf, c, e.name) {
					kind = e.kind
					break
				}
			}
			if kind < 0 {
				return core.ArmorErrUnknownArmorType, nil
			}
			if kind != core.ArmorPubKey {
				continue
			}
			armortype = armorName(kind)
			c += len(armortype)
			if !hasPrefixAt(buf, c, "-----") {
				continue
			}
			c += len("-----")
			if ch := at(buf, c); ch != '\n' && ch != '\r' {
				continue
			}
			pstate++
		case 1:
			known := false
			for _, k := range armorKeyTbl {
				if len(k) <= te-line && hasPrefixAt(buf, line, k) {
					known = true
					break
				}
			}
			if known {
				continue
			}
			if ch := at(buf, line); ch != '\n' && ch != '\r' {
				pstate = 0
				continue
			}
			encStart = te // start of encoded packets
			pstate++
		case 2:
			if at(buf, line) != '=' {
				continue
			}
			encEnd = line // "Terminate encoded packets"
			crcStart = line + 1
			pstate++
		case 3:
			pstate = 0
			if !hasPrefixAt(buf, line, "-----END PGP ") {
				return core.ArmorErrNoEndPGP, nil
			}
			crcEnd := line // "Terminate encoded crc"
			c := line + len("-----END PGP ")
			if c >= te {
				continue
			}
			if armortype == "" || !hasPrefixAt(buf, c, armortype) {
				continue
			}
			c += len(armortype)
			if c >= te {
				continue
			}
			if !hasPrefixAt(buf, c, "-----") {
				return core.ArmorErrNoEndPGP, nil
			}
			c += len("-----")
			// "Handle EOF without EOL here"
			if at(buf, c) != 0 && c >= te {
				continue
			}
			if ch := at(buf, c); ch != '\n' && ch != '\r' && ch != 0 {
				continue
			}
			crcdec, ok := base64Decode(buf[crcStart:crcEnd])
			if !ok || len(crcdec) != 3 {
				return core.ArmorErrCRCDecode, nil
			}
			crcpkt := grab(crcdec)
			dec, ok := base64Decode(buf[encStart:encEnd])
			if !ok {
				return core.ArmorErrBodyDecode, nil
			}
			if crc24(dec) != crcpkt {
				return core.ArmorErrCRCCheck, nil
			}
			return core.ArmorPubKey, dec
		}
	}
	return core.ArmorNone, nil
}

// rpmVersion is what rpm 4.18 writes in the armor "Version:" header.
const rpmVersion = "4.18.0"

// base64Encode is rpm's rpmBase64Encode with line length 64 (every line,
// including the last, ends with '\n'; nothing for empty input).
func base64Encode(data []byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var sb strings.Builder
	for len(data) > 0 {
		n := len(data)
		if n > 48 {
			n = 48
		}
		chunk := data[:n]
		data = data[n:]
		for i := 0; i < len(chunk); i += 3 {
			var b [3]byte
			m := copy(b[:], chunk[i:])
			v := uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2])
			sb.WriteByte(alphabet[v>>18&63])
			sb.WriteByte(alphabet[v>>12&63])
			if m > 1 {
				sb.WriteByte(alphabet[v>>6&63])
			} else {
				sb.WriteByte('=')
			}
			if m > 2 {
				sb.WriteByte(alphabet[v&63])
			} else {
				sb.WriteByte('=')
			}
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// armorWrap is rpm 4.18's pgpArmorWrap.
func armorWrap(kind core.ArmorKind, data []byte) string {
	name := armorName(kind)
	crc := crc24(data)
	crcEnc := strings.TrimSuffix(base64Encode([]byte{byte(crc >> 16), byte(crc >> 8), byte(crc)}), "\n")
	return "-----BEGIN PGP " + name + "-----\nVersion: rpm-" + rpmVersion + "\n\n" +
		base64Encode(data) + "=" + crcEnc + "\n-----END PGP " + name + "-----\n"
}
