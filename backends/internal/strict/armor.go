package strict

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/rpmpgp/rpmpgp/backends/internal/pgparmor"
	"github.com/rpmpgp/rpmpgp/core"
)

// armorKinds maps armor labels (RFC 9580, Section 6.2) to rpm's pgpArmor
// values as rpm-sequoia's _pgpParsePkts does (Sequoia armor::Kind).
var armorKinds = map[string]core.ArmorKind{
	"MESSAGE":           core.ArmorMessage,
	"PUBLIC KEY BLOCK":  core.ArmorPubKey,
	"SIGNATURE":         core.ArmorSignature,
	"PRIVATE KEY BLOCK": core.ArmorSecKey,
	"ARMORED FILE":      core.ArmorFile,
}

// ParseArmor mirrors pgpParsePkts (rpm-sequoia: armor::Reader in tolerant
// mode): the kind and decoded body of the first armored block. Text
// without an armored block of a known kind gives ArmorNone; a body that
// does not decode, or whose CRC-24 (if present) does not match, gives
// ArmorErrBodyDecode.
//
// go-crypto's armor.Decode is not used because it reads differently: it
// takes the first BEGIN line of any label (this skips unknown labels), it
// drops a block whose BEGIN line is not followed by headers and a blank
// line (this tolerates a missing blank line), it ignores the CRC-24 line
// (this checks it), it ends the block at any END line (this needs the
// block's own label) and refuses lines over 96 characters.
func (b *Backend) ParseArmor(text []byte) (core.ArmorKind, []byte, error) {
	if len(text) > maxArmorBytes {
		return core.ArmorErrBodyDecode, nil, nil
	}
	lines := strings.Split(string(text), "\n")
	i := 0
	var kind core.ArmorKind
	label := ""
	for ; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "-----BEGIN PGP ") && strings.HasSuffix(l, "-----") && len(l) > 20 {
			label = l[len("-----BEGIN PGP ") : len(l)-5]
			if k, ok := armorKinds[label]; ok {
				kind = k
				break
			}
		}
	}
	if kind == 0 {
		return core.ArmorNone, nil, nil
	}
	i++
	// Armor headers (Section 6.2.2) up to a blank line; tolerate their
	// absence as Sequoia's tolerant mode does.
	for j := i; j < len(lines); j++ {
		l := strings.TrimSpace(lines[j])
		if l == "" {
			i = j + 1
			break
		}
		if !strings.Contains(l, ": ") {
			break
		}
	}
	var body strings.Builder
	var crc string
	ended := false
	for ; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "-----END PGP "+label+"-----") {
			ended = true
			break
		}
		if len(l) == 5 && l[0] == '=' {
			crc = l[1:]
			continue
		}
		body.WriteString(l)
	}
	if !ended {
		return core.ArmorErrBodyDecode, nil, nil
	}
	data, err := base64.StdEncoding.DecodeString(body.String())
	if err != nil {
		return core.ArmorErrBodyDecode, nil, nil
	}
	if crc != "" {
		want, err := base64.StdEncoding.DecodeString(crc)
		if err != nil || len(want) != 3 {
			return core.ArmorErrBodyDecode, nil, nil
		}
		got := pgparmor.CRC24(data)
		if !bytes.Equal(want, []byte{byte(got >> 16), byte(got >> 8), byte(got)}) {
			return core.ArmorErrBodyDecode, nil, nil
		}
	}
	return kind, data, nil
}

// WrapArmor mirrors pgpArmorWrap (rpm-sequoia: armor::Writer): only the
// message, public key, signature, file and secret key kinds are allowed.
// Lines are 64 characters and the CRC-24 is included, as Sequoia 1.x
// writes; no armor headers.
func (b *Backend) WrapArmor(kind core.ArmorKind, data []byte) (string, error) {
	label := ""
	for l, k := range armorKinds {
		if k == kind {
			label = l
		}
	}
	if label == "" {
		return "", fmt.Errorf("strict: cannot armor kind %d", kind)
	}
	return pgparmor.Encode(label, nil, data)
}
