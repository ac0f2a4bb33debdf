package launch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// Found is a backend binary found by [Discover].
type Found struct {
	// Name is the backend's name (the file name without BinaryPrefix).
	Name string `json:"name"`
	// Path is the binary.
	Path string `json:"path"`
}

// Executable is os.Executable; tests replace it.
var Executable = os.Executable

// SearchPath returns the directories searched for backends, in order: the
// entries of $RPMPGP_PLUGIN_DIR, then dirs (the configured plugin
// directories), then the directory of the running executable (symlinks
// resolved), then spawn.LibexecDir beside it when that directory exists.
// Empty entries and repeats are dropped.
func SearchPath(dirs []string) []string {
	return spawn.SearchPathFrom(os.Getenv(spawn.EnvPluginDir), dirs, exeDir())
}

// SearchPathWithoutEnv is [SearchPath] had $RPMPGP_PLUGIN_DIR not been
// set: dirs, then the executable's directory and LibexecDir beside it.
func SearchPathWithoutEnv(dirs []string) []string {
	return spawn.SearchPathFrom("", dirs, exeDir())
}

// exeDir is the directory of the running executable, symlinks resolved
// ("" if unknown).
func exeDir() string {
	exe, err := Executable()
	if err != nil {
		return ""
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return filepath.Dir(exe)
}

// Discover lists the backends in [SearchPath](dirs), sorted by name. When a
// name exists in several directories, the first one in search order wins
// (it is what spawn.Find returns). Missing directories are skipped;
// relative ones and other directory errors are returned, joined, next to
// what was found.
func Discover(dirs []string) ([]Found, error) {
	var found []Found
	var errs []error
	seen := map[string]bool{}
	for _, dir := range SearchPath(dirs) {
		if err := spawn.CheckDirs([]string{dir}); err != nil {
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
			name, ok := strings.CutPrefix(e.Name(), spawn.BinaryPrefix)
			if !ok || !spawn.ValidName(name) || seen[name] {
				continue
			}
			path := filepath.Join(dir, e.Name())
			if !spawn.IsExecutable(path) {
				continue
			}
			seen[name] = true
			found = append(found, Found{Name: name, Path: path})
		}
	}
	slices.SortFunc(found, func(a, b Found) int { return strings.Compare(a.Name, b.Name) })
	return found, errors.Join(errs...)
}

// checkBinary checks the opened binary found at path (fi is from its
// descriptor) and the directories above it, symlinks resolved
// (spawn.CheckBinary with realPath).
func checkBinary(path string, fi os.FileInfo) error {
	return spawn.CheckBinary(path, fi, func() (string, error) { return realPath(path) })
}

// realPath is path with its symlinks resolved; failing that, the binary is
// untrusted.
func realPath(path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("%w: %s: %w", spawn.ErrUntrusted, path, err)
	}
	return real, nil
}
