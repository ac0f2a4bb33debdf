package conformance

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// modulePath is the Go module of the rpmpgp source tree.
const modulePath = "github.com/rpmpgp/rpmpgp"

// SourceTree returns the root of the rpmpgp source checkout that contains
// dir (dir itself or the nearest parent whose go.mod declares the rpmpgp
// module), or "" when dir is in none. `rpmpgp conformance` takes its
// default fixtures (<root>/testdata/fixtures.tsv) and corpus
// (<root>/../shared/corpus) from there, so that the defaults do not depend
// on which directory of the checkout it runs in, and do not exist at all
// for a user verifying their own packages elsewhere.
func SourceTree(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for range 64 { // bounded: no path is that deep
		if isRPMPGPModule(filepath.Join(dir, "go.mod")) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	return ""
}

// isRPMPGPModule reports whether the go.mod at path declares the rpmpgp
// module (its first lines are read, at most 64 KiB).
func isRPMPGPModule(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	sc := bufio.NewScanner(io.LimitReader(f, 64<<10))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "module"); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`) == modulePath
		}
	}
	return false
}

// DefaultFixtures returns the fixtures file of the source tree root.
func DefaultFixtures(root string) string { return filepath.Join(root, "testdata", "fixtures.tsv") }

// DefaultCorpus returns the shared corpus beside the source tree root.
func DefaultCorpus(root string) string {
	return filepath.Join(filepath.Dir(root), "shared", "corpus")
}

// SourceRequest is what a user asked of the fixtures and corpus sources.
type SourceRequest struct {
	// Fixtures and Corpus are --fixtures and --corpus ("" = not given).
	Fixtures, Corpus string
	// CorpusEnv is $RPMPGP_CORPUS.
	CorpusEnv string
	// WorkDir is where the defaults are looked for (the current directory).
	WorkDir string
	// CI makes a missing default corpus an error.
	CI bool
}

// ErrNothingToRun is returned by [Config.ResolveSources] when no source is
// configured.
var ErrNothingToRun = errors.New("nothing to run: give --packages DIR --keyring FILE|DIR, --fixtures FILE or --corpus DIR (the defaults exist only inside an rpmpgp source checkout)")

// ResolveSources sets c.Fixtures and c.Corpus from r. Explicit values
// (Fixtures, Corpus, CorpusEnv) must exist. With a package directory only
// the explicit flags add sources (CorpusEnv too is ignored: a user
// comparing their packages gets just their packages). Otherwise the
// defaults come from the [SourceTree] containing WorkDir: its fixtures,
// and the shared corpus beside it, which is only a warning when missing
// (an error under CI).
func (c *Config) ResolveSources(r SourceRequest) (warnings []string, err error) {
	fixtures, corpus := r.Fixtures, r.Corpus
	corpusAsked := corpus != ""
	if c.PackageDir == "" {
		tree := SourceTree(r.WorkDir)
		if fixtures == "" && tree != "" {
			fixtures = DefaultFixtures(tree)
		}
		switch {
		case corpusAsked:
		case r.CorpusEnv != "":
			corpus, corpusAsked = r.CorpusEnv, true
		case tree != "":
			corpus = DefaultCorpus(tree)
		}
	}
	if fixtures != "" {
		if st, err := os.Stat(fixtures); err != nil || st.IsDir() {
			return nil, fmt.Errorf("fixtures file %s not found", fixtures)
		}
		c.Fixtures = fixtures
	}
	if corpus != "" {
		if st, err := os.Stat(corpus); err == nil && st.IsDir() {
			c.Corpus = corpus
		} else if corpusAsked || r.CI {
			// A corpus that was asked for or a CI run must not pass by
			// running nothing.
			return nil, fmt.Errorf("corpus %s not found (set --corpus or RPMPGP_CORPUS to the shared corpus)", corpus)
		} else {
			warnings = append(warnings, fmt.Sprintf("corpus %s not found: the third-party corpora are skipped (set --corpus or RPMPGP_CORPUS)", corpus))
		}
	}
	if c.PackageDir == "" && c.Fixtures == "" && c.Corpus == "" {
		return nil, ErrNothingToRun
	}
	return warnings, nil
}
