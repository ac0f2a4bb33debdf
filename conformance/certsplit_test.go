package conformance

import "testing"

// TestPacketLen checks the key splitter's packet framing and its exact
// error texts.
func TestPacketLen(t *testing.T) {
	for _, tc := range []struct {
		name       string
		in         []byte
		tag, total int
		err        string
	}{
		{"new one-octet", []byte{0xc6, 0x01, 4, 9}, 6, 3, ""},
		{"new two-octet", append([]byte{0xc6, 0xc0, 0x00}, make([]byte, 192)...), 6, 195, ""},
		{"new five-octet", []byte{0xcd, 0xff, 0, 0, 0, 2, 'a', 'b'}, 13, 8, ""},
		{"legacy one-octet", []byte{0x98, 0x00}, 6, 2, ""},
		{"legacy two-octet", []byte{0x99, 0x00, 0x01, 4}, 6, 4, ""},
		{"legacy four-octet", []byte{0x9a, 0, 0, 0, 1, 4}, 6, 6, ""},
		{"empty", nil, 0, 0, "truncated packet header"},
		{"one octet", []byte{0xc6}, 0, 0, "truncated packet header"},
		{"one octet without the packet bit", []byte{0x06}, 0, 0, "truncated packet header"},
		{"no packet bit", []byte{0x06, 0x01}, 0, 0, "invalid packet header byte 0x06"},
		{"new two-octet cut", []byte{0xc6, 0xc0}, 0, 0, "truncated packet length"},
		{"new five-octet cut", []byte{0xc6, 0xff, 0, 0, 0}, 0, 0, "truncated packet length"},
		{"legacy two-octet cut", []byte{0x99, 0x00}, 0, 0, "truncated packet length"},
		{"legacy four-octet cut", []byte{0x9a, 0, 0, 0}, 0, 0, "truncated packet length"},
		{"partial", []byte{0xc6, 0xe1, 0x00}, 0, 0, "partial body length in a key file"},
		{"indeterminate", []byte{0x9b, 0x00}, 0, 0, "indeterminate packet length in a key file"},
		{"new five-octet too large", []byte{0xc6, 0xff, 0x40, 0, 0, 1}, 0, 0, "packet length 1073741825 too large"},
		{"legacy four-octet too large", []byte{0x9a, 0xff, 0xff, 0xff, 0xff}, 0, 0, "packet length 4294967295 too large"},
		{"new five-octet at the limit", []byte{0xc6, 0xff, 0x40, 0, 0, 0, 1}, 0, 0, "packet (tag 6) of 1073741824 bytes is truncated to 1"},
		{"body cut", []byte{0xb4, 0x05, 'a', 'b'}, 0, 0, "packet (tag 13) of 5 bytes is truncated to 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tag, total, err := packetLen(tc.in)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("packetLen(% x) error %v, want %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil || tag != tc.tag || total != tc.total {
				t.Fatalf("packetLen(% x) = %d, %d, %v; want %d, %d", tc.in, tag, total, err, tc.tag, tc.total)
			}
		})
	}
}
