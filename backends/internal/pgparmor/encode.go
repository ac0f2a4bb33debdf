package pgparmor

import (
	"fmt"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// Encode armors data as a "-----BEGIN PGP <label>-----" block with go-crypto's
// armor writer: the headers (sorted by key, "Key: value"), a blank line,
// base64 in lines of 64 characters, the CRC-24 line and the END line, every
// line ending in '\n'. This is byte for byte what rpm 4.18's pgpArmorWrap
// (headers {"Version": "rpm-4.18.0"}) and Sequoia 1.x's armor::Writer (no
// headers) write.
//
// For empty data go-crypto writes an empty line where the base64 would be;
// rpm and Sequoia write none, and neither does Encode.
func Encode(label string, headers map[string]string, data []byte) (string, error) {
	var sb strings.Builder
	w, err := armor.EncodeWithChecksumOption(&sb, "PGP "+label, headers, true)
	if err != nil {
		return "", fmt.Errorf("armor: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return "", fmt.Errorf("armor: %w", err)
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("armor: %w", err)
	}
	out := sb.String()
	if len(data) == 0 {
		// "...\n\n" (end of headers) then go-crypto's "\n=" of the checksum.
		out = strings.Replace(out, "\n\n\n=", "\n\n=", 1)
	}
	return out + "\n", nil
}
