package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// rpmpgpOut runs rpmpgp and returns stdout, stderr and the exit status.
func rpmpgpOut(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := rpmpgpCmd(t, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return out.String(), errb.String(), 0
	case errors.As(err, &ee):
		return out.String(), errb.String(), ee.ExitCode()
	}
	t.Fatalf("rpmpgp %v: %v", args, err)
	return "", "", 0
}

// TestChecksigRPMDBMatchesRPMKeys: with keys imported by Debian's rpmkeys
// into a throwaway sqlite rpmdb (and an ordinary package that quotes
// another key in its %description), `rpmpgp checksig --dbpath D` gives
// rpmkeys' verdicts without --keyring: the internal-legacy backend prints
// rpmkeys 4.18's very lines; the strict backend the same verdicts.
func TestChecksigRPMDBMatchesRPMKeys(t *testing.T) {
	keys := filepath.Join(testutil.Fixtures(), "keys")
	rpms := filepath.Join(testutil.Fixtures(), "rpms")
	db := testutil.MakeRPMDB(t, "", filepath.Join(t.TempDir(), "db"),
		[]string{filepath.Join(keys, "rsa2048.asc"), filepath.Join(keys, "dsa2048.asc")}, filepath.Join(keys, "ed25519.asc"))
	for _, tc := range []struct {
		pkg     string
		verdict string // the strict line's verdict
	}{
		{"rpmsign-rsa2048.rpm", "OK"},
		{"rpmsign-dsa2048.rpm", "OK"},
		{"rpmsign-ed25519.rpm", "NOKEY"}, // only quoted in quoter's %description
		{"rpmsign-rsa2048-tamper-sigpkt.rpm", "BAD"},
	} {
		pkg := filepath.Join(rpms, tc.pkg)
		rpmCmd := exec.Command("rpmkeys", "--dbpath", db, "-Kv", pkg)
		want, err := rpmCmd.Output()
		wantRC := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			wantRC = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		got, stderr, rc := rpmpgpOut(t, "--backend", "internal-legacy", "checksig", "-v", "--root", "/", "--dbpath", db, pkg)
		if got != string(want) || rc != wantRC {
			t.Errorf("%s: legacy rpmpgp (rc %d):\n%s%s\nrpmkeys (rc %d):\n%s", tc.pkg, rc, got, stderr, wantRC, want)
		}
		got, stderr, rc = rpmpgpOut(t, "checksig", "-v", "--root", "/", "--dbpath", db, pkg)
		sigLine := ""
		for _, l := range strings.Split(got, "\n") {
			if strings.Contains(l, "signature, key ") {
				sigLine = l
			}
		}
		if !strings.HasSuffix(sigLine, ": "+tc.verdict) || rc != wantRC {
			t.Errorf("%s: strict rpmpgp (rc %d, rpmkeys %d), want %s:\n%s%s", tc.pkg, rc, wantRC, tc.verdict, got, stderr)
		}
		if strings.Contains(stderr, "hint:") {
			t.Errorf("%s: hint with keys loaded: %s", tc.pkg, stderr)
		}
	}
}

