package main

import (
	"bytes"
	"crypto/rand"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestVerifyDataInputs: `verify SIG DATA` gives the same verdict and bytes
// whichever way DATA comes (a path, standard input redirected from the
// file, standard input from a pipe: the backend reads the descriptor
// itself), in every backend; the same data changed (one byte flipped,
// truncated) is BAD the same ways. Nothing goes to standard error.
func TestVerifyDataInputs(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("gpg"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("gpg not found")
		}
		t.Skip("gpg not found")
	}
	keys := filepath.Join(testutil.Fixtures(), "keys")
	home, dir := t.TempDir(), t.TempDir()
	data := make([]byte, 3<<20+5) // several reads of the backend
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("data", data)
	flipped := bytes.Clone(data)
	flipped[2<<20] ^= 1
	bad := write("flipped", flipped)
	short := write("truncated", data[:len(data)-1])
	cmd := exec.Command("gpg", "--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
		"--import", filepath.Join(keys, "rsa2048.secret.asc"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gpg --import: %v\n%s", err, out)
	}
	sig := good + ".sig"
	cmd = exec.Command("gpg", "--homedir", home, "--batch", "--digest-algo", "SHA256", "--detach-sign", "-o", sig, good)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gpg --detach-sign: %v\n%s", err, out)
	}
	const fpr = "87c557a75b43c4da554b920ab87ce62b9606154f"
	for _, backend := range []string{"gocrypto", "openssl", "internal-legacy"} {
		if backend == "openssl" && !hasOpenSSL {
			continue
		}
		descr := "V4 RSA/SHA256 signature, key fingerprint: " + fpr
		if backend == "internal-legacy" {
			descr = "V4 RSA/SHA256 signature, key ID b87ce62b9606154f"
		}
		for _, in := range []struct {
			name, path string
			ok         bool
		}{{"good", good, true}, {"flipped", bad, false}, {"truncated", short, false}} {
			want := descr + ": OK\n"
			wantRC := 0
			if !in.ok {
				want, wantRC = descr+": BAD\n", 1
			}
			run := func(how string, arg string, stdin func(*exec.Cmd)) {
				t.Helper()
				cmd := rpmpgpCmd(t, "verify", "--backend", backend, "--no-system-keys", "--keyring", filepath.Join(keys, "rsa2048.asc"), sig, arg)
				stdin(cmd)
				out, stderr, rc := exitCode(t, cmd)
				if out != want || rc != wantRC || stderr != "" {
					t.Errorf("%s, %s data, %s: rc %d, stdout %q, stderr %q; want rc %d, stdout %q, no stderr", backend, in.name, how, rc, out, stderr, wantRC, want)
				}
			}
			run("path", in.path, func(*exec.Cmd) {})
			f, err := os.Open(in.path)
			if err != nil {
				t.Fatal(err)
			}
			run("stdin from the file", "-", func(cmd *exec.Cmd) { cmd.Stdin = f })
			f.Close()
			content, err := os.ReadFile(in.path)
			if err != nil {
				t.Fatal(err)
			}
			// A reader that is not an *os.File: exec copies it into a pipe.
			run("stdin from a pipe", "-", func(cmd *exec.Cmd) { cmd.Stdin = io.MultiReader(bytes.NewReader(content)) })
		}
	}
}
