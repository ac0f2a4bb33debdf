package conformance

import (
	"bytes"
	"testing"
)

// TestDearmor pins how gpgv keyrings are built from certificate files.
func TestDearmor(t *testing.T) {
	const (
		a = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: a\n\nmQABeA==\n=4ZeZ\n-----END PGP PUBLIC KEY BLOCK-----\n"
		b = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\naGk=\n-----END PGP PUBLIC KEY BLOCK-----\n"
	)
	tests := []struct {
		name string
		in   string
		want string
		err  string
	}{
		{"binary passes through", "\x99\x00\x01x", "\x99\x00\x01x", ""},
		{"one block", a, "\x99\x00\x01x", ""},
		{"two blocks concatenated", "text\n" + a + "\n" + b, "\x99\x00\x01xhi", ""},
		{"CRC not checked", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQABeA==\n=AAAA\n-----END PGP PUBLIC KEY BLOCK-----\n", "\x99\x00\x01x", ""},
		{"block without END skipped", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\naGk=\n" + a, "\x99\x00\x01x", ""},
		{"no complete block", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\naGk=\n", "", "no complete armor block"},
		{"bad base64", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\naG!k\n-----END PGP PUBLIC KEY BLOCK-----\n", "", "armor block 1: illegal base64 data at input byte 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dearmor([]byte(tc.in))
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Errorf("dearmor = %q, %v; want error %q", got, err, tc.err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, []byte(tc.want)) {
				t.Errorf("dearmor = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
