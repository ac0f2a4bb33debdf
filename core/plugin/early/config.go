package early

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/rpmpgp/rpmpgp/internal/readlimit"
)

// The configuration files, read before the loader (internal/settings) can
// read them: package early runs before any TOML library is initialised
// (go-toml and viper import packages that Go initialises late), so it
// reads a small subset of TOML itself, the one config files are written
// in (`key = "value"` lines of strings, booleans and one-line arrays of
// strings, comments; ASCII only, no escapes), and starts nothing early
// for a file that holds anything else. A file in the subset is read as
// TOML reads it (FuzzConfig holds it to go-toml), and is refused when it
// could stop the binary from running as an early start runs it:
//
//   - [plugins] (its checksums pin binaries, and must be checked before
//     one runs) and pins = "required" (a binary without a pin is refused);
//   - resident = true (the command attaches to a resident backend);
//   - lock in the user's file (the loader refuses the file).
//
// backend and plugin_dir are read: they choose the process, and a lock of
// either in the system file keeps the system's value (decide). A wrong
// choice costs only time: the host adopts the early process only when it
// is the one it would have started (core/plugin/internal/launch).

// maxConfig bounds a config file read here: the loader takes up to 1 MiB,
// but a file larger than this is not read before it (nothing is started
// early).
const maxConfig = 64 << 10

// keyUse says what a top-level config key means to the early start.
type keyUse int

const (
	// ignored keys change how the backend is used (Init options, keys,
	// timeouts), not which process runs or its environment.
	ignored keyUse = iota
	// useBackend and usePluginDir choose the process.
	useBackend
	usePluginDir
	// onlyOptional is pins: only "optional" lets a binary run unpinned.
	onlyOptional
	// onlyFalse is resident: a resident backend is attached to, not
	// started.
	onlyFalse
	// systemOnly is lock, which only the system config may hold.
	systemOnly
	// refused is plugins, the table of checksums.
	refused
)

// configKey is what the early start knows of a top-level config key:
// what it means here and the kind of value the loader takes (a file with
// another kind is refused by the loader, so it is not read here either).
type configKey struct {
	use  keyUse
	kind int
}

// configKeys are the top-level keys of a config file (internal/settings'
// table, TestInStepWithSettings).
var configKeys = map[string]configKey{
	"backend":      {useBackend, kindString},
	"plugin_dir":   {usePluginDir, kindString},
	"pins":         {onlyOptional, kindString},
	"resident":     {onlyFalse, kindBool},
	"lock":         {systemOnly, kindArray},
	"plugins":      {refused, 0},
	"fips":         {ignored, kindString},
	"policy":       {ignored, kindString},
	"call_timeout": {ignored, kindString},
	"root":         {ignored, kindString},
	"dbpath":       {ignored, kindString},
	"keystore":     {ignored, kindString},
	"keyringpath":  {ignored, kindString},
	"system_keys":  {ignored, kindBool},
}

// lockChecksums is the name lock takes for [plugins.checksums]
// (internal/settings readLocks); the other names are those of configKeys
// but lock.
const lockChecksums = "plugins.checksums"

// fileChoice is what one config file says of the backend process.
type fileChoice struct {
	// backend and pluginDir are the values of the keys, set when the
	// file sets them (to "" too: an empty value in the user's file
	// replaces the system's, as for the loader).
	backend, pluginDir       string
	setBackend, setPluginDir bool
	// locks are the keys the system config locks (lock = [...]).
	locks []string
}

// errNotRead wraps the reasons a config file is not read early.
var errNotRead = errors.New("not read before the configuration is loaded")

// readConfig reads the config file at path, at most maxConfig bytes and
// only a regular file (opened without blocking: a FIFO there would wait
// for a writer). A missing file is an error wrapping fs.ErrNotExist.
func readConfig(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file", errNotRead)
	}
	data, err := readlimit.Reader(f, path, maxConfig)
	if errors.Is(err, readlimit.ErrTooLarge) {
		return nil, fmt.Errorf("%w: larger than %d bytes", errNotRead, maxConfig)
	}
	return data, err
}

// parseConfig reads a config file's data in the subset of TOML described
// above and returns its choice of backend process, or an error wrapping
// errNotRead that says why the file is not read early (or why it stops
// the early start). system is true for the system config.
func parseConfig(data []byte, system bool) (fileChoice, error) {
	var c fileChoice
	if err := checkBytes(data); err != nil {
		return c, fmt.Errorf("%w: %v", errNotRead, err)
	}
	seen := map[string]bool{}
	for n := 1; len(data) > 0; n++ {
		l := data
		if i := indexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		key, v, err := parseLine(trimSpace(l))
		if err != nil {
			return c, fmt.Errorf("%w: line %d: %v", errNotRead, n, err)
		}
		if key == "" {
			continue
		}
		if seen[key] {
			return c, fmt.Errorf("%w: line %d: %s is set twice", errNotRead, n, key)
		}
		seen[key] = true
		k, ok := configKeys[key]
		if !ok {
			return c, fmt.Errorf("%w: line %d: unknown key %s", errNotRead, n, key)
		}
		if k.use == refused {
			return c, fmt.Errorf("%w: it has %s", errNotRead, key)
		}
		if v.kind != k.kind {
			return c, fmt.Errorf("%w: line %d: %s has a value of another type", errNotRead, n, key)
		}
		switch k.use {
		case useBackend:
			c.backend, c.setBackend = v.s, true
		case usePluginDir:
			c.pluginDir, c.setPluginDir = v.s, true
		case onlyOptional:
			if v.s != "optional" {
				return c, fmt.Errorf("%w: pins are required", errNotRead)
			}
		case onlyFalse:
			if v.s != "false" {
				return c, fmt.Errorf("%w: a resident backend is asked for", errNotRead)
			}
		case systemOnly:
			if !system {
				return c, fmt.Errorf("%w: lock outside the system config", errNotRead)
			}
			for _, l := range v.list {
				if k, ok := configKeys[l]; (!ok || k.use == systemOnly) && l != lockChecksums {
					return c, fmt.Errorf("%w: line %d: lock: unknown key %q", errNotRead, n, l)
				}
			}
			c.locks = v.list
		}
	}
	return c, nil
}

