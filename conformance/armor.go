package conformance

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
)

// dearmor decodes every ASCII-armored block of data and concatenates the
// binary packets; binary input is returned unchanged. It exists to build
// gpgv keyrings (gpgv reads binary keyrings only). The CRC line is not
// checked: the tools under test judge the packets, not the armor.
func dearmor(data []byte) ([]byte, error) {
	if !bytes.Contains(data, []byte("-----BEGIN PGP ")) {
		return data, nil
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	state := 0 // 0 outside, 1 headers, 2 body
	var body strings.Builder
	blocks := 0
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \t\r")
		switch state {
		case 0:
			if strings.HasPrefix(line, "-----BEGIN PGP ") {
				state = 1
				body.Reset()
			}
		case 1:
			if line == "" {
				state = 2
			} else if !strings.Contains(line, ":") {
				state = 2 // no header block
				body.WriteString(line)
			}
		case 2:
			switch {
			case strings.HasPrefix(line, "-----END PGP "):
				b, err := base64.StdEncoding.DecodeString(body.String())
				if err != nil {
					return nil, fmt.Errorf("armor block %d: %w", blocks+1, err)
				}
				out.Write(b)
				blocks++
				state = 0
			case strings.HasPrefix(line, "="):
				// CRC-24 line
			default:
				body.WriteString(line)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if blocks == 0 {
		return nil, fmt.Errorf("no complete armor block")
	}
	return out.Bytes(), nil
}
