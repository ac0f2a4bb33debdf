package launch

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/resident"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// hostOnly are the variables through which a host tells a backend what it
// is given (its descriptor channel, its binary's descriptor, a resident
// instance's path): a host sets them itself when they apply, so inherited
// values are dropped. An inherited RPMPGP_BACKEND_RESIDENT would otherwise
// make a normal start (the resident setting off, or locked off) a resident
// instance.
var hostOnly = []string{fdpass.EnvChannel, wire.EnvExecFD, resident.EnvInstance}

// preloadLibrary starts the file name of rpmpgp's LD_PRELOAD library
// (capi/, installed as librpmpgp-preload.so).
const preloadLibrary = "librpmpgp-preload"

// backendEnv returns the environment a backend process inherits from the
// host's, env: all of it but [hostOnly], except that rpmpgp's LD_PRELOAD library is
// taken out of LD_PRELOAD (and LD_PRELOAD dropped when nothing else is
// left in it). A host that is rpm running with the library preloaded
// would otherwise load it, with a second Go runtime, into every backend it
// starts; the backend has no use for it. Other preloaded libraries stay:
// they are the user's choice for every process.
func backendEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		if slices.Contains(hostOnly, name) {
			continue
		}
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
