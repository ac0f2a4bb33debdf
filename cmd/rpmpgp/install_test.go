package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestMakeInstall installs the test binaries (and the preload library when
// cgo builds it) with make install-files into a temporary DESTDIR and
// checks the files, that the installed rpmpgp finds its backends in
// PREFIX/libexec/rpmpgp with no configuration, that the installed preload
// library does too (rpmkeys imports an ECDSA key under it, which rpm 4.18
// alone refuses), that its man pages render with man -l and that
// completion offers the backends.
func TestMakeInstall(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no make under CI")
		}
		t.Skip("no make")
	}
	// The binaries, plus the preload library (make preload), in their own
	// BIN: the CLI tests' binDir stays as it is.
	bin := t.TempDir()
	ents, err := os.ReadDir(binDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(binDir, e.Name()))
		if err == nil {
			err = os.WriteFile(filepath.Join(bin, e.Name()), data, 0o755)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	preload := hasOpenSSL // cgo works
	if preload {
		b := exec.Command("go", "build", "-buildmode=c-shared", "-o", filepath.Join(bin, "librpmpgp-preload.so"), "./capi")
		b.Dir = testutil.RepoRoot()
		b.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := b.CombinedOutput(); err != nil {
			t.Fatalf("preload library: %v\n%s", err, out)
		}
		os.Remove(filepath.Join(bin, "librpmpgp-preload.h"))
	}
	dest := t.TempDir()
	cmd := exec.Command("make", "install-files", "BIN="+bin, "DESTDIR="+dest, "PREFIX=/usr")
	cmd.Dir = testutil.RepoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make install-files: %v\n%s", err, out)
	}
	prefix := filepath.Join(dest, "usr")
	backends := []string{"gocrypto", "internal-legacy"}
	if hasOpenSSL {
		backends = append(backends, "openssl")
	}
	want := []string{
		"bin/rpmpgp",
		"share/bash-completion/completions/rpmpgp",
		"share/zsh/site-functions/_rpmpgp",
		"share/fish/vendor_completions.d/rpmpgp.fish",
		"share/man/man1/rpmpgp.1",
		"share/man/man1/rpmpgp-checksig.1",
		"share/man/man1/rpmpgp-config.1",
		"share/man/man1/rpmpgp-keys-import.1",
	}
	for _, b := range backends {
		want = append(want, "libexec/rpmpgp/rpmpgp-backend-"+b)
	}
	if preload {
		want = append(want, "libexec/rpmpgp/librpmpgp-preload.so")
	}
	for _, f := range want {
		fi, err := os.Stat(filepath.Join(prefix, f))
		if err != nil {
			t.Errorf("not installed: %v", err)
			continue
		}
		exe := fi.Mode().Perm()&0o111 != 0
		wantExe := strings.HasPrefix(f, "bin/") || strings.HasPrefix(f, "libexec/") && !strings.HasSuffix(f, ".so")
		if exe != wantExe || fi.Size() == 0 {
			t.Errorf("%s: mode %v, %d bytes", f, fi.Mode(), fi.Size())
		}
	}

	// The installed rpmpgp, with no plugin directory configured.
	run := func(args ...string) string {
		t.Helper()
		c := exec.Command(filepath.Join(prefix, "bin", "rpmpgp"), args...)
		c.Env = append(os.Environ(), "RPMPGP_PLUGIN_DIR=", "RPMPGP_BACKEND=", "XDG_CONFIG_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir())
		out, err := c.Output()
		if err != nil {
			t.Fatalf("rpmpgp %v: %v", args, err)
		}
		return string(out)
	}
	var rep backendsReport
	if err := json.Unmarshal([]byte(run("backends", "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range rep.Backends {
		names = append(names, in.Name)
		if dir := filepath.Dir(in.Path); dir != filepath.Join(prefix, "libexec", "rpmpgp") {
			t.Errorf("backend %s found at %s, not in libexec/rpmpgp", in.Name, in.Path)
		}
	}
	if !slices.Equal(names, backends) {
		t.Errorf("installed rpmpgp finds %v, want %v", names, backends)
	}
	if got, want := run("__complete", "checksig", "--backend", ""), strings.Join(backends, "\n")+"\n:4\n"; got != want {
		t.Errorf("completion of --backend = %q, want %q", got, want)
	}
	if got, want := run("__complete", "checksig", "--level", ""), "none\ndigest\nsignature\nall\n:4\n"; got != want {
		t.Errorf("completion of --level = %q, want %q", got, want)
	}

	// rpmpgp-sopv is rpmpgp under the name SOP test suites call (argv[0]
	// dispatch, internal/sopv.Names).
	if target, err := os.Readlink(filepath.Join(prefix, "bin", "rpmpgp-sopv")); err != nil || target != "rpmpgp" {
		t.Errorf("bin/rpmpgp-sopv: link to %q, %v; want a link to rpmpgp", target, err)
	} else if out, err := exec.Command(filepath.Join(prefix, "bin", "rpmpgp-sopv"), "version", "--sopv").Output(); err != nil || string(out) != "1.0\n" {
		t.Errorf("rpmpgp-sopv version --sopv: %q, %v; want \"1.0\\n\"", out, err)
	}

	if preload {
		checkInstalledPreload(t, filepath.Join(prefix, "libexec", "rpmpgp", "librpmpgp-preload.so"))
	}

	if _, err := exec.LookPath("man"); err != nil {
		t.Log("no man: pages not rendered")
		return
	}
	c := exec.Command("man", "-l", filepath.Join(prefix, "share/man/man1/rpmpgp-checksig.1"))
	c.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=80")
	out, err := c.Output()
	if err != nil {
		t.Fatalf("man -l: %v", err)
	}
	for _, s := range []string{"NAME", "SYNOPSIS", "rpmpgp checksig [flags] PACKAGE...", "--files-from"} {
		if !strings.Contains(string(out), s) {
			t.Errorf("man -l rpmpgp-checksig.1: no %q in\n%s", s, out)
		}
	}
}

// checkInstalledPreload runs rpm 4.18's rpmkeys under the installed
// library, with no plugin directory configured: it finds the gocrypto
// backend beside itself, so the P-256 key rpm 4.18 alone refuses is
// imported and the package signed with it verifies.
func checkInstalledPreload(t *testing.T, lib string) {
	t.Helper()
	if _, err := exec.LookPath("rpmkeys"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no rpmkeys under CI")
		}
		t.Log("no rpmkeys: the installed preload library is not run")
		return
	}
	db := t.TempDir()
	fx := testutil.Fixtures()
	env := append(os.Environ(), "LD_PRELOAD="+lib, "RPMPGP_BACKEND=gocrypto", "RPMPGP_PLUGIN_DIR=",
		"XDG_CONFIG_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir())
	for _, args := range [][]string{
		{"--dbpath", db, "--import", filepath.Join(fx, "keys", "p256.asc")},
		{"--dbpath", db, "-K", filepath.Join(fx, "rpms", "go-p256.rpm")},
	} {
		c := exec.Command("rpmkeys", args...)
		c.Env = env
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("LD_PRELOAD=%s rpmkeys %v: %v\n%s", lib, args, err, out)
		}
		if args[2] == "-K" {
			if want := filepath.Join(fx, "rpms", "go-p256.rpm") + ": digests signatures OK\n"; string(out) != want {
				t.Errorf("rpmkeys -K under the installed library: %q, want %q", out, want)
			}
		}
	}
}
