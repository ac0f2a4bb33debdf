package settings

import (
	"encoding/hex"
	"fmt"
	"maps"
	"slices"

	"github.com/pelletier/go-toml/v2"

	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/internal/readlimit"
)

// maxConfigFile bounds a config file; it is read through this limit, never
// trusted from stat (a device or a FIFO has no size).
const maxConfigFile = 1 << 20

// configKeys are the keys a config file may set at its top level, with the
// TOML type each takes ("string", "bool", "strings" or "table"): those of
// the table of settings (keys.go).
var configKeys = func() map[string]string {
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		m[k.Name] = k.Type
	}
	return m
}()

// pluginsKeys are the keys of the [plugins] table.
var pluginsKeys = map[string]string{"checksums": "table"}

// knownBackends are the backends rpmpgp ships; a key of [plugins.checksums]
// close to one of them but not equal is a typo that would leave the
// intended backend unpinned.
var knownBackends = []string{"gocrypto", "internal-legacy", "openssl"}

// Values of pins.
const (
	PinsOptional = "optional" // the default: backends without a pin run unchecked
	PinsRequired = "required" // a backend without a pin is refused
)

// ReadFile reads and checks one config file: it must be valid TOML of
// at most maxConfigFile bytes and use only known keys, each of its type.
// An unknown key is an error naming it and, when one is close, the key
// that was probably meant (a mistyped [plugins.checksums] would otherwise
// switch pinning off without a word).
func ReadFile(path string) (map[string]any, error) {
	data, err := readlimit.File(path, maxConfigFile)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	var m map[string]any
	if err := toml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("reading config %s: %w", path, err)
	}
	if m == nil {
		m = map[string]any{}
	}
	if err := checkConfig(m); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return m, nil
}

// checkConfig checks the keys, types and values of a parsed config file.
func checkConfig(m map[string]any) error {
	if err := checkTable("", m, configKeys); err != nil {
		return err
	}
	if p, ok := m["pins"].(string); ok && p != PinsOptional && p != PinsRequired {
		return fmt.Errorf("pins = %q: expected %q or %q", p, PinsRequired, PinsOptional)
	}
	plugins, _ := m["plugins"].(map[string]any)
	if err := checkTable("plugins.", plugins, pluginsKeys); err != nil {
		return err
	}
	sums, _ := plugins["checksums"].(map[string]any)
	for _, name := range slices.Sorted(maps.Keys(sums)) {
		key := "plugins.checksums." + name
		if !slices.Contains(knownBackends, name) {
			if near := closest(name, knownBackends); near != "" {
				return fmt.Errorf("unknown backend %q in [plugins.checksums] (did you mean %q?)", name, near)
			}
			if !plugin.ValidName(name) {
				return fmt.Errorf("%s: invalid backend name", key)
			}
		}
		s, ok := sums[name].(string)
		if !ok {
			return fmt.Errorf("%s: expected a string, got %s", key, typeName(tomlType(sums[name])))
		}
		if sum, err := hex.DecodeString(s); err != nil || len(sum) != 32 {
			return fmt.Errorf("%s = %q: expected a hex SHA-256 (64 hex digits)", key, s)
		}
	}
	return nil
}

// checkTable checks that every key of m is in known with its type; prefix
// is the dotted path of m ("" at the top).
func checkTable(prefix string, m map[string]any, known map[string]string) error {
	var all []string
	for k := range configKeys {
		all = append(all, k)
	}
	all = append(all, "plugins.checksums")
	for _, k := range slices.Sorted(maps.Keys(m)) {
		typ, ok := known[k]
		if !ok {
			return unknownKey(prefix+k, m[k], all)
		}
		if got := tomlType(m[k]); got != typ {
			return fmt.Errorf("%s: expected %s, got %s", prefix+k, typeName(typ), typeName(got))
		}
	}
	return nil
}

// unknownKey is the error for an unknown key or section; a section whose
// only entry is a table is named by its full dotted path, so that
// [plugin.checksums] suggests "plugins.checksums".
func unknownKey(key string, v any, all []string) error {
	what := "key"
	if t, ok := v.(map[string]any); ok {
		what = "section"
		if len(t) == 1 {
			for k, sub := range t {
				if _, isTable := sub.(map[string]any); isTable {
					key += "." + k
				}
			}
		}
	}
	msg := fmt.Sprintf("unknown %s %q", what, key)
	if near := closest(key, all); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return fmt.Errorf("%s", msg)
}

// tomlType names the kind of a decoded TOML value as configKeys does.
func tomlType(v any) string {
	switch v := v.(type) {
	case string:
		return "string"
	case bool:
		return "bool"
	case map[string]any:
		return "table"
	case []any:
		for _, e := range v {
			if _, ok := e.(string); !ok {
				return "array"
			}
		}
		return "strings"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// typeName spells a configKeys type for an error message.
func typeName(typ string) string {
	switch typ {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "strings":
		return "an array of strings"
	case "array":
		return "an array"
	case "table":
		return "a table (section)"
	case "int64":
		return "an integer"
	case "float64":
		return "a float"
	}
	return "a " + typ
}
