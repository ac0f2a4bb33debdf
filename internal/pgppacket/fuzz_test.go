package pgppacket

import (
	"encoding/binary"
	"testing"
)

// refParse is a plain reference decoder written from RFC 9580, Section 4.2
// without sharing code with Parse: it picks the number of length octets
// from the first octets, reads them big-endian, and applies the formula of
// the section that matches.
func refParse(b []byte) (h Header, ok bool) {
	if len(b) < 1 || b[0] < 0x80 {
		return Header{}, false
	}
	if b[0] >= 0xc0 {
		h.Tag = b[0] - 0xc0
		if len(b) < 2 {
			return Header{}, false
		}
		first := int(b[1])
		switch {
		case first <= 191:
			h.Len, h.BodyLen = 2, uint64(first)
		case first <= 223:
			if len(b) < 3 {
				return Header{}, false
			}
			h.Len, h.BodyLen = 3, uint64((first-192)*256+int(b[2])+192)
		case first == 255:
			if len(b) < 6 {
				return Header{}, false
			}
			h.Len, h.BodyLen = 6, uint64(binary.BigEndian.Uint32(b[2:6]))
		default:
			h.Kind, h.Len, h.BodyLen = Partial, 2, uint64(1)<<(first-224)
		}
		return h, true
	}
	h.Format, h.Tag = Legacy, (b[0]-0x80)/4
	var lenOctets = [4]int{1, 2, 4, 0}[b[0]%4]
	if lenOctets == 0 {
		h.Kind, h.Len = Indeterminate, 1
		return h, true
	}
	if len(b) < 1+lenOctets {
		return Header{}, false
	}
	var buf [8]byte
	copy(buf[8-lenOctets:], b[1:1+lenOctets])
	h.Len, h.BodyLen = 1+lenOctets, binary.BigEndian.Uint64(buf[:])
	return h, true
}

// FuzzHeader checks that Parse never panics, agrees with refParse on every
// input, stays within its bounds, and that End never claims more than the
// data.
func FuzzHeader(f *testing.F) {
	for _, s := range [][]byte{
		nil, {0x42}, {0xc2}, {0xc2, 0x05, 1, 2, 3, 4, 5}, {0xc2, 0xc5, 0xfb}, {0xc2, 0xff, 0, 1, 0x86, 0xa0},
		{0xcb, 0xef, 0}, {0x88, 0x05}, {0x99, 0x01, 0x0d}, {0x8a, 0, 1, 0, 0}, {0xa3, 1, 2},
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := Parse(b)
		ref, ok := refParse(b)
		if (err == nil) != ok || h != ref {
			t.Fatalf("Parse(% x) = %+v, %v; reference %+v, %v", b, h, err, ref, ok)
		}
		if err != nil {
			if h != (Header{}) {
				t.Fatalf("Parse(% x) failed with %v but returned %+v", b, err, h)
			}
			if want := ErrTruncated; len(b) > 0 && b[0]&0x80 == 0 {
				want = ErrNotPacket
				if err != want {
					t.Fatalf("Parse(% x) error %v, want %v", b, err, want)
				}
			} else if err != want {
				t.Fatalf("Parse(% x) error %v, want %v", b, err, want)
			}
			return
		}
		if h.Len < 1 || h.Len > 6 || h.Len > len(b) || h.BodyLen > 1<<32-1 {
			t.Fatalf("Parse(% x) = %+v: out of bounds", b, h)
		}
		if Tag(b[0]) != h.Tag {
			t.Fatalf("Tag(%#02x) = %d, Parse says %d", b[0], Tag(b[0]), h.Tag)
		}
		end, fits := h.End(len(b))
		switch {
		case h.Kind == Indeterminate && (!fits || end != len(b)):
			t.Fatalf("%+v.End(%d) = %d, %v", h, len(b), end, fits)
		case h.Kind != Indeterminate && fits != (uint64(h.Len)+h.BodyLen <= uint64(len(b))):
			t.Fatalf("%+v.End(%d) = %d, %v", h, len(b), end, fits)
		case fits && (end < h.Len || end > len(b)):
			t.Fatalf("%+v.End(%d) = %d out of the data", h, len(b), end)
		}
	})
}
