package pgparmor

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// TestCRC24 checks the checksum against values computed independently
// (a bit-by-bit Python port of RFC 9580, Section 6.1.1).
func TestCRC24(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint32
	}{
		{"", 0xb704ce},
		{"hi", 0x526e1c},
		{"\x99\x00\x01x", 0xe19799},
	} {
		if got := CRC24([]byte(c.in)); got != c.want {
			t.Errorf("CRC24(%q) = %#06x, want %#06x", c.in, got, c.want)
		}
	}
}

// TestEncode checks the exact bytes rpm 4.18 and Sequoia write.
func TestEncode(t *testing.T) {
	rpm := map[string]string{"Version": "rpm-4.18.0"}
	line := strings.Repeat("paWl", 16) // 48 bytes of 0xa5 0xa5 0xa5
	for _, c := range []struct {
		name    string
		label   string
		headers map[string]string
		data    []byte
		want    string
	}{
		{"sequoia", "SIGNATURE", nil, []byte("hi"),
			"-----BEGIN PGP SIGNATURE-----\n\naGk=\n=Um4c\n-----END PGP SIGNATURE-----\n"},
		{"rpm", "PUBLIC KEY BLOCK", rpm, []byte("hi"),
			"-----BEGIN PGP PUBLIC KEY BLOCK-----\nVersion: rpm-4.18.0\n\naGk=\n=Um4c\n-----END PGP PUBLIC KEY BLOCK-----\n"},
		{"empty sequoia", "SIGNATURE", nil, nil,
			"-----BEGIN PGP SIGNATURE-----\n\n=twTO\n-----END PGP SIGNATURE-----\n"},
		{"empty rpm", "SIGNATURE", rpm, nil,
			"-----BEGIN PGP SIGNATURE-----\nVersion: rpm-4.18.0\n\n=twTO\n-----END PGP SIGNATURE-----\n"},
	} {
		got, err := Encode(c.label, c.headers, c.data)
		if err != nil || got != c.want {
			t.Errorf("%s: Encode = %q, %v\nwant %q", c.name, got, err, c.want)
		}
	}
	// Exactly 64 columns: 48 bytes per line, no empty line after a full one.
	data := bytes.Repeat([]byte{0xa5}, 96)
	got, err := Encode("SIGNATURE", nil, data)
	if err != nil {
		t.Fatal(err)
	}
	crc := CRC24(data)
	crcLine := "=" + b64(crc)
	want := "-----BEGIN PGP SIGNATURE-----\n\n" + line + "\n" + line + "\n" + crcLine + "\n-----END PGP SIGNATURE-----\n"
	if got != want {
		t.Errorf("96 bytes: %q\nwant %q", got, want)
	}
}

// b64 encodes a CRC-24 as its armor line does.
func b64(crc uint32) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	return string([]byte{alphabet[crc>>18&63], alphabet[crc>>12&63], alphabet[crc>>6&63], alphabet[crc&63]})
}

// TestEncodeRoundTrip decodes what Encode writes with go-crypto's reader.
func TestEncodeRoundTrip(t *testing.T) {
	for n := range 200 {
		data := bytes.Repeat([]byte{byte(n)}, n)
		text, err := Encode("PUBLIC KEY BLOCK", nil, data)
		if err != nil {
			t.Fatal(err)
		}
		blk, err := armor.Decode(strings.NewReader(text))
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		var back bytes.Buffer
		if _, err := back.ReadFrom(blk.Body); err != nil || blk.Type != "PGP PUBLIC KEY BLOCK" || !bytes.Equal(back.Bytes(), data) {
			t.Fatalf("%d bytes: type %q, %d bytes back, %v", n, blk.Type, back.Len(), err)
		}
	}
}
