package policyconf

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
)

// This file implements the sequoia-policy-config format as
// sequoia-policy-config 0.8.0 reads it (src/lib.rs parse_bytes), with the
// asymmetric names of newer sequoia-openpgp releases added (names.go). The
// order of the checks follows the reference, so that a file with several
// mistakes reports the same one first: the top-level keys, then the sections
// in the order hash, asymmetric, symmetric, aead, packets; inside a section
// its keys, its default_disposition, then each key in sorted order (toml
// 0.5's tables are BTreeMaps).

// ParseError is the error [Parse] returns. Its text is
// "<file>: <key path>: <what was expected>", for example
// `policy.toml: hash_algorithms.sha1: expected "always", "never" or a date, got 42`;
// a TOML syntax error reads "<file>: line L, column C: invalid TOML: ...".
type ParseError struct {
	// File is the name given to Parse (a path or a variable).
	File string
	// Path is the dotted key path the error is about ("hash_algorithms.sha1"),
	// or "" when it is about the file as a whole.
	Path string
	// Line and Column locate a TOML syntax error (1-based); 0 otherwise.
	Line, Column int
	// Msg says what was expected and what was found.
	Msg string
	// Err is the underlying cause, if any (a *toml.DecodeError for
	// invalid TOML).
	Err error
}

// Error implements error.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d, column %d", e.Line, e.Column)
	}
	if e.Path != "" {
		b.WriteString(": ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *ParseError) Unwrap() error { return e.Err }

// expectedCutoff is the "what was expected" part of every bad-value error.
const expectedCutoff = `expected "always", "never" or a date`

// Parse reads a sequoia-policy-config file's contents (name is the file name
// or variable, for error messages) on top of [Default]. The policy is applied
// only if the whole file is valid; any mistake is a *[ParseError].
//
// The format (sequoia-policy-config 0.8): a TOML document with the optional
// sections hash_algorithms, asymmetric_algorithms, symmetric_algorithms,
// aead_algorithms and packets, each mapping names to cutoffs ("always",
// "never", an RFC 3339 date-time with offset, or a date). A key may also be a
// table with default_disposition and, for hashes, collision_resistance and
// second_preimage_resistance, or, for versioned packets, vN. A section's
// default_disposition = "never" first rejects everything in that section.
// ignore_invalid (a string or an array of strings) at the top level, in a
// section or in a key table allows the names it lists at that level; names
// this parser does not know are then skipped without looking at their value.
// Unknown names are errors otherwise.
func Parse(name string, data []byte) (*Policy, error) {
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("invalid TOML: the file is not valid UTF-8 (byte offset %d)", off)}
	}
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		pe := &ParseError{File: name, Msg: "invalid TOML: " + strings.TrimPrefix(err.Error(), "toml: "), Err: err}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			pe.Line, pe.Column = de.Position()
		}
		return nil, pe
	}
	st := &staging{file: name, p: Default()}
	if err := st.apply(doc); err != nil {
		return nil, err
	}
	st.p.Source = name
	return st.p, nil
}

// Check reports whether data is a valid policy file, as
// `sequoia-policy-config-check FILE` does: nil, or the error [Parse] returns.
func Check(name string, data []byte) error {
	_, err := Parse(name, data)
	return err
}

// staging is a policy being built; Parse returns it only when the whole
// document has been applied without error.
type staging struct {
	file string
	p    *Policy
}

func (st *staging) errorf(path, format string, args ...any) error {
	return &ParseError{File: st.file, Path: path, Msg: fmt.Sprintf(format, args...)}
}

// sectionSpec describes one section: its names and, for keys written as
// tables, the sub-keys each name takes besides default_disposition.
type sectionSpec struct {
	names   []string
	subKeys func(name string) []string
	setAll  func(c *time.Time)                   // default_disposition = "never"
	setOne  func(name string, c *time.Time)      // scalar or key.default_disposition
	setSub  func(name, sub string, c *time.Time) // a sub-key
}

