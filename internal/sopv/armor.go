package sopv

import (
	"bytes"
	"fmt"
	"io"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// armorBegin starts every ASCII armor header line (RFC 9580, Section 6.2).
var armorBegin = []byte("-----BEGIN PGP ")

// isBinary reports whether data starts like an OpenPGP packet rather than
// text: the first octet has its packet bit set (RFC 9580, Section 4.2).
func isBinary(data []byte) bool { return len(data) > 0 && data[0]&0x80 != 0 }

// dearmor returns the binary OpenPGP data of in: in itself when it is
// binary, else the bodies of its armor blocks concatenated (SOP inputs may
// be binary or armored; a file may hold several armored signatures one
// after the other). want ("PGP MESSAGE") is the block type required, or ""
// for any: the label is advisory, the packets say what the data is
// (Sequoia writes signatures under "PGP MESSAGE" too). The output is
// bounded by max.
func dearmor(in []byte, want string, max int) ([]byte, error) {
	if isBinary(in) {
		return in, nil
	}
	start := bytes.Index(in, armorBegin)
	if start < 0 {
		return nil, fmt.Errorf("neither binary OpenPGP data nor ASCII armor")
	}
	var out []byte
	for start >= 0 {
		next := bytes.Index(in[start+len(armorBegin):], armorBegin)
		end := len(in)
		if next >= 0 {
			end = start + len(armorBegin) + next
		}
		blk, err := armor.Decode(bytes.NewReader(in[start:end]))
		if err != nil {
			return nil, fmt.Errorf("ASCII armor: %w", err)
		}
		if want != "" && blk.Type != want {
			return nil, fmt.Errorf("ASCII armor block %q, expected %q", blk.Type, want)
		}
		body, err := io.ReadAll(io.LimitReader(blk.Body, int64(max-len(out))+1))
		if err != nil {
			return nil, fmt.Errorf("ASCII armor: %w", err)
		}
		out = append(out, body...)
		if len(out) > max {
			return nil, fmt.Errorf("armored data larger than %d bytes", max)
		}
		if next < 0 {
			break
		}
		start = end
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty ASCII armor block")
	}
	return out, nil
}
