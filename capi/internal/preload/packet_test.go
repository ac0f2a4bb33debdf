package preload

import (
	"bytes"
	"testing"
)

func TestPacketHeader(t *testing.T) {
	long := append([]byte{0xc2, 0xff, 0, 0, 1, 0}, make([]byte, 256)...)
	for _, tc := range []struct {
		name        string
		in          []byte
		tag, off, n int
		err         string
	}{
		{"new format one-octet length", []byte{0xc2, 0x03, 1, 2, 3}, 2, 2, 3, ""},
		{"new format two-octet length", append([]byte{0xc6, 0xc0, 0x00}, make([]byte, 192)...), 6, 3, 192, ""},
		{"new format five-octet length", long, 2, 6, 256, ""},
		{"new format partial length", []byte{0xc2, 0xe0, 0}, 0, 0, 0, "partial body length"},
		{"new format two-octet length cut", []byte{0xc2, 0xc0}, 0, 0, 0, "truncated packet"},
		{"new format five-octet length cut", []byte{0xc2, 0xff, 0, 0, 1}, 0, 0, 0, "truncated packet"},
		{"new format five-octet length beyond", []byte{0xc2, 0xff, 0xff, 0xff, 0xff, 0xff, 1}, 0, 0, 0, "truncated packet"},
		{"legacy one-octet length", []byte{0x88, 0x02, 1, 2}, 2, 2, 2, ""},
		{"legacy two-octet length", append([]byte{0x99, 0x00, 0x01}, 9), 6, 3, 1, ""},
		{"legacy four-octet length", []byte{0x8a, 0, 0, 0, 1, 9}, 2, 5, 1, ""},
		{"legacy four-octet length cut", []byte{0x8a, 0, 0, 0}, 0, 0, 0, "truncated packet"},
		{"legacy indeterminate length", []byte{0x8b, 1, 2}, 0, 0, 0, "indeterminate length"},
		{"body longer than the input", []byte{0xc2, 0x05, 1}, 0, 0, 0, "truncated packet"},
		{"not a packet", []byte{0x02, 0x01, 0}, 0, 0, 0, "not an OpenPGP packet"},
		{"one octet", []byte{0xc2}, 0, 0, 0, "not an OpenPGP packet"},
		{"one legacy indeterminate octet", []byte{0x8b}, 0, 0, 0, "not an OpenPGP packet"},
		{"empty", nil, 0, 0, 0, "not an OpenPGP packet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tag, off, n, err := packetHeader(tc.in)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || tag != tc.tag || off != tc.off || n != tc.n {
				t.Fatalf("got tag %d off %d n %d err %v, want %d %d %d", tag, off, n, err, tc.tag, tc.off, tc.n)
			}
		})
	}
}

func TestTrailer(t *testing.T) {
	// v4: version, type 0x00, RSA, SHA256, hashed length 3, 3 octets of
	// hashed area, then the unhashed part (not in the trailer).
	v4body := []byte{4, 0x00, 1, 8, 0, 3, 0xaa, 0xbb, 0xcc, 0, 0, 0x12, 0x34}
	v4 := append([]byte{0xc2, byte(len(v4body))}, v4body...)
	// v6: four-octet hashed length.
	v6body := []byte{6, 0x00, 27, 10, 0, 0, 0, 2, 0xde, 0xad, 0, 0, 0, 0}
	v6 := append([]byte{0xc2, byte(len(v6body))}, v6body...)
	// v3: version, hashed length 5, type, creation time, key ID...
	v3body := []byte{3, 5, 0x00, 0x65, 0x92, 0x00, 0x80, 1, 2, 3, 4, 5, 6, 7, 8, 1, 8, 0x12, 0x34}
	v3 := append([]byte{0x88, byte(len(v3body))}, v3body...)
	for _, tc := range []struct {
		name    string
		pkt     []byte
		want    []byte
		wantErr bool
	}{
		{"v4", v4, []byte{4, 0, 1, 8, 0, 3, 0xaa, 0xbb, 0xcc, 4, 0xff, 0, 0, 0, 9}, false},
		{"v6", v6, []byte{6, 0, 27, 10, 0, 0, 0, 2, 0xde, 0xad, 6, 0xff, 0, 0, 0, 10}, false},
		{"v3", v3, []byte{0x00, 0x65, 0x92, 0x00, 0x80}, false},
		{"v3 with a hashed length other than 5", []byte{0x88, 4, 3, 4, 0, 0}, nil, true},
		{"v4 hashed length beyond the packet", []byte{0xc2, 6, 4, 0, 1, 8, 0, 9}, nil, true},
		{"v5", []byte{0xc2, 6, 5, 0, 1, 8, 0, 0}, nil, true},
		{"not a signature", []byte{0xc6, 1, 4}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Trailer(tc.pkt)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if !bytes.Equal(got, tc.want) {
				t.Fatalf("Trailer = % x, want % x", got, tc.want)
			}
		})
	}
}