func (st *staging) specs() map[string]*sectionSpec {
	p := st.p
	none := func(string) []string { return nil }
	setAllIn := func(m map[string]*time.Time, names []string) func(*time.Time) {
		return func(c *time.Time) {
			for _, n := range names {
				m[n] = dup(c)
			}
			for n := range m {
				m[n] = dup(c)
			}
		}
	}
	setIn := func(m map[string]*time.Time) func(string, *time.Time) {
		return func(n string, c *time.Time) { m[n] = c }
	}
	return map[string]*sectionSpec{
		secHash: {
			names:   hashNames,
			subKeys: func(string) []string { return []string{keySPR, keyCR} },
			setAll: func(c *time.Time) {
				setAllIn(p.HashCR, hashNames)(c)
				setAllIn(p.HashSPR, hashNames)(c)
			},
			setOne: func(n string, c *time.Time) { p.HashCR[n] = c; p.HashSPR[n] = dup(c) },
			setSub: func(n, sub string, c *time.Time) {
				if sub == keyCR {
					p.HashCR[n] = c
				} else {
					p.HashSPR[n] = c
				}
			},
		},
		secAsymmetric: {names: asymmetricNames, subKeys: none, setAll: setAllIn(p.Asymmetric, asymmetricNames), setOne: setIn(p.Asymmetric)},
		secSymmetric:  {names: symmetricNames, subKeys: none, setAll: setAllIn(p.Symmetric, symmetricNames), setOne: setIn(p.Symmetric)},
		secAEAD:       {names: aeadNames, subKeys: none, setAll: setAllIn(p.AEAD, aeadNames), setOne: setIn(p.AEAD)},
		secPackets: {
			names: packetNames,
			subKeys: func(n string) []string {
				var ks []string
				for _, v := range packetVersions[n] {
					ks = append(ks, "v"+strconv.Itoa(v))
				}
				return ks
			},
			// reject_packet_tag_at for every tag: also drops every
			// per-version cutoff.
			setAll: func(c *time.Time) {
				setAllIn(p.Packets, packetNames)(c)
				p.PacketVersions = map[string]map[int]*time.Time{}
			},
			// reject_packet_tag_at: sets the tag's cutoff and drops its
			// per-version cutoffs (including the built-in signature.v3/v5).
			setOne: func(n string, c *time.Time) {
				p.Packets[n] = c
				delete(p.PacketVersions, n)
			},
			setSub: func(n, sub string, c *time.Time) {
				v, _ := strconv.Atoi(strings.TrimPrefix(sub, "v"))
				if p.PacketVersions == nil {
					p.PacketVersions = map[string]map[int]*time.Time{}
				}
				if p.PacketVersions[n] == nil {
					p.PacketVersions[n] = map[int]*time.Time{}
				}
				p.PacketVersions[n][v] = c
			},
		},
	}
}

func (st *staging) apply(doc map[string]any) error {
	if err := st.checkKeys("", doc, sectionNames, "section"); err != nil {
		return err
	}
	specs := st.specs()
	for _, sec := range sectionNames {
		raw, ok := doc[sec]
		if !ok {
			continue
		}
		m, ok := raw.(map[string]any)
		if !ok {
			return st.errorf(sec, "expected a table, got %s", describe(raw))
		}
		if err := st.applySection(sec, m, specs[sec]); err != nil {
			return err
		}
	}
	return nil
}

func (st *staging) applySection(sec string, m map[string]any, spec *sectionSpec) error {
	known := append(append([]string(nil), spec.names...), keyDefaultDisposition)
	if err := st.checkKeys(sec, m, known, "key"); err != nil {
		return err
	}
	// default_disposition first, wherever it appears.
	if dd, ok := m[keyDefaultDisposition]; ok {
		if s, ok := dd.(string); !ok || s != "never" {
			return st.errorf(joinPath(sec, keyDefaultDisposition),
				`expected "never" (the only value a section's default_disposition takes), got %s`, describe(dd))
		}
		spec.setAll(neverCutoff())
	}
	for _, k := range sortedKeys(m) {
		if k == keyDefaultDisposition || !contains(spec.names, k) {
			// ignore_invalid itself, or a name it lists that is unknown:
			// skipped without looking at the value.
			continue
		}
		path := joinPath(sec, k)
		switch v := m[k].(type) {
		case map[string]any:
			subs := spec.subKeys(k)
			if err := st.checkKeys(path, v, append(append([]string(nil), subs...), keyDefaultDisposition), "key"); err != nil {
				return err
			}
			type set struct {
				sub string
				c   *time.Time
			}
			var dd *set
			if raw, ok := v[keyDefaultDisposition]; ok {
				c, err := st.cutoff(joinPath(path, keyDefaultDisposition), raw)
				if err != nil {
					return err
				}
				dd = &set{keyDefaultDisposition, c}
			}
			var props []set
			for _, sub := range subs {
				raw, ok := v[sub]
				if !ok {
					continue
				}
				c, err := st.cutoff(joinPath(path, sub), raw)
				if err != nil {
					return err
				}
				props = append(props, set{sub, c})
			}
			if dd != nil {
				spec.setOne(k, dd.c)
			}
			for _, s := range props {
				spec.setSub(k, s.sub, s.c)
			}
		default:
			c, err := st.cutoff(path, v)
			if err != nil {
				return err
			}
			spec.setOne(k, c)
		}
	}
	return nil
}

