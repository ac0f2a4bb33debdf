package sopv

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInlineVerify checks inline-verify on signed messages and cleartext
// signed messages made here: the content on stdout, the VERIFICATIONS in
// --verifications-out, and nothing on stdout without a good signature.
func TestInlineVerify(t *testing.T) {
	ed := loadKey(t, "ed25519")
	sub := loadKey(t, "subkey")
	dir := t.TempDir()
	edLine := "2025-01-02T03:04:05Z " + ed.fpr() + " " + ed.fpr() + " mode:binary {\"signers\":[\"" + ed.certPath + "\"]}\n"
	textLine := strings.Replace(edLine, "mode:binary", "mode:text", 1)
	inline := ed.inline(t, msg, false)
	compressed := ed.inline(t, msg, true)
	csf := ed.cleartext(t, "- dashes\ntrailing  \nend")
	noSig := "sopv: NO_SIGNATURE: no acceptable signature found\n"
	for _, tc := range []struct {
		name     string
		in       []byte
		args     []string
		code     int
		stdout   string
		verifs   string
		stderrRE string
	}{
		{"binary message", inline, []string{ed.certPath}, 0, msg, edLine, ""},
		{"armored message", armored(t, "PGP MESSAGE", inline), []string{ed.certPath}, 0, msg, edLine, ""},
		{"compressed message", compressed, []string{ed.certPath}, 0, msg, edLine, ""},
		{"cleartext", csf, []string{ed.certPath}, 0, "- dashes\ntrailing\nend", textLine, ""},
		{"unknown signer", inline, []string{sub.certPath}, 3, "", "", noSig},
		{"window", inline, []string{"--not-after=2024-12-31T00:00:00Z", ed.certPath}, 3, "", "", noSig},
		{"tampered cleartext", bytes.Replace(csf, []byte("end"), []byte("End"), 1), []string{ed.certPath}, 3, "", "", noSig},
		{"not a message", []byte("hello\n"), []string{ed.certPath}, 41, "", "", "sopv: BAD_DATA: neither binary OpenPGP data nor ASCII armor\n"},
		{"literal without signature", literalOf(t, inline), []string{ed.certPath}, 41, "", "",
			"sopv: BAD_DATA: not a signed message: no signature\n"},
		{"no CERTS", inline, nil, 19, "", "", "sopv: MISSING_ARG: missing argument: CERTS\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".verifs")
			args := append([]string{"inline-verify", "--verifications-out", out}, tc.args...)
			code, stdout, stderr := runSopv(t, tc.in, args...)
			verifs, err := os.ReadFile(out)
			if err != nil && tc.verifs != "" {
				t.Fatal(err)
			}
			if code != tc.code || stdout != tc.stdout || string(verifs) != tc.verifs || stderr != tc.stderrRE {
				t.Errorf("got %d stdout %q verifications %q stderr %q\nwant %d stdout %q verifications %q stderr %q",
					code, stdout, verifs, stderr, tc.code, tc.stdout, tc.verifs, tc.stderrRE)
			}
		})
	}
	// An existing --verifications-out is OUTPUT_EXISTS, whatever the verdict.
	exists := writeFile(t, dir, "exists", nil)
	if code, _, stderr := runSopv(t, inline, "inline-verify", "--verifications-out="+exists, ed.certPath); code != 59 ||
		stderr != "sopv: OUTPUT_EXISTS: open "+exists+": file exists\n" {
		t.Errorf("existing output: %d %q", code, stderr)
	}
	// @ENV: names no output.
	if code, _, _ := runSopv(t, inline, "inline-verify", "--verifications-out=@ENV:X", ed.certPath); code != 71 {
		t.Errorf("@ENV: output: %d", code)
	}
	// Without --verifications-out the content alone is written.
	if code, stdout, _ := runSopv(t, inline, "inline-verify", ed.certPath); code != 0 || stdout != msg {
		t.Errorf("plain inline-verify: %d %q", code, stdout)
	}
}

// TestInlineGrammar checks the message grammar on hand-built packet
// sequences: the one-pass count must match the trailing signatures, and
// nothing but signatures, one-pass signatures, markers and one literal
// packet may appear.
func TestInlineGrammar(t *testing.T) {
	pkt := func(tag int, body string) []byte {
		return append([]byte{0xc0 | byte(tag), byte(len(body))}, body...)
	}
	lit := pkt(tagLiteral, "b\x00\x00\x00\x00\x00data")
	sig := pkt(tagSignature, "\x04\x00sig")
	ops := pkt(tagOnePassSig, "\x03\x00ops")
	marker := pkt(tagMarker, "PGP")
	join := func(ps ...[]byte) []byte { return bytes.Join(ps, nil) }
	for _, tc := range []struct {
		name string
		in   []byte
		sigs int
		err  string
	}{
		{"one-pass", join(ops, lit, sig), 1, ""},
		{"prefixed", join(sig, lit), 1, ""},
		{"marker first", join(marker, ops, ops, lit, sig, sig), 2, ""},
		{"uncompressed compressed packet", pkt(tagCompressed, "\x00"+string(join(ops, lit, sig))), 1, ""},
		{"two literals", join(ops, lit, lit, sig), 0, "not a signed message: unexpected packet with tag 11"},
		{"missing trailing signature", join(ops, ops, lit, sig), 0, "malformed signed message: 2 one-pass signatures, 1 signatures after the literal data"},
		{"literal alone", lit, 0, "not a signed message: no signature"},
		{"no literal", join(ops, sig), 0, "not a signed message: no literal data packet where one is expected"},
		{"encrypted", join(pkt(1, "x"), pkt(18, "x")), 0, "not a signed message: no literal data packet where one is expected"},
		{"unknown compression", pkt(tagCompressed, "\x09x"), 0, "unknown compression algorithm 9"},
		{"truncated", lit[:len(lit)-1], 0, "packet 1 at offset 0: truncated packet"},
	} {
		m, err := parseInline(tc.in, 0)
		switch {
		case tc.err != "" && (err == nil || err.Error() != tc.err):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.err == "" && (len(m.sigs) != tc.sigs || string(m.content) != "data"):
			t.Errorf("%s: %d signatures, content %q", tc.name, len(m.sigs), m.content)
		}
	}
	// Compressed packets nest at most maxNesting deep.
	in := join(ops, lit, sig)
	for i := 0; i <= maxNesting; i++ {
		in = append([]byte{0xc0 | tagCompressed, 0xff, 0, 0, 0, byte(len(in) + 1), 0}, in...)
	}
	if _, err := parseInline(in, 0); err == nil || err.Error() != "compressed data nested more than 4 deep" {
		t.Errorf("deep nesting: %v", err)
	}
}

// literalOf returns the literal data packet of a signed message.
func literalOf(t *testing.T, msg []byte) []byte {
	pkts, err := splitPackets(msg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts {
		if p.tag == tagLiteral {
			return p.raw
		}
	}
	t.Fatal("no literal data packet")
	return nil
}
