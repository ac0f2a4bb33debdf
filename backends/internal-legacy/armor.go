package legacy

import (
	"bytes"

	"github.com/rpmpgp/rpmpgp/backends/internal/pgparmor"
	"github.com/rpmpgp/rpmpgp/core"
)

// ASCII armor (RFC 4880 section 6), ported from rpm 4.18
// rpmio/rpmpgp_internal.c (decodePkts, pgpParsePkts, pgpArmorWrap) and
// rpmio/base64.c. Writing goes through go-crypto's armor writer, which
// gives rpm's bytes; reading is rpm's own parser, because rpm 4.18 reads
// armor unlike any library (see parsePkts).

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

// parsePkts is rpm 4.18's pgpParsePkts/decodePkts (rpmio/rpmpgp_internal.c).
// It is kept instead of go-crypto's armor.Decode for these rpm 4.18 quirks,
// each of which changes a verdict or an import result:
//
//   - The input is a C string: it ends at the first NUL. Empty input is
//     ERR_NO_BEGIN_PGP; input without a complete block is ArmorNone.
//   - Only "PUBLIC KEY BLOCK" armor is decoded ("ASCII Pubkeys only,
//     please"): other kinds of pgpArmorTbl are skipped. A BEGIN line whose
//     label starts with none of pgpArmorTbl's names (pgpValTok's prefix
//     match, in table order) is ERR_UNKNOWN_ARMOR_TYPE for the whole text.
//     The name must be followed by exactly "-----" and '\n' or '\r', or
//     the line is ignored.
//   - Only the headers of pgpArmorKeyTbl are skipped ("Version: ",
//     "Comment: ", "MessageID: ", "Hash: ", "Charset: "); any other line
//     before the blank line abandons the block and the search goes on.
//   - The CRC-24 line is mandatory: the body runs to the first line that
//     starts with '=' (END lines before it are read as body). The next line
//     must start with "-----END PGP " (else ERR_NO_END_PGP); a different
//     label there makes the block ignored, a label not followed by "-----"
//     is ERR_NO_END_PGP.
//   - Base64 is rpmBase64Decode's: bytes 0x00-0x20 and 0x80-0xff are
//     skipped anywhere, any other byte outside the alphabet and '=' fails,
//     and the count of alphabet and '=' characters must be a multiple of 4.
//     A CRC that does not decode to 3 bytes is ERR_CRC_DECODE, a body that
//     does not decode ERR_BODY_DECODE, a CRC mismatch ERR_CRC_CHECK.
//   - Lines end at '\n' only and have no length limit.
//
// The strict profile (rpm-sequoia) decodes every armor kind and does not
// require the checksum.
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
			if pgparmor.CRC24(dec) != crcpkt {
				return core.ArmorErrCRCCheck, nil
			}
			return core.ArmorPubKey, dec
		}
	}
	return core.ArmorNone, nil
}

// rpmVersion is what rpm 4.18 writes in the armor "Version:" header.
const rpmVersion = "4.18.0"

// armorWrap is rpm 4.18's pgpArmorWrap: a "Version: rpm-4.18.0" header,
// rpmBase64Encode's 64-column lines and the CRC-24 line, which is what
// go-crypto's armor writer produces (see [pgparmor.Encode]). Unknown kinds
// are wrapped as "Unknown armor block", as rpm does.
func armorWrap(kind core.ArmorKind, data []byte) (string, error) {
	return pgparmor.Encode(armorName(kind), map[string]string{"Version": "rpm-" + rpmVersion}, data)
}