// checkKeys reports an error if m has a key that is neither known nor
// listed in m's ignore_invalid (check_sections in the reference). what names
// the kind of key for the message ("section" or "key").
func (st *staging) checkKeys(path string, m map[string]any, known []string, what string) error {
	allowed := map[string]bool{}
	for _, k := range known {
		allowed[k] = true
	}
	if ii, ok := m[keyIgnoreInvalid]; ok {
		iiPath := joinPath(path, keyIgnoreInvalid)
		allowed[keyIgnoreInvalid] = true
		switch x := ii.(type) {
		case string:
			allowed[x] = true
		case []any:
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return st.errorf(iiPath, "expected a string or an array of strings, got an array containing %s", describe(e))
				}
				allowed[s] = true
			}
		default:
			return st.errorf(iiPath, "expected a string or an array of strings, got %s", describe(ii))
		}
	}
	var unknown []string
	for _, k := range sortedKeys(m) {
		if !allowed[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	msg := "unknown " + what
	if len(unknown) > 1 {
		quoted := make([]string, len(unknown)-1)
		for i, k := range unknown[1:] {
			quoted[i] = quoteKey(k)
		}
		msg += " (also unknown: " + strings.Join(quoted, ", ") + ")"
	}
	where := "ignore_invalid"
	if path != "" {
		where = path + ".ignore_invalid"
	}
	msg += fmt.Sprintf("; expected one of: %s (or a name listed in %s)", strings.Join(known, ", "), where)
	return st.errorf(joinPath(path, unknown[0]), "%s", msg)
}

// cutoff converts a TOML value to a cutoff (parse_time in the reference:
// a string or any TOML date-time, converted to its string form).
func (st *staging) cutoff(path string, v any) (*time.Time, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case time.Time:
		// An offset date-time: always valid RFC 3339.
		return clampCutoff(x), nil
	case toml.LocalDate:
		s = x.String()
	case toml.LocalDateTime:
		return nil, st.errorf(path, "%s, got local date-time %s (a date-time needs a UTC offset, e.g. %sZ)", expectedCutoff, x.String(), x.String())
	case toml.LocalTime:
		return nil, st.errorf(path, "%s, got local time %s", expectedCutoff, x.String())
	default:
		return nil, st.errorf(path, "%s, got %s", expectedCutoff, describe(v))
	}
	if c, ok := ParseCutoff(s); ok {
		return c, nil
	}
	hint := ""
	switch l := strings.ToLower(s); {
	case l == "always" || l == "never":
		hint = ` ("always" and "never" are case-sensitive)`
	default:
		if _, ok := parseRFC3339Chrono(s + "Z"); ok {
			hint = " (a date-time needs a UTC offset, e.g. " + strconv.Quote(s+"Z") + ")"
		}
	}
	return nil, st.errorf(path, "%s, got %s%s", expectedCutoff, describe(v), hint)
}

// dup copies a cutoff so that no two policy entries share a *time.Time.
func dup(c *time.Time) *time.Time {
	if c == nil {
		return nil
	}
	t := *c
	return &t
}

// describe renders a TOML value for an error message.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		switch {
		case math.IsInf(x, 1):
			return "inf"
		case math.IsInf(x, -1):
			return "-inf"
		case math.IsNaN(x):
			return "nan"
		}
		f := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(f, ".e") {
			f += ".0"
		}
		return f
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return "offset date-time " + x.Format(time.RFC3339Nano)
	case toml.LocalDate:
		return "local date " + x.String()
	case toml.LocalDateTime:
		return "local date-time " + x.String()
	case toml.LocalTime:
		return "local time " + x.String()
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%v", v)
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// quoteKey writes k as TOML would: bare if it only has A-Za-z0-9_-,
// otherwise as a quoted string.
func quoteKey(k string) string {
	if k == "" {
		return `""`
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return strconv.Quote(k)
		}
	}
	return k
}

func joinPath(path, k string) string {
	if path == "" {
		return quoteKey(k)
	}
	return path + "." + quoteKey(k)
}
