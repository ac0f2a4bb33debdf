package packet

import (
	"errors"
	"testing"
)

func TestReadMPI(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    []byte
		n       int
		wantErr string
	}{
		{"one byte", []byte{0, 1, 1}, []byte{1}, 3, ""},
		{"full byte", []byte{0, 8, 0x80}, []byte{0x80}, 3, ""},
		{"two bytes", []byte{0, 9, 1, 0xff, 9}, []byte{1, 0xff}, 4, ""},
		{"zero", []byte{0, 0}, []byte{}, 2, ""},
		{"xcrypto 2351", []byte{0, 8, 0x40}, nil, 0, "Malformed MPI: leading bit is not set: expected bit 8 to be set in  1000000 (40)"},
		{"xcrypto 2351 small", []byte{0, 16, 0x16, 0}, nil, 0, "Malformed MPI: leading bit is not set: expected bit 8 to be set in    10110 (16)"},
		{"leading zero octet", []byte{0, 16, 0, 0xff}, nil, 0, "Malformed MPI: leading bit is not set: expected bit 8 to be set in        0 (0)"},
		{"too few bits", []byte{0, 7, 0xff}, nil, 0, "Malformed MPI: leading bit is not set: expected bit 7 to be set in 11111111 (ff)"},
		{"truncated", []byte{0, 16, 1}, nil, 0, "Malformed packet: Truncated packet"},
		{"no header", []byte{0}, nil, 0, "Malformed packet: Truncated packet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, n, err := ReadMPI(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if tc.wantErr[:9] == "Malformed" && tc.wantErr[10:13] == "MPI" && !errors.Is(err, ErrMalformedMPI) {
					t.Errorf("not errMalformedMPI")
				}
				return
			}
			if err != nil || n != tc.n || string(v) != string(tc.want) {
				t.Fatalf("got %x %d %v, want %x %d", v, n, err, tc.want, tc.n)
			}
		})
	}
	if BitLen([]byte{0, 0x01, 0}) != 9 || BitLen(nil) != 0 {
		t.Error("bitLen")
	}
}
