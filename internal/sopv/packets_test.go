package sopv

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestSplitPackets checks the framing: both header formats, every length
// encoding, partial lengths only on data packets, and the failures.
func TestSplitPackets(t *testing.T) {
	long := strings.Repeat("x", 300)
	for _, tc := range []struct {
		name   string
		in     []byte
		tags   []int
		bodies []string
		err    string
	}{
		{"new one-octet", []byte("\xc2\x03abc"), []int{2}, []string{"abc"}, ""},
		{"new two-octet", append([]byte{0xc2, 0xc0, 300 - 192}, long...), []int{2}, []string{long}, ""},
		{"new five-octet", append([]byte{0xc2, 0xff, 0, 0, 1, 44}, long...), []int{2}, []string{long}, ""},
		{"legacy one-octet", []byte("\x88\x03abc"), []int{2}, []string{"abc"}, ""},
		{"legacy two-octet", append([]byte{0x89, 1, 44}, long...), []int{2}, []string{long}, ""},
		{"legacy four-octet", append([]byte{0x8a, 0, 0, 1, 44}, long...), []int{2}, []string{long}, ""},
		{"legacy indeterminate data", []byte("\xa3\x00abc"), []int{8}, []string{"\x00abc"}, ""},
		{"partial literal", []byte("\xcb\xe1ab\x01c"), []int{11}, []string{"abc"}, ""},
		{"partial chunks then five-octet", append([]byte("\xcb\xe1ab\xe0c\xff\x00\x00\x00\x02"), "de"...), []int{11}, []string{"abcde"}, ""},
		{"partial then empty last chunk", []byte("\xc8\xe1ab\x00"), []int{8}, []string{"ab"}, ""},
		{"partial chunk cut", []byte("\xcb\xe2abc"), nil, nil, "packet 1 at offset 0: truncated packet"},
		{"partial without a last length", []byte("\xcb\xe1ab"), nil, nil, "packet 1 at offset 0: truncated packet"},
		{"partial then cut two-octet length", []byte("\xcb\xe1ab\xc0"), nil, nil, "packet 1 at offset 0: truncated packet"},
		{"two packets", []byte("\xc2\x01a\xca\x03PGP"), []int{2, 10}, []string{"a", "PGP"}, ""},
		{"empty", nil, nil, nil, ""},
		{"no packet bit", []byte("abc"), nil, nil, "packet 1 at offset 0: not an OpenPGP packet header (0x61)"},
		{"truncated body", []byte("\xc2\x05abc"), nil, nil, "packet 1 at offset 0: truncated packet"},
		{"truncated length", []byte("\xc2\xff\x00"), nil, nil, "packet 1 at offset 0: truncated packet"},
		{"truncated header", []byte("\xc2"), nil, nil, "packet 1 at offset 0: truncated packet"},
		{"partial signature", []byte("\xc2\xe1ab\x01c"), nil, nil, "packet 1 at offset 0: partial body length on a packet with tag 2"},
		{"indeterminate signature", []byte("\x8b\x00"), nil, nil, "packet 1 at offset 0: indeterminate length on a packet with tag 2"},
		{"huge length", []byte("\xc2\xff\xff\xff\xff\xff"), nil, nil, "packet 1 at offset 0: truncated packet"},
	} {
		pkts, err := splitPackets(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || len(pkts) != len(tc.tags) {
			t.Errorf("%s: %d packets, %v", tc.name, len(pkts), err)
			continue
		}
		var raw []byte
		for i, p := range pkts {
			if p.tag != tc.tags[i] || string(p.body) != tc.bodies[i] {
				t.Errorf("%s: packet %d tag %d body %q", tc.name, i, p.tag, p.body)
			}
			raw = append(raw, p.raw...)
		}
		if !bytes.Equal(raw, tc.in) {
			t.Errorf("%s: raw packets do not add up to the input", tc.name)
		}
	}
	many := bytes.Repeat([]byte("\xca\x00"), maxPackets+1)
	if _, err := splitPackets(many); err == nil || err.Error() != "more than 4096 packets" {
		t.Errorf("too many packets: %v", err)
	}
}

// TestSignatureType reads the type octet of v3, v4 and v6 signatures.
func TestSignatureType(t *testing.T) {
	for in, want := range map[string]int{
		"\xc2\x04\x04\x01xx":     1,
		"\xc2\x04\x06\x00xx":     0,
		"\xc2\x05\x03\x05\x13xx": 0x13,
		"\xc2\x05\x03\x04\x13xx": -1,
		"\xc2\x04\x02\x00xx":     -1,
		"\xc6\x04\x04\x00xx":     -1,
		"\xc2\x01\x04":           -1,
	} {
		if got := signatureType([]byte(in)); got != want {
			t.Errorf("signatureType(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestTextReader checks line-end canonicalisation across read boundaries.
func TestTextReader(t *testing.T) {
	for in, want := range map[string]string{
		"":             "",
		"a":            "a",
		"a\n":          "a\r\n",
		"a\r\n":        "a\r\n",
		"a\n\nb":       "a\r\n\r\nb",
		"a\rb\n":       "a\rb\r\n",
		"\n\r\n\r\r\n": "\r\n\r\n\r\r\n",
	} {
		for _, size := range []int{1, 2, 64} {
			r := newTextReader(strings.NewReader(in))
			var out []byte
			buf := make([]byte, size)
			for {
				n, err := r.Read(buf)
				out = append(out, buf[:n]...)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if string(out) != want {
				t.Errorf("text(%q) with %d-byte reads = %q, want %q", in, size, out, want)
			}
		}
	}
}

// FuzzInputs feeds arbitrary bytes to the input parsers: they must never
// panic, and what they accept must frame.
func FuzzInputs(f *testing.F) {
	f.Add([]byte("\xc2\x03abc"))
	f.Add([]byte("\xa3\x00abc"))
	f.Add([]byte("\xc4\x03ops\xcb\x06b\x00\x00\x00\x00\x00\xc2\x01s"))
	f.Add([]byte("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nx\n-----BEGIN PGP SIGNATURE-----\n\nwsA=\n-----END PGP SIGNATURE-----\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if sigs, err := signaturePackets(in); err == nil && len(sigs) == 0 {
			t.Fatal("accepted SIGNATURES without a signature")
		}
		if m, err := parseSignedMessage(in); err == nil && len(m.sigs) == 0 {
			t.Fatal("accepted a message without a signature")
		}
		_ = signatureType(in)
	})
}
