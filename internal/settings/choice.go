package settings

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/rpmpgp/rpmpgp/core/plugin"
)

// Which binary answers is said whenever a source other than the command
// line, an explicit --config, the system config or the defaults decided it
// (issue #13: "a line on stderr whenever the backend was chosen by
// environment or a user config"): the backend's name ($RPMPGP_BACKEND,
// the user's backend = ...) or the directory its binary comes from
// ($RPMPGP_PLUGIN_DIR, the user's plugin_dir = ...). One line says both.

// ChoiceNote returns the line (without newline) naming the backend binary
// at path, which [plugin.Open] ran for s.Backend with the configured plugin
// directory s.PluginDir, when the environment or the user's config decided
// the backend or its binary; "" when they did not. The directory counts
// as decided only when the binary differs from the one that would run
// without $RPMPGP_PLUGIN_DIR and the user's plugin_dir (the same binary
// found through them changes nothing):
//
//	rpmpgp: backend "openssl" chosen by $RPMPGP_BACKEND: PATH
//	rpmpgp: backend "gocrypto" binary chosen by $RPMPGP_PLUGIN_DIR: PATH
//	rpmpgp: backend "openssl" and its binary chosen by config FILE: PATH
//	rpmpgp: backend "openssl" chosen by $RPMPGP_BACKEND, its binary by config FILE: PATH
func (s *Settings) ChoiceNote(path string) string {
	byName, byDir := s.BackendFrom, s.binaryFrom(path)
	var what string
	switch {
	case byName == "" && byDir == "":
		return ""
	case byDir == "":
		what = "chosen by " + byName
	case byName == "":
		what = "binary chosen by " + byDir
	case byName == byDir:
		what = "and its binary chosen by " + byName
	default:
		what = "chosen by " + byName + ", its binary by " + byDir
	}
	return fmt.Sprintf("rpmpgp: backend %q %s: %s", s.Backend, what, path)
}

// binaryFrom names the source that decided the directory of the backend
// binary at path ("$RPMPGP_PLUGIN_DIR", "config PATH"), or "".
func (s *Settings) binaryFrom(path string) string {
	var base []string
	if s.PluginDir != "" && s.PluginDirFrom == "" {
		base = []string{s.PluginDir}
	}
	if path == "" || plugin.PathWithoutEnv(s.Backend, base) == path {
		return ""
	}
	// $RPMPGP_PLUGIN_DIR is searched first: a binary in one of its
	// directories came from it.
	dir := filepath.Dir(path)
	for _, d := range filepath.SplitList(os.Getenv(plugin.EnvPluginDir)) {
		if d != "" && filepath.Clean(d) == dir {
			return "$" + plugin.EnvPluginDir
		}
	}
	// Otherwise it came from the user's plugin_dir (or the search path
	// changed between the start and now: nothing is said then).
	return s.PluginDirFrom
}
