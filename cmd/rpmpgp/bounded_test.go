package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// sparseFile makes a file of size bytes that occupies no disk.
func sparseFile(t *testing.T, path string, size int64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestInputsBoundedByReading: each input rpmpgp reads by name — key files
// and keyring directories, detached signatures, crypto policies (flag and
// environment), config files — is read through a limit, so /dev/zero and
// sparse files far over it end in one error naming the file and the limit.
func TestInputsBoundedByReading(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	dir := t.TempDir()
	sparseSig := sparseFile(t, filepath.Join(dir, "big.sig"), 1<<30)
	keyDir := filepath.Join(dir, "keys")
	must(t, os.Mkdir(keyDir, 0o755))
	sparseFile(t, filepath.Join(keyDir, "a.asc"), 9<<20)
	sparseFile(t, filepath.Join(keyDir, "b.asc"), 9<<20)
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		rc   int
		want string
	}{
		{"key file /dev/zero", nil, []string{"checksig", "--keyring", "/dev/zero", unsigned}, exitConfig,
			"error: keyring: /dev/zero: larger than the 16 MiB limit for a key file\n"},
		{"keyring directory in total", nil, []string{"checksig", "--keyring", keyDir, unsigned}, exitConfig,
			"error: keyring: more than 16 MiB of key files (at " + filepath.Join(keyDir, "b.asc") + ")\n"},
		{"signature /dev/zero", nil, []string{"verify", "/dev/zero", unsigned}, exitNoVerdict,
			"error: /dev/zero: file too large: more than the limit of 1 MiB\n"},
		{"signature sparse 1 GiB", nil, []string{"verify", sparseSig, unsigned}, exitNoVerdict,
			"error: " + sparseSig + ": file too large: more than the limit of 1 MiB\n"},
		{"policy flag /dev/zero", nil, []string{"checksig", "--policy", "/dev/zero", unsigned}, exitConfig,
			"error: crypto policy: reading crypto policy: /dev/zero: file too large: more than the limit of 1 MiB\n"},
		{"policy environment /dev/zero", []string{"RPM_SEQUOIA_CRYPTO_POLICY=/dev/zero"}, []string{"checksig", unsigned}, exitConfig,
			"error: crypto policy: $RPM_SEQUOIA_CRYPTO_POLICY=/dev/zero: reading crypto policy: /dev/zero: file too large: more than the limit of 1 MiB\n"},
		{"config /dev/zero", nil, []string{"--config", "/dev/zero", "checksig", unsigned}, exitConfig,
			"error: reading config: /dev/zero: file too large: more than the limit of 1 MiB\n"},
		{"config sparse 1 GiB", nil, []string{"--config", sparseSig, "checksig", unsigned}, exitConfig,
			"error: reading config: " + sparseSig + ": file too large: more than the limit of 1 MiB\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := rpmpgpCmd(t, tc.args...)
			cmd.Env = append(cmd.Env, tc.env...)
			rc, stdout, stderr := runExit(t, cmd)
			if rc != tc.rc || stdout != "" || stderr != tc.want {
				t.Errorf("rc %d, stdout %q, stderr %q; want %d, %q", rc, stdout, stderr, tc.rc, tc.want)
			}
		})
	}
}

// TestPolicyHonesty: a backend that does not apply crypto policies says so
// when one is given, and a malformed policy fails closed for every backend.
func TestPolicyHonesty(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	must(t, os.WriteFile(good, []byte("[hash_algorithms]\nsha1.collision_resistance = \"never\"\n"), 0o644))
	bad := filepath.Join(dir, "bad.toml")
	must(t, os.WriteFile(bad, []byte("[hash_algorithms]\nsha1 = \"sometimes\"\n"), 0o644))
	verdict := unsigned + ": digests OK\n"
	for _, tc := range []struct {
		name   string
		env    []string
		args   []string
		rc     int
		stdout string
		stderr string
	}{
		{"legacy with --policy", nil, []string{"--policy", good}, 0, verdict,
			`warning: backend "internal-legacy" does not apply crypto policies: the policy ` + good + " is not applied\n"},
		{"legacy with the environment", []string{"RPM_SEQUOIA_CRYPTO_POLICY=" + good}, nil, 0, verdict,
			`warning: backend "internal-legacy" does not apply crypto policies: the policy $RPM_SEQUOIA_CRYPTO_POLICY=` + good + " is not applied\n"},
		{"legacy without a policy", nil, nil, 0, verdict, ""},
		{"legacy with a malformed policy", nil, []string{"--policy", bad}, exitConfig, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"checksig", "--backend", "internal-legacy"}, tc.args...), unsigned)
			cmd := rpmpgpCmd(t, args...)
			cmd.Env = append(cmd.Env, tc.env...)
			rc, stdout, stderr := runExit(t, cmd)
			if tc.rc == exitConfig {
				if rc != exitConfig || stdout != "" || len(stderr) < 22 || stderr[:22] != "error: crypto policy: " {
					t.Errorf("rc %d, stdout %q, stderr %q; want 255 and error: crypto policy: ...", rc, stdout, stderr)
				}
				return
			}
			if rc != tc.rc || stdout != tc.stdout || stderr != tc.stderr {
				t.Errorf("rc %d, stdout %q, stderr %q; want %d, %q, %q", rc, stdout, stderr, tc.rc, tc.stdout, tc.stderr)
			}
		})
	}
}
