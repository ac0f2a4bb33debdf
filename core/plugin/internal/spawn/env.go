package spawn

import (
	"path"
	"slices"
)

// hostOnly are the variables through which a host tells a backend what it
// is given (its descriptor channel, its binary's descriptor, a resident
// instance's path): a host sets them itself when they apply, so inherited
// values are dropped. An inherited RPMPGP_BACKEND_RESIDENT would otherwise
// make a normal start (the resident setting off, or locked off) a resident
// instance.
var hostOnly = []string{EnvChannel, EnvExecFD, EnvInstance, EnvInheritedFDs}

// preloadLibrary starts the file name of rpmpgp's LD_PRELOAD library
// (capi/, installed as librpmpgp-preload.so).
const preloadLibrary = "librpmpgp-preload"

// BackendEnv returns the environment a backend process inherits from the
// host's, env: all of it but [hostOnly], except that rpmpgp's LD_PRELOAD
// library is taken out of LD_PRELOAD (and LD_PRELOAD dropped when nothing
// else is left in it). A host that is rpm running with the library
// preloaded would otherwise load it, with a second Go runtime, into every
// backend it starts; the backend has no use for it. Other preloaded
// libraries stay: they are the user's choice for every process.
//
// (Written without package strings, which package early's position in the
// initialisation order cannot afford.)
func BackendEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, value, _ := Cut(kv, '=')
		if slices.Contains(hostOnly, name) {
			continue
		}
		if name != "LD_PRELOAD" {
			out = append(out, kv)
			continue
		}
		// ld.so(8): the list is separated by spaces or colons.
		kept := ""
		for _, lib := range fields(value) {
			if !hasPrefix(path.Base(lib), preloadLibrary) {
				if kept != "" {
					kept += ":"
				}
				kept += lib
			}
		}
		if kept != "" {
			out = append(out, "LD_PRELOAD="+kept)
		}
	}
	return out
}

// Cut is strings.Cut with a one-byte separator (package strings comes late
// in the initialisation order).
func Cut(s string, sep byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// hasPrefix is strings.HasPrefix.
func hasPrefix(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

// fields splits an LD_PRELOAD list at spaces and colons, dropping empty
// entries.
func fields(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' || s[i] == ':' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}
