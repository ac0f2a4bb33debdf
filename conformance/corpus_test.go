package conformance

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestCorpusExternal runs both third-party corpora through every installed
// external verifier and requires the registry to explain every
// disagreement, with no stale entry. Set RPMPGP_CONFORMANCE_REPORT=FILE to
// keep the text report.
func TestCorpusExternal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs ~1000 external tool calls")
	}
	corpusDir := testutil.Corpus(t)
	rep, err := Run(context.Background(), Config{
		Corpus:   corpusDir,
		Backends: []string{},
		Jobs:     2,
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, rep, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("RPMPGP_CONFORMANCE_REPORT"); p != "" {
		os.WriteFile(p, buf.Bytes(), 0o644)
	}
	if rep.Failed {
		t.Errorf("conformance run failed:\n%s", buf.String())
	}
}
