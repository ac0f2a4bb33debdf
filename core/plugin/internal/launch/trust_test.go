package launch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// TestCheckBinary (checkBinary, over spawn.CheckBinary): the binary and every directory above it must be owned by
// root or the invoking user and not writable by group or others; a
// root-owned sticky directory is accepted above a directory that passes,
// never as the binary's own directory.
func TestCheckBinary(t *testing.T) {
	if os.Geteuid() != 0 {
		// Files of another owner can only be made by root.
		if os.Getenv("CI") != "" {
			t.Fatal("TestCheckBinary needs root under CI (it chowns files to another user)")
		}
		t.Skip("needs root to chown files to another user")
	}
	const other = 65534 // nobody
	type setup struct {
		dirMode, binMode os.FileMode
		dirOwner         int
		binOwner         int
	}
	for _, tc := range []struct {
		name string
		s    setup
		want string // "" : trusted; else the error after "untrusted backend binary <path>: "
	}{
		{"private directory", setup{dirMode: 0o755, binMode: 0o755}, ""},
		{"read-only binary", setup{dirMode: 0o700, binMode: 0o500}, ""},
		{"binary world-writable", setup{dirMode: 0o755, binMode: 0o777}, "binary is writable by group or others (mode 0777)"},
		{"binary group-writable", setup{dirMode: 0o755, binMode: 0o775}, "binary is writable by group or others (mode 0775)"},
		{"binary of another user", setup{dirMode: 0o755, binMode: 0o755, binOwner: other}, fmt.Sprintf("binary is owned by uid %d, not by root or the invoking user (uid 0)", other)},
		{"directory world-writable", setup{dirMode: 0o777, binMode: 0o755}, "directory %DIR% is writable by group or others (mode 0777)"},
		{"directory group-writable", setup{dirMode: 0o775, binMode: 0o755}, "directory %DIR% is writable by group or others (mode 0775)"},
		{"directory of another user", setup{dirMode: 0o755, binMode: 0o755, dirOwner: other}, fmt.Sprintf("directory %%DIR%% is owned by uid %d, not by root or the invoking user (uid 0)", other)},
		{"binary in a sticky directory", setup{dirMode: 0o777 | os.ModeSticky, binMode: 0o755}, "directory %DIR% is writable by group or others (mode 0777)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// t.TempDir is 0700 inside the system temporary directory
			// (root-owned, sticky): it passes, so the sticky /tmp above
			// it is accepted.
			dir := filepath.Join(t.TempDir(), "plugins")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			bin := filepath.Join(dir, spawn.BinaryPrefix+"x")
			if err := os.WriteFile(bin, []byte("\x7fELF"), 0o700); err != nil {
				t.Fatal(err)
			}
			must(t, os.Chmod(bin, tc.s.binMode))
			must(t, os.Chown(bin, tc.s.binOwner, 0))
			must(t, os.Chmod(dir, tc.s.dirMode))
			must(t, os.Chown(dir, tc.s.dirOwner, 0))
			t.Cleanup(func() { os.Chmod(dir, 0o700) })
			fi, err := os.Stat(bin)
			if err != nil {
				t.Fatal(err)
			}
			err = checkBinary(bin, fi)
			if tc.want == "" {
				if err != nil {
					t.Errorf("checkBinary: %v; want nil", err)
				}
				return
			}
			want := "untrusted backend binary " + bin + ": " + strings.ReplaceAll(tc.want, "%DIR%", dir)
			if err == nil || err.Error() != want || !errors.Is(err, spawn.ErrUntrusted) {
				t.Errorf("checkBinary: %v; want %q", err, want)
			}
		})
	}
	// A symlink is judged by where it leads: a link in a private directory
	// to a binary in a world-writable one is refused.
	base := t.TempDir()
	bad := filepath.Join(base, "open")
	good := filepath.Join(base, "private")
	must(t, os.Mkdir(bad, 0o700))
	must(t, os.Chmod(bad, 0o777))
	must(t, os.Mkdir(good, 0o700))
	target := filepath.Join(bad, spawn.BinaryPrefix+"x")
	must(t, os.WriteFile(target, []byte("\x7fELF"), 0o755))
	link := filepath.Join(good, spawn.BinaryPrefix+"x")
	must(t, os.Symlink(target, link))
	fi, err := os.Stat(link)
	if err != nil {
		t.Fatal(err)
	}
	want := "untrusted backend binary " + link + ": directory " + bad + " is writable by group or others (mode 0777)"
	if err := checkBinary(link, fi); err == nil || err.Error() != want {
		t.Errorf("checkBinary(symlink): %v; want %q", err, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestCheckDirs: a relative plugin directory is refused.
func TestCheckDirs(t *testing.T) {
	if err := spawn.CheckDirs([]string{"/usr/libexec/rpmpgp", "/tmp"}); err != nil {
		t.Errorf("CheckDirs(absolute): %v", err)
	}
	want := `untrusted backend binary: plugin directory "bin" is relative (from $RPMPGP_PLUGIN_DIR or the configuration)`
	if err := spawn.CheckDirs([]string{"/usr/libexec/rpmpgp", "bin"}); err == nil || err.Error() != want || !errors.Is(err, spawn.ErrUntrusted) {
		t.Errorf("CheckDirs(relative): %v; want %q", err, want)
	}
}
