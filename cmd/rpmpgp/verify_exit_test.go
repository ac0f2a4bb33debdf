package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestVerifyExitAndHints: verify's exit status tells a verdict that is not
// OK (1) from no verdict at all (2: a file that cannot be read), and a
// signature that does not parse because the arguments look swapped gets a
// hint line naming the order.
func TestVerifyExitAndHints(t *testing.T) {
	t.Parallel()
	keys := filepath.Join(testutil.Fixtures(), "keys")
	dir := t.TempDir()
	data := filepath.Join(dir, "repomd.xml")
	must(t, os.WriteFile(data, []byte("<repomd/>\n"), 0o644))
	f, err := os.Open(filepath.Join(keys, "rsa2048.secret.asc"))
	must(t, err)
	defer f.Close()
	signers, err := openpgp.ReadArmoredKeyRing(f)
	must(t, err)
	in, err := os.Open(data)
	must(t, err)
	defer in.Close()
	sig := data + ".asc"
	out, err := os.Create(sig)
	must(t, err)
	must(t, openpgp.ArmoredDetachSign(out, signers[0], in, nil))
	must(t, out.Close())

	cert := filepath.Join(keys, "rsa2048.asc")
	pkg := filepath.Join(testutil.Fixtures(), "demo", "good-rsa.rpm")
	hint := func(why string) string {
		return "rpmpgp: hint: " + why + ": the order is rpmpgp verify --keyring CERTS SIGNATURE DATA\n"
	}
	const parseFail = "invalid OpenPGP signature: parse-fail\n"
	for _, tc := range []struct {
		name      string
		sig, data string
		rc        int
		stdout    string
		// stderr is the whole of stderr, or its end when suffix is set.
		stderr string
		suffix bool
	}{
		{"good", sig, data, 0, "V4 RSA/SHA256 signature, key fingerprint: 87c557a75b43c4da554b920ab87ce62b9606154f: OK\n", "", false},
		{"missing data", sig, "/nonexistent/repomd.xml", exitNoVerdict, "", "error: open /nonexistent/repomd.xml: no such file or directory\n", false},
		{"missing signature", "/nonexistent/repomd.xml.asc", data, exitNoVerdict, "", "error: open /nonexistent/repomd.xml.asc: no such file or directory\n", false},
		{"swapped", data, sig, 1, parseFail, hint("DATA is an armored signature"), true},
		{"certificate as signature", cert, data, 1, parseFail, hint("SIGNATURE is a certificate (certificates go with --keyring)"), true},
		{"package as signature", pkg, data, 1, parseFail, hint("SIGNATURE is an RPM package (rpmpgp checksig verifies packages)"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, rc := rpmpgpOut(t, "verify", "--no-system-keys", "--keyring", cert, tc.sig, tc.data)
			okErr := stderr == tc.stderr || tc.suffix && strings.HasSuffix(stderr, tc.stderr)
			if rc != tc.rc || stdout != tc.stdout || !okErr {
				t.Errorf("rc %d, stdout %q, stderr %q; want %d, %q, %q", rc, stdout, stderr, tc.rc, tc.stdout, tc.stderr)
			}
		})
	}
}