// TestRootFindsRPMDB: --root R reads R/var/lib/rpm, and keys list shows
// what `rpm -q gpg-pubkey` shows.
func TestRootFindsRPMDB(t *testing.T) {
	keys := filepath.Join(testutil.Fixtures(), "keys")
	root := t.TempDir()
	testutil.MakeRPMDB(t, root, "/var/lib/rpm",
		[]string{filepath.Join(keys, "rsa2048.asc"), filepath.Join(keys, "ed25519.asc")}, filepath.Join(keys, "p256.asc"))
	out, stderr, rc := rpmpgpOut(t, "checksig", "--root", root, filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa2048.rpm"))
	if rc != 0 || !strings.HasSuffix(out, ": digests signatures OK\n") {
		t.Fatalf("checksig --root: rc %d\n%s%s", rc, out, stderr)
	}
	// rpm 4.18 names keys by short key ID; compare the user IDs and the
	// key IDs' last 8 digits with rpm's own query.
	q := testutil.Run(t, "rpm", "--root", root, "--dbpath", "/var/lib/rpm", "-q", "gpg-pubkey", "--qf", "%{version} %{packager}\n")
	want := strings.Split(strings.TrimSpace(q), "\n")
	sort.Strings(want)
	list, stderr, rc := rpmpgpOut(t, "keys", "list", "--root", root)
	if rc != 0 {
		t.Fatalf("keys list: rc %d %s", rc, stderr)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(list), "\n") {
		fp, rest, _ := strings.Cut(l, " ")
		got = append(got, fp[len(fp)-8:]+" "+strings.TrimSuffix(rest, " public key"))
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("keys list:\n%s\nrpm -q gpg-pubkey:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(got) != 2 {
		t.Errorf("want 2 keys (the quoted p256 key must not count), got %d", len(got))
	}
}

// TestKeysImportMergesUpdate: importing an updated certificate (a user ID
// added with gpg) replaces the stored one with the merge (rpm 6 updates
// keys on import); importing the old one again changes nothing.
func TestKeysImportMergesUpdate(t *testing.T) {
	if _, err := exec.LookPath("gpg"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("gpg not found")
		}
		t.Skip("gpg not found")
	}
	keys := filepath.Join(testutil.Fixtures(), "keys")
	home := t.TempDir()
	gpg := func(args ...string) []byte {
		cmd := exec.Command("gpg", append([]string{"--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", ""}, args...)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("gpg %v: %v", args, err)
		}
		return out
	}
	const fp = "87c557a75b43c4da554b920ab87ce62b9606154f"
	gpg("--import", filepath.Join(keys, "rsa2048.secret.asc"))
	gpg("--quick-add-uid", fp, "second uid <second@rpmpgp.invalid>")
	updated := filepath.Join(t.TempDir(), "updated.asc")
	if err := os.WriteFile(updated, gpg("--armor", "--export", fp), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	stored := filepath.Join(root, "var/lib/rpm/pubkeys/gpg-pubkey-"+fp+".key")
	for i, file := range []string{filepath.Join(keys, "rsa2048.asc"), updated, filepath.Join(keys, "rsa2048.asc")} {
		if _, stderr, rc := rpmpgpOut(t, "keys", "import", "--root", root, "--keystore", "fs", file); rc != 0 || stderr != "" {
			t.Fatalf("import %d: rc %d %s", i, rc, stderr)
		}
		if i == 0 {
			continue
		}
		out, err := exec.Command("gpg", "--homedir", t.TempDir(), "--show-keys", "--with-colons", stored).Output()
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(out), "\nuid:"); n != 2 {
			t.Errorf("after import %d the stored certificate has %d user IDs, want 2 (merged):\n%s", i, n, out)
		}
	}
}

// TestVerifyUsesSystemKeystore: verify (detached signatures) trusts the
// system keystore like checksig; --no-system-keys leaves it out and the
// NOKEY gets the one-line hint.
func TestVerifyUsesSystemKeystore(t *testing.T) {
	if _, err := exec.LookPath("gpg"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("gpg not found")
		}
		t.Skip("gpg not found")
	}
	keys := filepath.Join(testutil.Fixtures(), "keys")
	home, dir := t.TempDir(), t.TempDir()
	data := filepath.Join(dir, "repomd.xml")
	if err := os.WriteFile(data, []byte("<repomd/>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--import", filepath.Join(keys, "rsa2048.secret.asc")},
		{"--armor", "--detach-sign", "--digest-algo", "SHA256", data},
	} {
		cmd := exec.Command("gpg", append([]string{"--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", ""}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gpg %v: %v\n%s", args, err, out)
		}
	}
	root := t.TempDir()
	if _, stderr, rc := rpmpgpOut(t, "keys", "import", "--root", root, "--keystore", "openpgp", filepath.Join(keys, "rsa2048.asc")); rc != 0 {
		t.Fatalf("import: rc %d %s", rc, stderr)
	}
	out, stderr, rc := rpmpgpOut(t, "verify", "--root", root, "--keystore", "openpgp", data+".asc", data)
	if rc != 0 || !strings.HasSuffix(out, "key fingerprint: 87c557a75b43c4da554b920ab87ce62b9606154f: OK\n") || stderr != "" {
		t.Errorf("verify with the system keystore: rc %d\n%s%s", rc, out, stderr)
	}
	out, stderr, rc = rpmpgpOut(t, "verify", "--root", root, "--keystore", "openpgp", "--no-system-keys", data+".asc", data)
	if rc != 1 || !strings.Contains(out, "NOKEY") || strings.Count(stderr, "rpmpgp: hint: no OpenPGP keys were loaded") != 1 {
		t.Errorf("verify --no-system-keys: rc %d\n%s%s", rc, out, stderr)
	}
}
