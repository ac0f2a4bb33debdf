package pgppacket

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want Header
		err  error
	}{
		{"empty", nil, Header{}, ErrTruncated},
		{"bit 7 clear", []byte{0x42, 0x00}, Header{}, ErrNotPacket},
		{"bit 7 clear alone", []byte{0x05}, Header{}, ErrNotPacket},
		{"new no length", []byte{0xc2}, Header{}, ErrTruncated},
		{"new 1-octet 0", []byte{0xc2, 0x00}, Header{Tag: 2, Kind: Fixed, Len: 2, BodyLen: 0}, nil},
		{"new 1-octet 191", []byte{0xc6, 191, 1}, Header{Tag: 6, Len: 2, BodyLen: 191}, nil},
		{"new 2-octet min", []byte{0xc2, 192, 0}, Header{Tag: 2, Len: 3, BodyLen: 192}, nil},
		{"new 2-octet RFC example 1723", []byte{0xc2, 0xc5, 0xfb}, Header{Tag: 2, Len: 3, BodyLen: 1723}, nil},
		{"new 2-octet max", []byte{0xc2, 223, 255}, Header{Tag: 2, Len: 3, BodyLen: 8383}, nil},
		{"new 2-octet truncated", []byte{0xc2, 192}, Header{}, ErrTruncated},
		{"new 5-octet RFC example 100000", []byte{0xc2, 0xff, 0x00, 0x01, 0x86, 0xa0}, Header{Tag: 2, Len: 6, BodyLen: 100000}, nil},
		{"new 5-octet max", []byte{0xc2, 0xff, 0xff, 0xff, 0xff, 0xff}, Header{Tag: 2, Len: 6, BodyLen: 1<<32 - 1}, nil},
		{"new 5-octet truncated", []byte{0xc2, 0xff, 0, 0, 0}, Header{}, ErrTruncated},
		{"new partial 1", []byte{0xcb, 0xe0}, Header{Tag: 11, Kind: Partial, Len: 2, BodyLen: 1}, nil},
		{"new partial RFC example 32768", []byte{0xcb, 0xef}, Header{Tag: 11, Kind: Partial, Len: 2, BodyLen: 32768}, nil},
		{"new partial max", []byte{0xc8, 0xfe}, Header{Tag: 8, Kind: Partial, Len: 2, BodyLen: 1 << 30}, nil},
		{"new tag 0", []byte{0xc0, 0x01}, Header{Tag: 0, Len: 2, BodyLen: 1}, nil},
		{"new tag 63", []byte{0xff, 0x01}, Header{Tag: 63, Len: 2, BodyLen: 1}, nil},
		{"legacy 1-octet", []byte{0x88, 0x05}, Header{Tag: 2, Format: Legacy, Len: 2, BodyLen: 5}, nil},
		{"legacy 1-octet truncated", []byte{0x88}, Header{}, ErrTruncated},
		{"legacy 2-octet", []byte{0x99, 0x01, 0x0d}, Header{Tag: 6, Format: Legacy, Len: 3, BodyLen: 269}, nil},
		{"legacy 2-octet truncated", []byte{0x99, 0x01}, Header{}, ErrTruncated},
		{"legacy 4-octet", []byte{0x8a, 0x00, 0x01, 0x00, 0x00}, Header{Tag: 2, Format: Legacy, Len: 5, BodyLen: 65536}, nil},
		{"legacy 4-octet max", []byte{0x8a, 0xff, 0xff, 0xff, 0xff}, Header{Tag: 2, Format: Legacy, Len: 5, BodyLen: 1<<32 - 1}, nil},
		{"legacy 4-octet truncated", []byte{0x8a, 0, 0, 0}, Header{}, ErrTruncated},
		{"legacy indeterminate", []byte{0xa3}, Header{Tag: 8, Format: Legacy, Kind: Indeterminate, Len: 1}, nil},
		{"legacy tag 15", []byte{0xbc, 0x00}, Header{Tag: 15, Format: Legacy, Len: 2}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.in)
			if !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
				t.Fatalf("Parse(% x) error = %v, want %v", tc.in, err, tc.err)
			}
			if got != tc.want {
				t.Fatalf("Parse(% x) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestLength(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		n    int
		l    uint64
		kind Kind
		err  error
	}{
		{nil, 0, 0, Fixed, ErrTruncated},
		{[]byte{100}, 1, 100, Fixed, nil},
		{[]byte{0xc5, 0xfb}, 2, 1723, Fixed, nil},
		{[]byte{0xc5}, 0, 0, Fixed, ErrTruncated},
		{[]byte{0xff, 0x00, 0x01, 0x86, 0xa0, 0x99}, 5, 100000, Fixed, nil},
		{[]byte{0xff, 0x00, 0x01, 0x86}, 0, 0, Fixed, ErrTruncated},
		{[]byte{0xe1}, 1, 2, Partial, nil},
		{[]byte{0xf0}, 1, 65536, Partial, nil},
	} {
		n, l, kind, err := Length(tc.in)
		if n != tc.n || l != tc.l || kind != tc.kind || err != tc.err {
			t.Errorf("Length(% x) = %d, %d, %d, %v; want %d, %d, %d, %v", tc.in, n, l, kind, err, tc.n, tc.l, tc.kind, tc.err)
		}
	}
}

func TestEnd(t *testing.T) {
	for _, tc := range []struct {
		h    Header
		n    int
		end  int
		fits bool
	}{
		{Header{Len: 2, BodyLen: 3}, 5, 5, true},
		{Header{Len: 2, BodyLen: 3}, 9, 5, true},
		{Header{Len: 2, BodyLen: 3}, 4, 0, false},
		{Header{Len: 6, BodyLen: 1<<32 - 1}, 100, 0, false},
		{Header{Len: 6, BodyLen: 1<<64 - 1}, 1 << 40, 0, false},
		{Header{Len: 6}, 5, 0, false},
		{Header{Len: 2, Kind: Partial, BodyLen: 4}, 8, 6, true},
		{Header{Len: 2, Kind: Partial, BodyLen: 8}, 8, 0, false},
		{Header{Len: 1, Kind: Indeterminate}, 1, 1, true},
		{Header{Len: 1, Kind: Indeterminate}, 40, 40, true},
		{Header{Len: 1, Kind: Indeterminate}, 0, 0, false},
		{Header{Len: 2}, -1, 0, false},
	} {
		end, fits := tc.h.End(tc.n)
		if end != tc.end || fits != tc.fits {
			t.Errorf("%+v.End(%d) = %d, %v; want %d, %v", tc.h, tc.n, end, fits, tc.end, tc.fits)
		}
	}
}

func TestTag(t *testing.T) {
	for ctb, want := range map[byte]byte{0xc2: 2, 0xfe: 62, 0x88: 2, 0x99: 6, 0xb4: 13, 0x04: 1} {
		if got := Tag(ctb); got != want {
			t.Errorf("Tag(%#02x) = %d, want %d", ctb, got, want)
		}
	}
}

// TestNoAllocation: Parse and Length never allocate, also when they fail.
func TestNoAllocation(t *testing.T) {
	inputs := [][]byte{{0xc2, 0xff, 0, 0, 1, 0}, {0x99, 1}, {0x42}, {0xcb, 0xe3}, {0xa3}, nil}
	allocs := testing.AllocsPerRun(100, func() {
		for _, in := range inputs {
			_, _ = Parse(in)
			_, _, _, _ = Length(in)
		}
	})
	if allocs != 0 {
		t.Fatalf("Parse and Length allocate %v times a run, want 0", allocs)
	}
}
