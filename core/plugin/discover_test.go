package plugin

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/launch"
)

// fakeBinaries creates executable files named rpmpgp-backend-<name> in dir.
func fakeBinaries(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, BinaryPrefix+n), []byte("#!/bin/false\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// setExecutable makes the running executable appear to live in dir.
func setExecutable(t *testing.T, dir string) {
	t.Helper()
	old := launch.Executable
	launch.Executable = func() (string, error) { return filepath.Join(dir, "rpmpgp"), nil }
	t.Cleanup(func() { launch.Executable = old })
}

// TestDiscoverOrder: $RPMPGP_PLUGIN_DIR, then configured dirs, then the
// executable's directory; the first binary of a name wins.
func TestDiscoverOrder(t *testing.T) {
	envDir, envDir2, cfgDir, exeDir := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv(EnvPluginDir, envDir+string(os.PathListSeparator)+envDir2)
	setExecutable(t, exeDir)

	fakeBinaries(t, envDir, "a")
	fakeBinaries(t, envDir2, "b")
	fakeBinaries(t, cfgDir, "a", "b", "c")
	fakeBinaries(t, exeDir, "a", "c", "d")
	// Not backends: not executable, bad names, directories, other files.
	if err := os.WriteFile(filepath.Join(exeDir, BinaryPrefix+"noexec"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	fakeBinaries(t, exeDir, ".hidden", "-dash", "")
	if err := os.Mkdir(filepath.Join(exeDir, BinaryPrefix+"dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(exeDir, "rpmpgp"), nil, 0o755); err != nil {
		t.Fatal(err)
	}

	wantPath := []string{envDir, envDir2, cfgDir, exeDir}
	if got := SearchPath([]string{cfgDir, "", envDir}); !cmp.Equal(got, wantPath) {
		t.Errorf("SearchPath = %q, want %q", got, wantPath)
	}
	got, err := Discover([]string{cfgDir, filepath.Join(cfgDir, "missing")})
	if err != nil {
		t.Fatal(err)
	}
	want := []Found{
		{Name: "a", Path: filepath.Join(envDir, BinaryPrefix+"a")},
		{Name: "b", Path: filepath.Join(envDir2, BinaryPrefix+"b")},
		{Name: "c", Path: filepath.Join(cfgDir, BinaryPrefix+"c")},
		{Name: "d", Path: filepath.Join(exeDir, BinaryPrefix+"d")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Discover (-want +got):\n%s", diff)
	}
}

// TestOpenNotFound: one error naming the backend and every directory.
func TestOpenNotFound(t *testing.T) {
	envDir, cfgDir, exeDir := t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv(EnvPluginDir, envDir)
	setExecutable(t, exeDir)
	if err := os.WriteFile(filepath.Join(cfgDir, BinaryPrefix+"gocrypto"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open("gocrypto", LoadConfig{Dirs: []string{cfgDir}})
	want := fmt.Sprintf(`backend "gocrypto": backend not found: no executable rpmpgp-backend-gocrypto (searched %q, %q, %q; not executable regular files: %q)`,
		envDir, cfgDir, exeDir, filepath.Join(cfgDir, BinaryPrefix+"gocrypto"))
	if !errors.Is(err, ErrNotFound) || err.Error() != want {
		t.Errorf("Open = %v\nwant %s", err, want)
	}
	if _, err := Open("../evil", LoadConfig{}); err == nil || err.Error() != `backend "../evil": invalid backend name` {
		t.Errorf("Open(../evil) = %v", err)
	}
}

// TestOpenBroken: a binary that is no plugin gives one error naming the
// backend, the binary and the directories.
func TestOpenBroken(t *testing.T) {
	dir, exeDir := t.TempDir(), t.TempDir()
	t.Setenv(EnvPluginDir, "")
	setExecutable(t, exeDir)
	path := filepath.Join(dir, BinaryPrefix+"broken")
	if err := os.WriteFile(path, []byte("#!/bin/sh\necho 'broken backend speaking' >&2\nexit 7\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Open("broken", LoadConfig{Dirs: []string{dir}})
	want := fmt.Sprintf(`backend "broken": starting %s: handshake failed: process exited with status 7: broken backend speaking (searched %q, %q)`, path, dir, exeDir)
	if err == nil || err.Error() != want {
		t.Errorf("Open = %v\nwant %s", err, want)
	}
}

// TestDiscoverLibexec: an installed rpmpgp (PREFIX/bin) finds the backends
// in PREFIX/libexec/rpmpgp, after the other directories; without that
// directory the search path is unchanged.
func TestDiscoverLibexec(t *testing.T) {
	prefix := t.TempDir()
	bin, libexec := filepath.Join(prefix, "bin"), filepath.Join(prefix, "libexec", "rpmpgp")
	t.Setenv(EnvPluginDir, "")
	setExecutable(t, bin)
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, want := SearchPath(nil), []string{bin}; !cmp.Equal(got, want) {
		t.Errorf("SearchPath without libexec = %q, want %q", got, want)
	}
	if err := os.MkdirAll(libexec, 0o755); err != nil {
		t.Fatal(err)
	}
	fakeBinaries(t, libexec, "gocrypto")
	if got, want := SearchPath(nil), []string{bin, libexec}; !cmp.Equal(got, want) {
		t.Errorf("SearchPath = %q, want %q", got, want)
	}
	got, err := Discover(nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Found{{Name: "gocrypto", Path: filepath.Join(libexec, BinaryPrefix+"gocrypto")}}; !cmp.Equal(got, want) {
		t.Errorf("Discover = %v, want %v", got, want)
	}
}
