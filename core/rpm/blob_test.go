package rpm

import (
	"encoding/binary"
	"strings"
	"testing"
)

func TestParseBlob(t *testing.T) {
	// A one-entry legacy header (no region): NAME = "gpg-pubkey".
	name := []byte("gpg-pubkey\x00")
	b := make([]byte, 8+16)
	binary.BigEndian.PutUint32(b[0:], 1)
	binary.BigEndian.PutUint32(b[4:], uint32(len(name)))
	binary.BigEndian.PutUint32(b[8:], uint32(TagName))
	binary.BigEndian.PutUint32(b[12:], uint32(TypeString))
	binary.BigEndian.PutUint32(b[16:], 0)
	binary.BigEndian.PutUint32(b[20:], 1)
	b = append(b, name...)
	h, err := ParseBlob(b)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := h.StringTag(TagName); err != nil || n != "gpg-pubkey" {
		t.Fatalf("name %q %v", n, err)
	}
	if _, err := h.StringTag(TagVersion); err == nil {
		t.Error("missing tag: no error")
	}
	for _, tc := range []struct {
		blob []byte
		want string
	}{
		{b[:7], "hdr size(7): BAD"},
		{b[:len(b)-1], "blob size(34): BAD"},
		{append(append([]byte(nil), b...), 0), "blob size(36): BAD"},
		{[]byte{0, 0, 0, 0, 0, 0, 0, 0}, "region: no tags"},
		{[]byte{0, 1, 0, 0, 0, 0, 0, 0}, "hdr tags: BAD"},
		{[]byte{0, 0, 0, 1, 0x10, 0, 0, 0}, "hdr data: BAD"},
	} {
		if _, err := ParseBlob(tc.blob); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("% x: %v, want %q", tc.blob, err, tc.want)
		}
	}
	// A string that runs off the store is refused (hdrblobVerifyInfo).
	bad := append([]byte(nil), b...)
	bad[len(bad)-1] = 'x'
	if _, err := ParseBlob(bad); err == nil || !strings.Contains(err.Error(), "tag[0]: BAD") {
		t.Errorf("unterminated name: %v", err)
	}
}

func FuzzParseBlob(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 11, 0, 0, 3, 0xe8, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 1, 'g', 'p', 'g', '-', 'p', 'u', 'b', 'k', 'e', 'y', 0})
	f.Add([]byte{0, 0, 0, 2, 0, 0, 0, 16})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseBlob(b)
		if err != nil {
			return
		}
		for i := range h.Entries {
			e := &h.Entries[i]
			_, _ = e.Strings()
		}
		_, _ = h.StringTag(TagName)
	})
}
