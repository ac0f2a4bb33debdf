package plugin

import (
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/launch"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// PathWithoutEnv returns the binary of backend name that [Open] would find
// in dirs had $RPMPGP_PLUGIN_DIR not been set ("" if none): comparing it
// with [Client.Path] tells whether the variable decided which binary runs.
// Like [Discover], it checks neither trust nor pins.
func PathWithoutEnv(name string, dirs []string) string {
	if !ValidName(name) {
		return ""
	}
	path, _ := spawn.Find(name, launch.SearchPathWithoutEnv(dirs))
	return path
}
