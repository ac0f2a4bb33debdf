package settings

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/rpmpgp/rpmpgp/internal/readlimit"
)

// Source says which source set the dotted key ("backend",
// "plugins.checksums.openssl"), in the precedence of [Load] and the table
// of settings (keys.go): the key's flag when given, a variable of its
// environment where that ranks over the files (or, for the crypto policy,
// the variable rpm-sequoia's search takes where no file or flag names a
// policy; $RPMPGP_PLUGIN_DIR always, its directories being searched
// first), else the last config file that has the key (with its line, 0
// when not found), else "" (the default or unset). source is "flag",
// "env" or "file"; from names the flag ("--backend"), the variable
// ("RPMPGP_FIPS") or the file. The system config is the file of a key it
// locks under an explicit --config that leaves the key out. A key outside
// the table has no source.
func (s *Settings) Source(key string) (source, from string, line int) {
	k, ok := LookupKey(key)
	if !ok {
		return "", "", 0
	}
	paths, files := s.ConfigFiles, s.files
	if s.held != nil {
		paths = append([]string{SystemConfig}, paths...)
		files = append([]map[string]any{s.held}, files...)
	}
	switch kind, name, i := k.origin(key, s.flags, files); kind {
	case fromFlag:
		return kind, "--" + name, 0
	case fromEnv:
		return kind, name, 0
	case fromFile:
		return kind, paths[i], keyLine(paths[i], key)
	}
	return "", "", 0
}

// valueOf returns the value the parsed config m gives the dotted key.
func valueOf(m map[string]any, key string) (any, bool) {
	parts := strings.Split(key, ".")
	for i, p := range parts {
		v, ok := m[p]
		if !ok {
			return nil, false
		}
		if i == len(parts)-1 {
			return v, true
		}
		if m, ok = v.(map[string]any); !ok {
			return nil, false
		}
	}
	return nil, false
}

// keyLine returns the line of the TOML file path that sets the dotted key
// (key = ..., or a dotted or quoted key under its [table]), or 0.
func keyLine(path, key string) int {
	data, err := readlimit.File(path, maxConfigFile)
	if err != nil {
		return 0
	}
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxConfigFile)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(l, "[") && !strings.HasPrefix(l, "[[") {
			if end := strings.Index(l, "]"); end > 0 {
				table = normKey(l[1:end])
			}
			continue
		}
		lhs, _, ok := strings.Cut(l, "=")
		if !ok || strings.HasPrefix(l, "#") {
			continue
		}
		full := normKey(lhs)
		if table != "" {
			full = table + "." + full
		}
		if full == key {
			return n
		}
	}
	return 0
}

// normKey removes the spaces and quotes of a TOML dotted key.
func normKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}
