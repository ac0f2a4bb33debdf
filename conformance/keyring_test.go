package conformance

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

func demoKeys(t *testing.T) (rsa, ed []byte) {
	t.Helper()
	dir := filepath.Join(testutil.Fixtures(), "demo", "keys")
	rsa, err := os.ReadFile(filepath.Join(dir, "rsa2048.asc"))
	if err != nil {
		t.Fatal(err)
	}
	ed, err = os.ReadFile(filepath.Join(dir, "ed25519.asc"))
	if err != nil {
		t.Fatal(err)
	}
	return rsa, ed
}

func mustDearmor(t *testing.T, b []byte) []byte {
	t.Helper()
	bin, err := dearmor(b)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func TestSplitCertificates(t *testing.T) {
	rsa, ed := demoKeys(t)
	rsaBin, edBin := mustDearmor(t, rsa), mustDearmor(t, ed)
	for name, in := range map[string][]byte{
		"armored blocks": mustDearmor(t, append(append([]byte{}, rsa...), ed...)),
		"binary":         append(append([]byte{}, rsaBin...), edBin...),
	} {
		certs, err := splitCertificates(in)
		if err != nil || len(certs) != 2 || !bytes.Equal(certs[0], rsaBin) || !bytes.Equal(certs[1], edBin) {
			t.Errorf("%s: %d certificates, err %v", name, len(certs), err)
		}
	}
	for name, tc := range map[string]struct {
		in   []byte
		want string
	}{
		"text":             {[]byte("hello world"), "invalid packet header byte 0x68"},
		"empty":            {nil, "no certificate"},
		"truncated":        {rsaBin[:len(rsaBin)-1], "is truncated"},
		"signature first":  {[]byte{0xc2, 0x01, 0x04}, "tag 2 before any key packet"},
		"partial length":   {[]byte{0xc6, 0xe1, 0x00}, "partial body length"},
		"indeterminate":    {[]byte{0x9b, 0x00}, "indeterminate packet length"},
		"truncated header": {[]byte{0xc6}, "truncated packet header"},
	} {
		if _, err := splitCertificates(tc.in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q", name, err, tc.want)
		}
	}
}

func TestPrepareKeyring(t *testing.T) {
	rsa, ed := demoKeys(t)
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	os.Mkdir(keys, 0o755)
	os.WriteFile(filepath.Join(keys, "a-both.asc"), append(append([]byte{}, rsa...), ed...), 0o644)
	os.WriteFile(filepath.Join(keys, "b-ed.pgp"), mustDearmor(t, ed), 0o644)
	os.WriteFile(filepath.Join(keys, "c-README"), []byte("not a key\n"), 0o644)
	scratch := t.TempDir()
	kr, err := prepareKeyring([]string{keys}, scratch)
	if err != nil {
		t.Fatal(err)
	}
	if len(kr.files) != 3 || len(kr.certs) != 3 || len(kr.notes) != 1 ||
		kr.files[0] != filepath.Join(keys, "a-both.asc") || !strings.Contains(kr.notes[0], "c-README: no certificate for the external verifiers") {
		t.Errorf("files %q certs %q notes %q", kr.files, kr.certs, kr.notes)
	}
	for i, want := range [][]byte{mustDearmor(t, rsa), mustDearmor(t, ed), mustDearmor(t, ed)} {
		got, err := os.ReadFile(kr.certs[i])
		if err != nil || !bytes.HasPrefix(got, []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----")) || !bytes.Equal(mustDearmor(t, got), want) {
			t.Errorf("cert %d: %v %q", i, err, got)
		}
	}
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	for name, tc := range map[string]struct {
		paths []string
		want  string
	}{
		"none":      {nil, "no keyring: give --keyring"},
		"empty dir": {[]string{empty}, "keyring " + empty + ": no OpenPGP certificate found"},
		"missing":   {[]string{filepath.Join(dir, "nope")}, "keyring: stat " + filepath.Join(dir, "nope") + ": no such file or directory"},
		"not keys":  {[]string{filepath.Join(keys, "c-README")}, "no OpenPGP certificate found"},
	} {
		if _, err := prepareKeyring(tc.paths, scratch); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q", name, err, tc.want)
		}
	}
}

// TestPackageDirKeyrings runs the demo packages against a multi-certificate
// keyring file and a keyring directory through our backends (in-process)
// and every external tool: all of them must find the signer. Before the
// keyring was split per certificate, gosop said BAD on good-rsa.rpm (it
// reads only the first certificate of a CERTS file) and a directory made
// every verifier say NOKEY.
func TestPackageDirKeyrings(t *testing.T) {
	for _, tool := range ExternalNames {
		testutil.NeedTool(t, tool, "the package-directory keyring test runs every external verifier")
	}
	rsa, ed := demoKeys(t)
	dir := t.TempDir()
	multi := filepath.Join(dir, "multi.asc")
	os.WriteFile(multi, append(append([]byte{}, ed...), rsa...), 0o644)
	keys := filepath.Join(dir, "keys")
	os.Mkdir(keys, 0o755)
	os.WriteFile(filepath.Join(keys, "rsa.pgp"), mustDearmor(t, rsa), 0o644)
	os.WriteFile(filepath.Join(keys, "ed.asc"), ed, 0o644)
	for name, ring := range map[string]string{"file": multi, "dir": keys} {
		t.Run(name, func(t *testing.T) {
			rep, err := Run(context.Background(), Config{
				PackageDir: filepath.Join(testutil.Fixtures(), "demo"), Keyring: []string{ring},
				Backends: []string{}, Verifiers: inProcessVerifiers(t), Jobs: 2,
			})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Failed || len(rep.Cases) != 4 || rep.Summary.Errors != 0 {
				t.Errorf("summary %+v", rep.Summary)
			}
			want := map[string]string{
				"good-ed25519.rpm": "gocrypto=pass internal-legacy=pass rpmkeys=pass sqv=OK sqop=OK gosop=OK gpgv=OK",
				"good-rsa.rpm":     "gocrypto=pass internal-legacy=pass rpmkeys=pass sqv=OK sqop=OK gosop=OK gpgv=OK",
				// Only the payload digest is wrong: the header signature
				// the OpenPGP tools check is good.
				"tampered.rpm": "gocrypto=fail internal-legacy=fail rpmkeys=fail sqv=OK sqop=OK gosop=OK gpgv=OK",
				"unsigned.rpm": "gocrypto=fail internal-legacy=pass rpmkeys=pass sqv=n-a sqop=n-a gosop=n-a gpgv=n-a",
			}
			for _, cr := range rep.Cases {
				var got []string
				for _, c := range cr.Cells {
					got = append(got, c.Verifier+"="+c.Outcome.Verdict)
				}
				if g := strings.Join(got, " "); g != want[cr.Case.ID] {
					t.Errorf("%s:\n got %s\nwant %s", cr.Case.ID, g, want[cr.Case.ID])
				}
				if cr.Case.Source != corpus.SourceDir || !cr.Case.CheckSigKeys || len(cr.Case.Certs) != 2 {
					t.Errorf("%s: case %+v", cr.Case.ID, cr.Case)
				}
			}
		})
	}
}
