package spawn

import (
	"errors"
	"os"
	"path"
	"slices"
)

// ErrNotFound is wrapped when no binary of the requested backend exists in
// the search path.
var ErrNotFound = errors.New("backend not found")

// ValidName reports whether name can name a backend ("gocrypto",
// "internal-legacy"): letters, digits, '.', '_' and '-', starting with a
// letter or digit (no path separators, no leading dot or dash).
func ValidName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return false
		}
	}
	return true
}

// LibexecDir is where an installation keeps the backends, relative to the
// directory of the rpmpgp binary: make install puts rpmpgp in
// $(PREFIX)/bin and the backends in $(PREFIX)/libexec/rpmpgp (the FHS
// place for internal binaries).
var LibexecDir = path.Join("..", "libexec", "rpmpgp")

// SearchPathFrom returns the directories searched for backends, in order:
// the entries of env (the value of $RPMPGP_PLUGIN_DIR, ':'-separated),
// then dirs (the configured plugin directories), then exeDir (the
// directory of the running executable, symlinks resolved; "" if unknown),
// then [LibexecDir] beside it when that directory exists. Empty entries
// and repeats are dropped.
func SearchPathFrom(env string, dirs []string, exeDir string) []string {
	all := append(splitList(env), dirs...)
	if exeDir != "" {
		all = append(all, exeDir)
		libexec := path.Join(exeDir, LibexecDir)
		if fi, err := os.Stat(libexec); err == nil && fi.IsDir() {
			all = append(all, libexec)
		}
	}
	var out []string
	for _, d := range all {
		if d == "" {
			continue
		}
		d = path.Clean(d)
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// splitList is filepath.SplitList: a ':'-separated list ("" gives none).
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for {
		d, rest, more := Cut(s, ':')
		out = append(out, d)
		if !more {
			return out
		}
		s = rest
	}
}

// IsExecutable reports whether path (symlinks followed) is a regular file
// with an execute bit.
func IsExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// Find returns the first binary of backend name in dirs ("" if none), and
// the files of that name it skipped because they are not executable
// regular files.
func Find(name string, dirs []string) (file string, unusable []string) {
	for _, dir := range dirs {
		p := path.Join(dir, BinaryPrefix+name)
		if IsExecutable(p) {
			return p, unusable
		}
		if _, err := os.Lstat(p); err == nil {
			unusable = append(unusable, p)
		}
	}
	return "", unusable
}
