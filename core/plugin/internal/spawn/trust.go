package spawn

import (
	"errors"
	"fmt"
	"os"
	"path"
	"syscall"
)

// ErrUntrusted is wrapped when a backend binary, or a directory above it,
// could have been replaced by someone other than root or the invoking user,
// or when a plugin directory is relative; the binary was not run.
var ErrUntrusted = errors.New("untrusted backend binary")

// A backend binary is trusted the way sshd trusts its files
// (StrictModes, secure_filename in OpenSSH's misc.c): the binary and every
// directory from it up to / must be owned by root or the invoking user and
// not writable by group or others. A directory writable by others is
// accepted above a directory that passes when root owns it and its sticky
// bit is set (the system temporary directory): nobody else can then rename
// or remove what it holds.

// CheckBinary checks the opened binary found at path (fi is from its
// descriptor) and then the directories above its path with symlinks
// resolved, which resolve returns (filepath.EvalSymlinks(path) for a
// normal start, what /proc/self/fd says of the opened descriptor for an
// early one).
func CheckBinary(path string, fi os.FileInfo, resolve func() (string, error)) error {
	if err := checkOwnerMode(path, fi, "binary"); err != nil {
		return err
	}
	real, err := resolve()
	if err != nil {
		return err
	}
	first := true
	for dir := dirOf(real); ; dir = dirOf(dir) {
		dfi, err := os.Lstat(dir)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrUntrusted, path, err)
		}
		if !first && dfi.Mode()&os.ModeSticky != 0 && dfi.Mode().Perm()&0o022 != 0 && owner(dfi) == 0 {
			// A root-owned sticky directory above one that passed.
		} else if err := checkOwnerMode(path, dfi, "directory "+dir); err != nil {
			return err
		}
		first = false
		if dir == dirOf(dir) {
			return nil
		}
	}
}

// dirOf is filepath.Dir for the absolute slash-separated paths of Linux.
func dirOf(p string) string { return path.Dir(p) }

// checkOwnerMode refuses fi (what names it) when another user than root or
// the invoking user owns it or group or others can write it.
func checkOwnerMode(path string, fi os.FileInfo, what string) error {
	uid := owner(fi)
	if uid != 0 && uid != os.Geteuid() {
		return fmt.Errorf("%w %s: %s is owned by uid %d, not by root or the invoking user (uid %d)", ErrUntrusted, path, what, uid, os.Geteuid())
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%w %s: %s is writable by group or others (mode %04o)", ErrUntrusted, path, what, fi.Mode().Perm())
	}
	return nil
}

// owner is the uid owning fi (-1 without stat information).
func owner(fi os.FileInfo) int {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return -1
	}
	return int(st.Uid)
}

// CheckDirs refuses a relative directory of the search path: it would
// depend on the working directory of whoever runs rpmpgp.
func CheckDirs(dirs []string) error {
	for _, d := range dirs {
		if !path.IsAbs(d) {
			return fmt.Errorf("%w: plugin directory %q is relative (from $%s or the configuration)", ErrUntrusted, d, EnvPluginDir)
		}
	}
	return nil
}

// IsScript reports whether f starts with "#!": its interpreter opens it by
// name after exec, so it cannot be executed through the checked
// descriptor.
func IsScript(f *os.File) bool {
	var magic [2]byte
	n, _ := f.ReadAt(magic[:], 0)
	return n == 2 && magic == [2]byte{'#', '!'}
}

// OpenBinary opens the backend binary at path and checks it (a regular
// file, CheckBinary with resolve given the open file): the caller executes
// this descriptor, so that the checked bytes are the bytes that run. It
// returns the file and its identity.
func OpenBinary(path string, resolve func(f *os.File) (string, error)) (*os.File, FileID, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, FileID{}, fmt.Errorf("opening %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", path)
	}
	if err == nil {
		err = CheckBinary(path, fi, func() (string, error) { return resolve(f) })
	}
	var id FileID
	if err == nil {
		id, err = IDOf(fi)
	}
	if err != nil {
		f.Close()
		return nil, FileID{}, err
	}
	return f, id, nil
}
