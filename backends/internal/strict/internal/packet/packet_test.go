package packet

import (
	"bytes"
	"testing"
)

// TestReadPacket checks the framing of the strict backends and its error
// texts, which are Sequoia's and can reach output lines.
func TestReadPacket(t *testing.T) {
	long := append([]byte{0xc2, 0xff, 0, 0, 1, 0}, make([]byte, 256)...)
	for _, tc := range []struct {
		name          string
		in            []byte
		tag           byte
		hdr, n        int
		indeterminate bool
		err           string
	}{
		{"new one-octet", []byte{0xc2, 0x02, 1, 2, 9}, 2, 2, 4, false, ""},
		{"new two-octet", append([]byte{0xc6, 0xc0, 0x00}, make([]byte, 192)...), 6, 3, 195, false, ""},
		{"new five-octet", long, 2, 6, 262, false, ""},
		{"legacy one-octet", []byte{0x88, 0x01, 7}, 2, 2, 3, false, ""},
		{"legacy two-octet", []byte{0x99, 0x00, 0x01, 7, 8}, 6, 3, 4, false, ""},
		{"legacy four-octet", []byte{0x8a, 0, 0, 0, 1, 7}, 2, 5, 6, false, ""},
		{"legacy indeterminate", []byte{0x8b, 1, 2, 3}, 2, 1, 4, true, ""},
		{"legacy indeterminate empty body", []byte{0x8b}, 2, 1, 1, true, ""},
		{"empty", nil, 0, 0, 0, false, "Malformed packet: Truncated packet"},
		{"MSB clear", []byte{0x05, 0x01}, 0, 0, 0, false, "Malformed packet: Invalid CTB: MSB of ptag (0x05) not set"},
		{"MSB clear high", []byte{0x7f}, 0, 0, 0, false, "Malformed packet: Invalid CTB: MSB of ptag (0x7f) not set"},
		{"new without length", []byte{0xc2}, 0, 0, 0, false, "Malformed packet: Truncated packet"},
		{"new two-octet cut", []byte{0xc2, 0xc0}, 0, 0, 0, false, "Malformed packet: Truncated packet"},
		{"new five-octet cut", []byte{0xc2, 0xff, 0, 0, 0}, 0, 0, 0, false, "Malformed packet: Truncated packet"},
		{"new five-octet beyond", []byte{0xc2, 0xff, 0xff, 0xff, 0xff, 0xff, 1}, 0, 0, 0, false, "Malformed packet: Truncated packet"},
		{"new body beyond", []byte{0xc2, 0x03, 1, 2}, 0, 0, 0, false, "Malformed packet: Truncated packet"},
		{"partial", []byte{0xc2, 0xe0, 1, 0}, 0, 0, 0, false, "Malformed packet: Partial body length not allowed for this packet"},
		{"partial on a literal", []byte{0xcb, 0xe1, 1, 2, 0}, 0, 0, 0, false, "Malformed packet: Partial body length not allowed for this packet"},
		{"legacy one-octet cut", []byte{0x88}, 0, 0, 0, false, "Malformed packet: Truncated packet"},
		{"legacy two-octet cut", []byte{0x99, 0}, 0, 0, 0, false, "Malformed packet: Truncated packet"},
		{"legacy four-octet cut", []byte{0x8a, 0, 0, 0}, 0, 0, 0, false, "Malformed packet: Truncated packet"},
		{"legacy body beyond", []byte{0x88, 0x02, 1}, 0, 0, 0, false, "Malformed packet: Truncated packet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, n, err := ReadPacket(tc.in)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err || n != 0 {
					t.Fatalf("ReadPacket(% x) = %d, %v; want error %q", tc.in, n, err, tc.err)
				}
				return
			}
			if err != nil || n != tc.n || p.Tag != tc.tag || p.Indeterminate != tc.indeterminate ||
				!bytes.Equal(p.Raw, tc.in[:tc.n]) || !bytes.Equal(p.Body, tc.in[tc.hdr:tc.n]) {
				t.Fatalf("ReadPacket(% x) = %+v, %d, %v; want tag %d, header %d, %d octets", tc.in, p, n, err, tc.tag, tc.hdr, tc.n)
			}
		})
	}
}

func TestCTBTag(t *testing.T) {
	for ctb, want := range map[byte]byte{0xc2: 2, 0xc6: 6, 0xfd: 61, 0x88: 2, 0x99: 6, 0xb4: 13} {
		if got := CTBTag(ctb); got != want {
			t.Errorf("CTBTag(%#02x) = %d, want %d", ctb, got, want)
		}
	}
}