// checkBytes refuses what TOML refuses in any place, and escapes: control
// characters but tab and the newline (and a carriage return before one),
// DEL, and any byte of a multi-byte character (nothing rpmpgp reads early
// needs one; go-toml would check its UTF-8). Escapes (backslashes) could
// spell a key or a value another way.
func checkBytes(data []byte) error {
	for i, b := range data {
		switch {
		case b == '\\':
			return errors.New("it uses escapes")
		case b == '\r' && i+1 < len(data) && data[i+1] == '\n', b == '\t', b == '\n':
		case b < 0x20 || b >= 0x7f:
			return fmt.Errorf("byte %#02x at offset %d", b, i)
		}
	}
	return nil
}

// Kinds of value parseLine reads.
const (
	kindString = iota + 1
	kindBool
	kindArray // of strings
)

// value is a value parseLine read: a string's contents, "true" or
// "false", or an array's strings.
type value struct {
	kind int
	s    string
	list []string
}

// parseLine reads one line of a config file, spaces trimmed: a blank line
// or a comment gives key "", a `key = value` line its bare key and value
// (a string, a boolean, or a one-line array of strings), with an optional
// comment after it. Anything else is an error: tables ([plugins]), dotted
// or quoted keys, multi-line strings and arrays, inline tables, numbers,
// dates.
func parseLine(l []byte) (key string, v value, err error) {
	if len(l) == 0 || l[0] == '#' {
		return "", v, nil
	}
	if l[0] == '[' {
		return "", v, errors.New("a table")
	}
	i := 0
	for i < len(l) && isBareKey(l[i]) {
		i++
	}
	if i == 0 {
		return "", v, errors.New("not a bare key")
	}
	key = string(l[:i])
	rest := trimSpace(l[i:])
	if len(rest) == 0 || rest[0] != '=' {
		return "", v, fmt.Errorf("%s: not key = value", key)
	}
	v, rest, ok := scanValue(trimSpace(rest[1:]))
	if !ok {
		return "", v, fmt.Errorf("%s: a value not read here", key)
	}
	rest = trimSpace(rest)
	if len(rest) > 0 && rest[0] != '#' {
		return "", v, fmt.Errorf("%s: text after the value", key)
	}
	return key, v, nil
}

// scanValue reads the value at the start of s and returns it and what
// follows it.
func scanValue(s []byte) (v value, rest []byte, ok bool) {
	if len(s) == 0 {
		return v, nil, false
	}
	switch c := s[0]; {
	case c == '"' || c == '\'':
		str, rest, ok := scanString(s)
		return value{kind: kindString, s: str}, rest, ok
	case c == '[':
		v.kind = kindArray
		rest := trimSpace(s[1:])
		for len(rest) > 0 && rest[0] != ']' {
			str, r, ok := scanString(rest)
			if !ok {
				return v, nil, false
			}
			v.list = append(v.list, str)
			rest = trimSpace(r)
			if len(rest) > 0 && rest[0] == ',' {
				rest = trimSpace(rest[1:])
			} else if len(rest) == 0 || rest[0] != ']' {
				return v, nil, false
			}
		}
		if len(rest) == 0 {
			return v, nil, false
		}
		return v, rest[1:], true
	case c == 't' || c == 'f':
		for _, b := range []string{"true", "false"} {
			if hasPrefixBytes(s, b) && (len(s) == len(b) || !isBareKey(s[len(b)])) {
				return value{kind: kindBool, s: b}, s[len(b):], true
			}
		}
	}
	return v, nil, false
}

// scanString reads a one-line basic ("...") or literal ('...') string
// without escapes (parseConfig refused every backslash) at the start of s.
// The opening of a multi-line string ("""), whose first two quotes read as
// an empty string, leaves a quote after it, which its caller refuses.
func scanString(s []byte) (str string, rest []byte, ok bool) {
	if len(s) == 0 || s[0] != '"' && s[0] != '\'' {
		return "", nil, false
	}
	end := indexByte(s[1:], s[0])
	if end < 0 {
		return "", nil, false
	}
	for _, b := range s[1 : 1+end] {
		if b < 0x20 && b != '\t' || b == 0x7f {
			// Control characters are invalid in TOML strings.
			return "", nil, false
		}
	}
	return string(s[1 : 1+end]), s[2+end:], true
}

// isBareKey reports whether b may appear in a TOML bare key.
func isBareKey(b byte) bool {
	return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_' || b == '-'
}

// trimSpace trims TOML whitespace (space, tab) from both ends of b, and
// the carriage return of a CRLF line end (checkBytes refused any other).
func trimSpace(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// indexByte is bytes.IndexByte (package early keeps its imports few).
func indexByte(b []byte, c byte) int {
	for i := range b {
		if b[i] == c {
			return i
		}
	}
	return -1
}

// hasPrefixBytes reports whether b starts with prefix.
func hasPrefixBytes(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}
