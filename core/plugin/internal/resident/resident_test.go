package resident

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestName: the name is the backend's and a hash of the binary's
// identity, the key and the variables that change a backend; other
// variables and their order do not count.
func TestName(t *testing.T) {
	id := []byte("dev=1 ino=2")
	base := Name("gocrypto", id, "fips=auto", []string{"PWD=/a", "SHLVL=1", "RPMPGP_RESIDENT=1", "OPENSSL_CONF=/x", "GODEBUG=a=1"})
	if !strings.HasPrefix(base, "gocrypto-") || len(base) != len("gocrypto-")+16 {
		t.Fatalf("name %q, want gocrypto- and 16 hex digits", base)
	}
	same := [][]string{
		{"GODEBUG=a=1", "OPENSSL_CONF=/x"},
		{"OPENSSL_CONF=/x", "PWD=/b", "GODEBUG=a=1", "TERM=xterm", "RPMPGP_RESIDENT=true"},
	}
	for _, env := range same {
		if got := Name("gocrypto", id, "fips=auto", env); got != base {
			t.Errorf("env %q: name %q, want %q", env, got, base)
		}
	}
	other := map[string]string{
		"backend":      Name("openssl", id, "fips=auto", same[0]),
		"identity":     Name("gocrypto", []byte("dev=1 ino=3"), "fips=auto", same[0]),
		"key":          Name("gocrypto", id, "fips=require", same[0]),
		"GODEBUG":      Name("gocrypto", id, "fips=auto", []string{"GODEBUG=a=2", "OPENSSL_CONF=/x"}),
		"LD_PRELOAD":   Name("gocrypto", id, "fips=auto", append([]string{"LD_PRELOAD=/l.so"}, same[0]...)),
		"RPMPGP_ROOT":  Name("gocrypto", id, "fips=auto", append([]string{"RPMPGP_ROOT=/r"}, same[0]...)),
		"TMPDIR":       Name("gocrypto", id, "fips=auto", append([]string{"TMPDIR=/t"}, same[0]...)),
		"OPENSSL_CONF": Name("gocrypto", id, "fips=auto", []string{"GODEBUG=a=1"}),
	}
	for what, got := range other {
		if strings.HasSuffix(got, base[len("gocrypto"):]) {
			t.Errorf("another %s gives the same hash: %q", what, got)
		}
	}
}

// TestReadRecord: a record is read back; a missing one wraps ErrNoRecord;
// one open to others, a symbolic link, an oversized or malformed one is
// refused.
func TestReadRecord(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.rec")
	want := Record{PID: 4242, Network: "unix", Addr: "/run/user/1/rpmpgp/plugin1"}
	if err := WriteRecord(path, want); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadRecord(path); err != nil || got != want {
		t.Fatalf("ReadRecord = %+v, %v; want %+v", got, err, want)
	}
	if _, err := ReadRecord(filepath.Join(dir, "none.rec")); !errors.Is(err, ErrNoRecord) {
		t.Errorf("missing record: %v, want ErrNoRecord", err)
	}
	link := filepath.Join(dir, "link.rec")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := "rpmpgp-resident 1\npid 4242\nnetwork unix\naddr /a\n"
	for name, tc := range map[string]struct {
		path, want string
	}{
		"symlink":   {link, "too many levels of symbolic links"},
		"0644":      {write("open.rec", good, 0o644), "has mode 0644, want 0600"},
		"large":     {write("large.rec", good+strings.Repeat("#", 5000), 0o600), "larger than 4096 bytes"},
		"magic":     {write("magic.rec", "rpmpgp-resident 2\npid 4242\nnetwork unix\naddr /a\n", 0o600), "not a record of this version"},
		"pid":       {write("pid.rec", "rpmpgp-resident 1\npid 1\nnetwork unix\naddr /a\n", 0o600), `bad pid "1"`},
		"network":   {write("net.rec", "rpmpgp-resident 1\npid 4242\nnetwork tcp\naddr /a\n", 0o600), "incomplete or not a Unix socket"},
		"field":     {write("field.rec", "rpmpgp-resident 1\npid 4242\nnetwork unix\nport 1\n", 0o600), `unknown field "port"`},
		"directory": {dir, "not a regular file"},
	} {
		if _, err := ReadRecord(tc.path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, tc.want)
		}
	}
}

// TestDir: the runtime directory must be set, absolute, this user's and
// 0700; the rpmpgp directory in it is created 0700 and refused when it is
// a symbolic link or open to others.
func TestDir(t *testing.T) {
	run := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvRuntimeDir, run)
	dir, err := Dir()
	if err != nil || dir != filepath.Join(run, "rpmpgp") {
		t.Fatalf("Dir = %q, %v", dir, err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("created %v, %v; want mode 0700", fi, err)
	}
	check := func(what, want string) {
		t.Helper()
		if _, err := Dir(); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", what, err, want)
		}
	}
	if err := os.Chmod(dir, 0o711); err != nil {
		t.Fatal(err)
	}
	check("rpmpgp 0711", dir+" has mode 0711, want 0700")
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(t.TempDir(), dir); err != nil {
		t.Fatal(err)
	}
	check("rpmpgp symlink", dir+" is not a directory")
	if err := os.Chmod(run, 0o750); err != nil {
		t.Fatal(err)
	}
	check("runtime 0750", "$XDG_RUNTIME_DIR: "+run+" has mode 0750, want 0700")
	t.Setenv(EnvRuntimeDir, "run")
	check("relative", `$XDG_RUNTIME_DIR = "run" is not an absolute path`)
	t.Setenv(EnvRuntimeDir, "")
	check("unset", "$XDG_RUNTIME_DIR is not set")
}

// TestTryLock: a second lock of the same file is ErrBusy until the first
// is released.
func TestTryLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	a, err := TryLock(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TryLock(path); !errors.Is(err, ErrBusy) {
		t.Fatalf("second lock: %v, want ErrBusy", err)
	}
	a.Close()
	b, err := TryLock(path)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	b.Close()
}
