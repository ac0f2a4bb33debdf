package resident

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// envExact are the variables outside envPrefixes that can change what a
// backend process does: Go's runtime and FIPS switches, the dynamic
// loader's, glibc's tunables and the temporary directory. The instance of
// a host with other values is another instance. PWD, SHLVL, TERM and the
// like do not count, or every shell would have its own instance.
var envExact = []string{
	"GODEBUG", "GOMAXPROCS", "GOGC", "GOMEMLIMIT", "GOTRACEBACK", "GOFIPS", "GOLANG_FIPS",
	"GLIBC_TUNABLES", "MALLOC_ARENA_MAX", "TMPDIR", EnvRuntimeDir,
}

// envPrefixes start the names of the other variables that count: rpmpgp's
// own (the backend log level, the idle time), OpenSSL's (OPENSSL_CONF,
// OPENSSL_MODULES, OPENSSL_ia32cap, OPENSSL_FORCE_FIPS_MODE), the dynamic
// loader's (LD_PRELOAD, LD_LIBRARY_PATH, LD_BIND_NOW, ...), go-plugin's
// (PLUGIN_*) and the crypto policy variables of rpm-sequoia and Sequoia.
var envPrefixes = []string{"RPMPGP_", "OPENSSL_", "LD_", "PLUGIN_", "RPM_SEQUOIA_", "SEQUOIA_"}

// envIgnored are rpmpgp variables of the host alone: whether to be
// resident at all must not split instances.
var envIgnored = []string{"RPMPGP_RESIDENT"}

// countsEnv reports whether the variable name takes part in an instance's
// name.
func countsEnv(name string) bool {
	if slices.Contains(envIgnored, name) {
		return false
	}
	if slices.Contains(envExact, name) {
		return true
	}
	for _, p := range envPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// Name returns the name of the instance of backend for a binary whose
// identity is identity (device, inode, size, times and the pinned SHA-256,
// as the host encodes them), key (the host's settings that fix
// process-wide state of a backend: the FIPS mode) and env, the environment
// the backend would get: the variables that count ([countsEnv]), sorted,
// are hashed in.
func Name(backend string, identity []byte, key string, env []string) string {
	var counted []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if countsEnv(name) {
			counted = append(counted, kv)
		}
	}
	slices.Sort(counted)
	h := sha256.New()
	// Every part is length-prefixed, so that no two lists hash alike.
	part := func(b []byte) {
		var n [8]byte
		for i := range n {
			n[i] = byte(uint64(len(b)) >> (8 * i))
		}
		h.Write(n[:])
		h.Write(b)
	}
	part([]byte(backend))
	part(identity)
	part([]byte(key))
	for _, kv := range counted {
		part([]byte(kv))
	}
	// 64 bits name an instance well enough (every attachment checks the
	// binary anyway) and keep the socket paths short (108 bytes at most).
	return backend + "-" + hex.EncodeToString(h.Sum(nil)[:8])
}

// nameHashLen is the length of the hash part of an instance's name.
const nameHashLen = 16

// ValidName reports whether name has the form of a name [Name] returns:
// a backend's name (spawn.ValidName), "-" and 16 lower-case hex digits. No
// such name holds a path separator or starts with a dot.
func ValidName(name string) bool {
	backend, hash, ok := cutLast(name, '-')
	if !ok || len(hash) != nameHashLen || !spawn.ValidName(backend) {
		return false
	}
	for i := 0; i < len(hash); i++ {
		if c := hash[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// cutLast is strings.Cut at the last sep.
func cutLast(s string, sep byte) (before, after string, found bool) {
	if i := strings.LastIndexByte(s, sep); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}
