package corpus

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

var manifestHeader = []string{"case_id", "kind", "sig", "data", "certs", "expected", "upstream_says", "basis", "observed", "notes", "source_path"}

// ReadManifest reads one openpgp-vectors MANIFEST.tsv (columns documented
// in shared/corpus/openpgp-vectors/README.md). Detached and cert rows become
// runnable cases; inline and cleartext rows are kept with NotApplicable set
// so reports list them instead of dropping them. Paths are resolved relative
// to the manifest's folder; source is "openpgp-vectors/<folder>".
func ReadManifest(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dir := filepath.Dir(path)
	source := SourceVectors + "/" + filepath.Base(dir)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var cases []Case
	line, header := 0, false
	seen := map[string]bool{}
	for sc.Scan() {
		line++
		text := sc.Text()
		if strings.HasPrefix(text, "#") || text == "" {
			continue
		}
		if !header {
			if text != strings.Join(manifestHeader, "\t") {
				return nil, fmt.Errorf("%s:%d: not the MANIFEST.tsv header", path, line)
			}
			header = true
			continue
		}
		c, err := parseManifestRow(dir, text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if seen[c.ID] {
			return nil, fmt.Errorf("%s:%d: duplicate case_id %q", path, line, c.ID)
		}
		seen[c.ID] = true
		c.Source, c.File, c.Line = source, path, line
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !header {
		return nil, fmt.Errorf("%s: no header line", path)
	}
	return cases, nil
}

func parseManifestRow(dir, text string) (Case, error) {
	f := strings.Split(text, "\t")
	if len(f) != len(manifestHeader) {
		return Case{}, fmt.Errorf("%d columns, want %d", len(f), len(manifestHeader))
	}
	c := Case{ID: f[0], Kind: Kind(f[1]), Expected: f[5], UpstreamSays: dash(f[6]), Notes: dash(f[9])}
	switch c.Expected {
	case ExpectValid, ExpectInvalid, ExpectRejectMalformed, ExpectLegacyWeak:
	default:
		return c, fmt.Errorf("unknown expected %q", f[5])
	}
	if f[4] != "-" && f[4] != "" {
		for _, p := range strings.Split(f[4], ";") {
			c.Keyring = append(c.Keyring, joinPath(dir, p))
		}
	}
	switch c.Kind {
	case KindDetached:
		c.Input = joinPath(dir, f[2])
		d, err := parseData(dir, f[3])
		if err != nil {
			return c, err
		}
		c.Data = &d
	case KindCert:
		if len(c.Keyring) == 0 {
			return c, fmt.Errorf("cert row without certs")
		}
	case KindInline, KindCleartext:
		c.Input = joinPath(dir, f[2])
		c.NotApplicable = fmt.Sprintf("%s messages are not part of rpm's API (rpm verifies only detached signatures over headers and payloads)", c.Kind)
	default:
		return c, fmt.Errorf("unknown kind %q", f[1])
	}
	obs, err := parseObserved(f[8])
	if err != nil {
		return c, err
	}
	c.Observed = obs
	return c, nil
}

// parseObserved parses "sqv=0 sqop=3 ..." ("-" = none).
func parseObserved(s string) (map[string]int, error) {
	if s == "-" || s == "" {
		return nil, nil
	}
	out := map[string]int{}
	for _, p := range strings.Fields(s) {
		k, v, ok := strings.Cut(p, "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil {
			return nil, fmt.Errorf("bad observed field %q", p)
		}
		out[k] = n
	}
	return out, nil
}

// ReadVectors reads every <root>/*/MANIFEST.tsv, folders in name order.
func ReadVectors(root string) ([]Case, error) {
	paths, err := filepath.Glob(filepath.Join(root, "*", "MANIFEST.tsv"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no */MANIFEST.tsv", root)
	}
	sort.Strings(paths)
	var all []Case
	for _, p := range paths {
		cs, err := ReadManifest(p)
		if err != nil {
			return nil, err
		}
		all = append(all, cs...)
	}
	return all, nil
}
