package conformance

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"os"
	"strings"
)

//go:embed divergences.tsv
var defaultRegistry string

// DefaultRegistryName is how the embedded registry is named in reports.
const DefaultRegistryName = "conformance/divergences.tsv"

// Entry is one reviewed divergence: every cell whose case key ("source:id")
// matches Case and whose verifier matches Verifier is explained by Reason.
// Globs use '*' (any run of characters, '/' included) and '?'; Verifier
// may list several globs separated by commas.
type Entry struct {
	Case     string `json:"case"`
	Verifier string `json:"verifier"`
	Reason   string `json:"reason"`
	// Line is the entry's line in the registry file.
	Line int `json:"line"`
}

// Registry is the divergence registry: a TSV file with the columns case,
// verifier, reason ('#' comments, no blank fields).
type Registry struct {
	File    string  `json:"file"`
	Entries []Entry `json:"entries"`
}

// DefaultRegistry returns the registry embedded from conformance/divergences.tsv.
func DefaultRegistry() *Registry {
	r, err := ParseRegistry(strings.NewReader(defaultRegistry), DefaultRegistryName)
	if err != nil {
		panic("conformance: embedded divergences.tsv: " + err.Error())
	}
	return r
}

// LoadRegistry reads a registry file.
func LoadRegistry(path string) (*Registry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseRegistry(f, path)
}

// ParseRegistry parses registry text; name is used in messages.
func ParseRegistry(r io.Reader, name string) (*Registry, error) {
	reg := &Registry{File: name}
	sc := bufio.NewScanner(r)
	line := 0
	seen := map[string]int{}
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		f := strings.Split(t, "\t")
		if len(f) != 3 || f[0] == "" || f[1] == "" || strings.TrimSpace(f[2]) == "" {
			return nil, fmt.Errorf("%s:%d: want 3 non-empty tab-separated columns (case, verifier, reason)", name, line)
		}
		k := f[0] + "\t" + f[1]
		if prev, dup := seen[k]; dup {
			return nil, fmt.Errorf("%s:%d: duplicate of line %d", name, line, prev)
		}
		seen[k] = line
		reg.Entries = append(reg.Entries, Entry{Case: f[0], Verifier: f[1], Reason: strings.TrimSpace(f[2]), Line: line})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return reg, nil
}

// Match returns the first entry explaining (caseKey, verifier), or nil.
func (r *Registry) Match(caseKey, verifier string) *Entry {
	if i := r.matchIndex(caseKey, verifier); i >= 0 {
		return &r.Entries[i]
	}
	return nil
}

func (r *Registry) matchIndex(caseKey, verifier string) int {
	if r == nil {
		return -1
	}
	for i, e := range r.Entries {
		if e.matches(caseKey, verifier) {
			return i
		}
	}
	return -1
}

// matches reports whether the entry covers (caseKey, verifier); the
// verifier column may list several globs separated by commas.
func (e Entry) matches(caseKey, verifier string) bool {
	if !glob(e.Case, caseKey) {
		return false
	}
	for _, v := range strings.Split(e.Verifier, ",") {
		if glob(v, verifier) {
			return true
		}
	}
	return false
}

// glob matches s against pattern with '*' (any run, including '/') and '?'.
func glob(pattern, s string) bool {
	// Iterative wildcard matching with single-star backtracking.
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
