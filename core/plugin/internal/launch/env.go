package launch

import (
	"path/filepath"
	"strings"
)

// preloadLibrary starts the file name of rpmpgp's LD_PRELOAD library
// (capi/, installed as librpmpgp-preload.so).
const preloadLibrary = "librpmpgp-preload"

// backendEnv returns the environment a backend process inherits from the
// host's, env: all of it, except that rpmpgp's LD_PRELOAD library is
// taken out of LD_PRELOAD (and LD_PRELOAD dropped when nothing else is
// left in it). A host that is rpm running with the library preloaded
// would otherwise load it, with a second Go runtime, into every backend it
// starts; the backend has no use for it. Other preloaded libraries stay:
// they are the user's choice for every process.
func backendEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		if name != "LD_PRELOAD" {
			out = append(out, kv)
			continue
		}
		// ld.so(8): the list is separated by spaces or colons.
		var keep []string
		for _, lib := range strings.FieldsFunc(value, func(r rune) bool { return r == ' ' || r == ':' }) {
			if !strings.HasPrefix(filepath.Base(lib), preloadLibrary) {
				keep = append(keep, lib)
			}
		}
		if len(keep) > 0 {
			out = append(out, "LD_PRELOAD="+strings.Join(keep, ":"))
		}
	}
	return out
}
