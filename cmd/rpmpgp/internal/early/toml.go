package early

// parseConfig reads the settings of one config file into s (values found
// override s's, as viper's MergeInConfig does) and reports whether it
// understood the whole file. It follows a strict subset of TOML 1.0, the
// subset rpmpgp's documented config uses:
//
//	# comment
//	key = "basic string"   # no escapes
//	key = 'literal string'
//	key = 60               # numbers and booleans, for keys it ignores
//	[table]
//	[table.sub]
//
// Keys are bare and matched without case, as viper does. Anything else
// (escapes, multi-line strings, arrays, inline tables, dotted or quoted
// keys, a key twice) is not understood, and neither is a file that pins
// checksums ([plugins.checksums]): a pinned backend may run only after
// core/plugin checked it, so it is never started early.
func parseConfig(data []byte, s *settings) bool {
	table := ""
	seen := map[string]bool{}
	for len(data) > 0 {
		line := data
		if i := indexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		l := trimSpace(stripComment(line))
		if len(l) == 0 {
			continue
		}
		if l[0] == '[' {
			name, ok := tableName(l)
			if !ok {
				return false
			}
			table = name
			continue
		}
		eq := indexByte(l, '=')
		if eq < 0 {
			return false
		}
		key := lower(trimSpace(l[:eq]))
		if !bareKey(key) || seen[table+"."+key] || key == "checksums" || pinTable(table) {
			return false
		}
		seen[table+"."+key] = true
		value, isString, ok := parseValue(trimSpace(l[eq+1:]))
		if !ok {
			return false
		}
		if table != "" {
			continue
		}
		var dst *string
		switch key {
		case "backend":
			dst = &s.backend
		case "plugin_dir":
			dst = &s.pluginDir
		case "fips":
			dst = &s.fips
		default:
			continue
		}
		if !isString {
			return false
		}
		*dst = value
	}
	return true
}

// pinTable reports whether a table holds (or is below) viper's
// plugins.checksums.
func pinTable(table string) bool {
	const pins = "plugins.checksums"
	return table == pins || len(table) > len(pins) && table[:len(pins)+1] == pins+"."
}

// stripComment drops a '#' comment outside quotes (and a final '\r').
func stripComment(line []byte) []byte {
	var quote byte
	for i, c := range line {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			return line[:i]
		}
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		return line[:n-1]
	}
	return line
}

// tableName parses "[a]" or "[a.b]" with bare, lower-cased parts.
func tableName(l []byte) (string, bool) {
	if len(l) < 3 || l[len(l)-1] != ']' || l[1] == '[' {
		return "", false
	}
	name := lower(l[1 : len(l)-1])
	start := 0
	for i := 0; i <= len(name); i++ {
		if i == len(name) || name[i] == '.' {
			if !bareKey(name[start:i]) {
				return "", false
			}
			start = i + 1
		}
	}
	return name, true
}

// parseValue parses a one-line string without escapes, or a bare number or
// boolean; nothing may follow it.
func parseValue(v []byte) (value string, isString, ok bool) {
	if len(v) == 0 {
		return "", false, false
	}
	if q := v[0]; q == '"' || q == '\'' {
		if len(v) < 2 || v[len(v)-1] != q {
			return "", false, false
		}
		body := v[1 : len(v)-1]
		for _, c := range body {
			if c == q || c == '\\' || c < 0x20 || c == 0x7f {
				return "", false, false
			}
		}
		return string(body), true, true
	}
	for _, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '+' || c == '-' || c == ':') {
			return "", false, false
		}
	}
	return string(v), false, true
}

// bareKey reports whether k is a non-empty TOML bare key.
func bareKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// lower lower-cases ASCII letters.
func lower(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return string(out)
}

// trimSpace trims spaces and tabs.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// indexByte is bytes.IndexByte.
func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
