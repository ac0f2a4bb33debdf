package resident

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// EnvRuntimeDir names the variable of the user's runtime directory (XDG
// Base Directory Specification: owned by the user, mode 0700).
const EnvRuntimeDir = "XDG_RUNTIME_DIR"

// Dir returns the directory of this user's resident backends,
// $XDG_RUNTIME_DIR/rpmpgp, creating it (0700). It refuses, saying why, a
// runtime directory that is unset, relative, not a directory, not owned
// by the user or not mode 0700, and an rpmpgp directory that is a
// symbolic link, not a directory, not owned by the user or open to group
// or others: another user must never be able to place or read an instance.
func Dir() (string, error) {
	dir, err := dirPath()
	if err != nil {
		return "", err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", err
	}
	if err := checkDir(dir, false); err != nil {
		return "", err
	}
	return dir, nil
}

// ExistingDir is [Dir] without creating anything: it makes the same
// checks and returns the directory and whether it exists; one that does
// not is no error (no instance has ever run there, so none runs).
func ExistingDir() (dir string, exists bool, err error) {
	dir, err = dirPath()
	if err != nil {
		return "", false, err
	}
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return dir, false, nil
	}
	if err := checkDir(dir, false); err != nil {
		return "", false, err
	}
	return dir, true, nil
}

// dirPath checks the runtime directory and returns the rpmpgp directory's
// path in it.
func dirPath() (string, error) {
	base := os.Getenv(EnvRuntimeDir)
	if base == "" {
		return "", fmt.Errorf("$%s is not set", EnvRuntimeDir)
	}
	if !filepath.IsAbs(base) {
		return "", fmt.Errorf("$%s = %q is not an absolute path", EnvRuntimeDir, base)
	}
	if err := checkDir(base, true); err != nil {
		return "", fmt.Errorf("$%s: %w", EnvRuntimeDir, err)
	}
	return filepath.Join(base, "rpmpgp"), nil
}

// checkDir checks that dir (not followed if a symbolic link) is a
// directory of this user with no permission for group or others; exact
// also wants the mode to be 0700.
func checkDir(dir string, exact bool) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("%s: no owner information", dir)
	}
	if int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s is owned by uid %d, not by this user (uid %d)", dir, st.Uid, os.Geteuid())
	}
	perm := fi.Mode().Perm()
	if exact && perm != 0o700 || perm&0o077 != 0 {
		return fmt.Errorf("%s has mode %04o, want 0700", dir, perm)
	}
	return nil
}
