package conformance

import (
	"bytes"
	"fmt"
	"io"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// Armor lines (RFC 9580, Section 6.2).
var (
	armorBegin = []byte("-----BEGIN PGP ")
	armorEnd   = []byte("-----END PGP ")
)

// maxDearmored caps what dearmor decodes (certificates of a test case).
const maxDearmored = 16 << 20

// dearmor decodes every ASCII-armored block of data with go-crypto's armor
// reader and concatenates the binary packets; binary input is returned
// unchanged. It exists to build gpgv keyrings (gpgv reads binary keyrings
// only). The CRC line is not checked: the tools under test judge the
// packets, not the armor. A block without an END line is not counted.
func dearmor(data []byte) ([]byte, error) {
	if !bytes.Contains(data, armorBegin) {
		return data, nil
	}
	var out bytes.Buffer
	blocks := 0
	for rest := data; ; {
		i := bytes.Index(rest, armorBegin)
		if i < 0 {
			break
		}
		// One block per Decode call: from its BEGIN line to the next one.
		block := rest[i:]
		if j := bytes.Index(block[len(armorBegin):], armorBegin); j >= 0 {
			block = block[:len(armorBegin)+j]
		}
		rest = rest[i+len(block):]
		if !bytes.Contains(block, armorEnd) {
			continue
		}
		blk, err := armor.Decode(bytes.NewReader(block))
		if err != nil {
			return nil, fmt.Errorf("armor block %d: %w", blocks+1, err)
		}
		if _, err := io.Copy(&out, io.LimitReader(blk.Body, maxDearmored-int64(out.Len())+1)); err != nil {
			return nil, fmt.Errorf("armor block %d: %w", blocks+1, err)
		}
		if out.Len() > maxDearmored {
			return nil, fmt.Errorf("armor block %d: more than %d bytes", blocks+1, maxDearmored)
		}
		blocks++
	}
	if blocks == 0 {
		return nil, fmt.Errorf("no complete armor block")
	}
	return out.Bytes(), nil
}
