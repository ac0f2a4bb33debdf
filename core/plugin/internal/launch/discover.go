package launch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// BinaryPrefix starts the file name of every backend binary:
// rpmpgp-backend-<name>.
const BinaryPrefix = "rpmpgp-backend-"

// EnvPluginDir names the environment variable that lists directories to
// search first (separated by ':', like PATH).
const EnvPluginDir = "RPMPGP_PLUGIN_DIR"

// ErrNotFound is wrapped when no backend binary of the requested name
// exists in the search path.
var ErrNotFound = errors.New("backend not found")

// validName is the form of a backend name: no path separators, no leading
// dot or dash.
var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ValidName reports whether name can name a backend ("gocrypto",
// "internal-legacy").
func ValidName(name string) bool { return validName.MatchString(name) }

// Found is a backend binary found by [Discover].
type Found struct {
	// Name is the backend's name (the file name without BinaryPrefix).
	Name string `json:"name"`
	// Path is the binary.
	Path string `json:"path"`
}

// Executable is os.Executable; tests replace it.
var Executable = os.Executable

// LibexecDir is where an installation keeps the backends, relative to the
// directory of the rpmpgp binary: make install puts rpmpgp in
// $(PREFIX)/bin and the backends in $(PREFIX)/libexec/rpmpgp (the FHS
// place for internal binaries).
var LibexecDir = filepath.Join("..", "libexec", "rpmpgp")

// SearchPath returns the directories searched for backends, in order: the
// entries of $RPMPGP_PLUGIN_DIR, then dirs (the configured plugin
// directories), then the directory of the running executable (symlinks
// resolved), then [LibexecDir] beside it when that directory exists.
// Empty entries and repeats are dropped.
func SearchPath(dirs []string) []string {
	var all []string
	if env := os.Getenv(EnvPluginDir); env != "" {
		all = append(all, filepath.SplitList(env)...)
	}
	return searchPath(append(all, dirs...))
}

// SearchPathWithoutEnv is [SearchPath] had $RPMPGP_PLUGIN_DIR not been
// set: dirs, then the executable's directory and [LibexecDir] beside it.
func SearchPathWithoutEnv(dirs []string) []string {
	return searchPath(append([]string(nil), dirs...))
}

// searchPath appends the executable's directory and [LibexecDir] to all
// and drops empty entries and repeats.
func searchPath(all []string) []string {
	if exe, err := Executable(); err == nil {
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
		all = append(all, filepath.Dir(exe))
		libexec := filepath.Join(filepath.Dir(exe), LibexecDir)
		if fi, err := os.Stat(libexec); err == nil && fi.IsDir() {
			all = append(all, libexec)
		}
	}
	var out []string
	for _, d := range all {
		if d == "" {
			continue
		}
		d = filepath.Clean(d)
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// Discover lists the backends in [SearchPath](dirs), sorted by name. When a
// name exists in several directories, the first one in search order wins
// (it is what [Find] returns). Missing directories are skipped; relative
// ones and other directory errors are returned, joined, next to what was
// found.
func Discover(dirs []string) ([]Found, error) {
	var found []Found
	var errs []error
	seen := map[string]bool{}
	for _, dir := range SearchPath(dirs) {
		if err := CheckDirs([]string{dir}); err != nil {
			errs = append(errs, err)
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
			continue
		}
		for _, e := range entries {
			name, ok := strings.CutPrefix(e.Name(), BinaryPrefix)
			if !ok || !ValidName(name) || seen[name] {
				continue
			}
			path := filepath.Join(dir, e.Name())
			if !isExecutable(path) {
				continue
			}
			seen[name] = true
			found = append(found, Found{Name: name, Path: path})
		}
	}
	slices.SortFunc(found, func(a, b Found) int { return strings.Compare(a.Name, b.Name) })
	return found, errors.Join(errs...)
}

// isExecutable reports whether path (symlinks followed) is a regular file
// with an execute bit.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// Find returns the first binary of backend name in dirs ("" if none), and
// the files of that name it skipped because they are not executable
// regular files.
func Find(name string, dirs []string) (path string, unusable []string) {
	for _, dir := range dirs {
		p := filepath.Join(dir, BinaryPrefix+name)
		if isExecutable(p) {
			return p, unusable
		}
		if _, err := os.Lstat(p); err == nil {
			unusable = append(unusable, p)
		}
	}
	return "", unusable
}
