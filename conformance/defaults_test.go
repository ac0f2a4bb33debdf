package conformance

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

func TestResolveSources(t *testing.T) {
	root := testutil.RepoRoot()
	if got := SourceTree(filepath.Join(root, "conformance", "corpus")); got != root {
		t.Errorf("SourceTree from a subdirectory = %q, want %q", got, root)
	}
	outside := t.TempDir()
	if got := SourceTree(outside); got != "" {
		t.Errorf("SourceTree(%s) = %q", outside, got)
	}
	// Another module's go.mod is not the checkout.
	os.WriteFile(filepath.Join(outside, "go.mod"), []byte("module example.org/other\n"), 0o644)
	if got := SourceTree(outside); got != "" {
		t.Errorf("SourceTree of another module = %q", got)
	}

	// From a subdirectory of the checkout: its fixtures, the corpus beside it.
	var c Config
	warns, err := c.ResolveSources(SourceRequest{WorkDir: filepath.Join(root, "conformance"), CorpusEnv: ""})
	if err != nil || c.Fixtures != filepath.Join(root, "testdata", "fixtures.tsv") {
		t.Errorf("in the checkout: %+v %v %v", c, warns, err)
	}
	if want := filepath.Join(filepath.Dir(root), "shared", "corpus"); c.Corpus != want && (len(warns) != 1 || warns[0] != "corpus "+want+" not found: the third-party corpora are skipped (set --corpus or RPMPGP_CORPUS)") {
		t.Errorf("default corpus: %q, warnings %q", c.Corpus, warns)
	}
	// A package directory: just the packages, whatever the environment says.
	c = Config{PackageDir: outside}
	warns, err = c.ResolveSources(SourceRequest{WorkDir: root, CorpusEnv: "/nonexistent", CI: true})
	if err != nil || len(warns) != 0 || c.Fixtures != "" || c.Corpus != "" {
		t.Errorf("packages: %+v %q %v", c, warns, err)
	}
	// Outside a checkout with nothing asked: nothing to run.
	c = Config{}
	if _, err := c.ResolveSources(SourceRequest{WorkDir: outside}); !errors.Is(err, ErrNothingToRun) {
		t.Errorf("outside: %v", err)
	}
	// Asked for and missing: errors.
	for _, r := range []SourceRequest{{WorkDir: outside, Corpus: "/nonexistent"}, {WorkDir: outside, CorpusEnv: "/nonexistent"}} {
		c = Config{}
		if _, err := c.ResolveSources(r); err == nil || err.Error() != "corpus /nonexistent not found (set --corpus or RPMPGP_CORPUS to the shared corpus)" {
			t.Errorf("%+v: %v", r, err)
		}
	}
	c = Config{}
	if _, err := c.ResolveSources(SourceRequest{WorkDir: root, Fixtures: outside}); err == nil || err.Error() != "fixtures file "+outside+" not found" {
		t.Errorf("fixtures dir: %v", err)
	}
}
