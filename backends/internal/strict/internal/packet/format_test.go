package packet

import (
	"fmt"
	"strings"
	"testing"
)

// TestUpperHex: UpperHex is Sequoia's display of fingerprints and key IDs,
// upper-case %x, for every byte value, a key ID, a v6 fingerprint and
// nothing.
func TestUpperHex(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{nil, ""},
		{[]byte{0x14, 0x30, 0x03, 0xa2, 0xa7, 0xe9, 0xc1, 0xb3}, "143003A2A7E9C1B3"},
		{[]byte{0x00, 0x0f, 0xf0, 0xff}, "000FF0FF"},
		{all, strings.ToUpper(fmt.Sprintf("%x", all))},
	} {
		if got := UpperHex(tc.in); got != tc.want {
			t.Errorf("UpperHex(% x) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
