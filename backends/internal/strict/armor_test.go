package strict

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestParseArmor pins the Sequoia-tolerant armor reader (armor.go): which
// block it takes, what it tolerates and what it refuses.
func TestParseArmor(t *testing.T) {
	b := New(Config{Name: "test", Primitives: testPrims{}})
	body := []byte("\x99\x00\x01x")
	const (
		b64 = "mQABeA=="
		crc = "=4ZeZ" // CRC-24 0xe19799
	)
	block := func(label, headers, bodyLines string) string {
		return "-----BEGIN PGP " + label + "-----\n" + headers + "\n" + bodyLines + "-----END PGP " + label + "-----\n"
	}
	tests := []struct {
		name string
		text string
		kind core.ArmorKind
		data []byte
	}{
		{"public key", block("PUBLIC KEY BLOCK", "", b64+"\n"+crc+"\n"), core.ArmorPubKey, body},
		{"signature", block("SIGNATURE", "", b64+"\n"+crc+"\n"), core.ArmorSignature, body},
		{"message", block("MESSAGE", "", b64+"\n"), core.ArmorMessage, body},
		{"secret key", block("PRIVATE KEY BLOCK", "", b64+"\n"), core.ArmorSecKey, body},
		{"file", block("ARMORED FILE", "", b64+"\n"), core.ArmorFile, body},
		{"headers", block("SIGNATURE", "Version: x\nComment: y\n", b64+"\n"+crc+"\n"), core.ArmorSignature, body},
		{"no CRC line", block("SIGNATURE", "", b64+"\n"), core.ArmorSignature, body},
		{"CRLF and indentation", strings.ReplaceAll(block("SIGNATURE", "", "  "+b64+"\n"+crc+"\n"), "\n", "\r\n"), core.ArmorSignature, body},
		{"no blank line after BEGIN", "-----BEGIN PGP SIGNATURE-----\n" + b64 + "\n" + crc + "\n-----END PGP SIGNATURE-----\n", core.ArmorSignature, body},
		{"leading text", "hello\n" + block("SIGNATURE", "", b64+"\n"), core.ArmorSignature, body},
		{"unknown label skipped", block("SIGNED MESSAGE", "Hash: SHA256\n", "text\n") + block("SIGNATURE", "", b64+"\n"), core.ArmorSignature, body},
		{"first block wins", block("SIGNATURE", "", b64+"\n") + block("PUBLIC KEY BLOCK", "", "AA==\n"), core.ArmorSignature, body},
		{"CRC mismatch", block("SIGNATURE", "", b64+"\n=AAAA\n"), core.ArmorErrBodyDecode, nil},
		{"CRC not base64", block("SIGNATURE", "", b64+"\n=A!AA\n"), core.ArmorErrBodyDecode, nil},
		{"body not base64", block("SIGNATURE", "", "mQ!BeA==\n"), core.ArmorErrBodyDecode, nil},
		{"no END line", "-----BEGIN PGP SIGNATURE-----\n\n" + b64 + "\n", core.ArmorErrBodyDecode, nil},
		{"END of another label", "-----BEGIN PGP SIGNATURE-----\n\n" + b64 + "\n-----END PGP MESSAGE-----\n", core.ArmorErrBodyDecode, nil},
		{"no armor", "just text\n", core.ArmorNone, nil},
		{"only unknown labels", block("SIGNED MESSAGE", "", "text\n"), core.ArmorNone, nil},
		{"binary", string(body), core.ArmorNone, nil},
		{"larger than the limit", strings.Repeat(" ", maxArmorBytes+1), core.ArmorErrBodyDecode, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kind, data, err := b.ParseArmor([]byte(tc.text))
			if err != nil || kind != tc.kind || !bytes.Equal(data, tc.data) {
				t.Errorf("got %d %x, %v; want %d %x", kind, data, err, tc.kind, tc.data)
			}
		})
	}
}

// TestWrapArmor pins pgpArmorWrap as Sequoia writes it, and that every
// armored kind reads back.
func TestWrapArmor(t *testing.T) {
	b := New(Config{Name: "test", Primitives: testPrims{}})
	got, err := b.WrapArmor(core.ArmorPubKey, []byte("\x99\x00\x01x"))
	if want := "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQABeA==\n=4ZeZ\n-----END PGP PUBLIC KEY BLOCK-----\n"; err != nil || got != want {
		t.Errorf("WrapArmor = %q, %v\nwant %q", got, err, want)
	}
	long := bytes.Repeat([]byte{0xa5}, 200)
	for _, k := range []core.ArmorKind{core.ArmorMessage, core.ArmorPubKey, core.ArmorSignature, core.ArmorSecKey, core.ArmorFile} {
		text, err := b.WrapArmor(k, long)
		if err != nil {
			t.Fatalf("kind %d: %v", k, err)
		}
		kind, data, err := b.ParseArmor([]byte(text))
		if err != nil || kind != k || !bytes.Equal(data, long) {
			t.Errorf("kind %d: read back %d, %d bytes, %v", k, kind, len(data), err)
		}
	}
	for _, k := range []core.ArmorKind{core.ArmorSignedMessage, core.ArmorPrivKey, core.ArmorNone, core.ArmorErrBodyDecode} {
		if _, err := b.WrapArmor(k, long); err == nil || err.Error() != fmt.Sprintf("strict: cannot armor kind %d", k) {
			t.Errorf("WrapArmor(kind %d): %v", k, err)
		}
	}
}
