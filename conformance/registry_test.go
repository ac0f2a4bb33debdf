package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/casefile"
)

// fakeVerifier answers from a table (case id -> verdict).
type fakeVerifier struct {
	name     string
	profile  core.Profile
	verdicts map[string]string
}

func (f fakeVerifier) Name() string                 { return f.name }
func (f fakeVerifier) Profile() core.Profile        { return f.profile }
func (f fakeVerifier) Supports(c *corpus.Case) bool { return c.Kind == corpus.KindSigParse }
func (f fakeVerifier) Run(_ context.Context, c *corpus.Case) Outcome {
	return Outcome{Verdict: f.verdicts[c.ID], ExitCode: -1, Detail: "fake " + c.ID}
}

// runFake runs two sigparse cases (a: OK, b: parse-fail expected) with a
// verifier that gets b wrong, under the given registry text.
func runFake(t *testing.T, registry string) *Report {
	t.Helper()
	dir := t.TempDir()
	fx := filepath.Join(dir, "fixtures.tsv")
	os.WriteFile(fx, []byte(strings.Join(casefile.Header, "\t")+"\n"+
		"a\tsigparse\ts.pgp\t-\tOK\tOK\t-\t-\n"+
		"b\tsigparse\ts.pgp\t-\tparse-fail\tparse-fail\t-\t-\n"), 0o644)
	reg := filepath.Join(dir, "div.tsv")
	os.WriteFile(reg, []byte(registry), 0o644)
	rep, err := Run(context.Background(), Config{
		Fixtures: fx, Registry: reg, Backends: []string{}, External: []string{}, Jobs: 2,
		Verifiers: []Verifier{fakeVerifier{"fake", core.ProfileStrict, map[string]string{"a": "OK", "b": "OK"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	rep.Started, rep.Duration = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), 0
	return rep
}

func TestRegistryRules(t *testing.T) {
	t.Run("new divergence fails", func(t *testing.T) {
		rep := runFake(t, "# empty\n")
		c := rep.Cases[1].Cells[0]
		if !rep.Failed || rep.Summary.Unexplained != 1 || c.Status != StatusUnexplained ||
			c.Problems[0] != "verdict: want parse-fail, got OK" || rep.Cases[0].Cells[0].Status != StatusAgree {
			t.Errorf("report %+v cell %+v", rep.Summary, c)
		}
	})
	t.Run("explained passes", func(t *testing.T) {
		rep := runFake(t, "fixtures:b\tfake,other\tfake accepts everything\n")
		c := rep.Cases[1].Cells[0]
		if rep.Failed || c.Status != StatusExplained || c.Reason != "fake accepts everything" || c.RegistryLine != 1 ||
			rep.Summary != (Summary{Cases: 2, Agreements: 1, ExpectedDivergences: 1}) {
			t.Errorf("summary %+v cell %+v", rep.Summary, c)
		}
	})
	t.Run("stale entry fails", func(t *testing.T) {
		rep := runFake(t, "fixtures:b\tfake\treason\nfixtures:a\tf*\tno longer diverges\nrpm-testsuite:*\tfake\tnever run\n")
		if !rep.Failed || rep.Summary.StaleEntries != 1 || rep.Stale[0].Line != 2 || rep.Summary.Failures != 1 ||
			len(rep.Unexercised) != 1 || rep.Unexercised[0].Line != 3 {
			t.Errorf("summary %+v stale %+v unexercised %+v", rep.Summary, rep.Stale, rep.Unexercised)
		}
	})
	t.Run("malformed registry", func(t *testing.T) {
		if _, err := ParseRegistry(strings.NewReader("a\tb\n"), "r.tsv"); err == nil || !strings.Contains(err.Error(), "r.tsv:1: want 3") {
			t.Errorf("err %v", err)
		}
	})
	t.Run("embedded registry parses", func(t *testing.T) {
		if n := len(DefaultRegistry().Entries); n < 20 {
			t.Errorf("embedded registry has %d entries", n)
		}
	})
}

func TestReportJSON(t *testing.T) {
	rep := runFake(t, "fixtures:b\tfake\tfake accepts everything\n")
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["schema"] != "rpmpgp-conformance/v1" || doc["failed"] != false {
		t.Errorf("schema/failed: %v %v", doc["schema"], doc["failed"])
	}
	sum := doc["summary"].(map[string]any)
	if sum["cases"] != 2.0 || sum["agreements"] != 1.0 || sum["expected_divergences"] != 1.0 || sum["failures"] != 0.0 {
		t.Errorf("summary %v", sum)
	}
	cell := doc["cases"].([]any)[1].(map[string]any)["cells"].([]any)[0].(map[string]any)
	if cell["status"] != "explained" || cell["reason"] != "fake accepts everything" || cell["outcome"].(map[string]any)["verdict"] != "OK" {
		t.Errorf("cell %v", cell)
	}
}

func TestReportText(t *testing.T) {
	rep := runFake(t, "fixtures:b\tfake\tfake accepts everything\n")
	var buf bytes.Buffer
	if err := WriteText(&buf, rep, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := `rpmpgp conformance (rpmpgp-conformance/v1)
  fake             backend  strict  available
  source fixtures            2 cases  FIX

CASE        fake
fixtures:a  OK
fixtures:b  OK~

EXPLAINED fixtures:b / fake: got OK, expected parse-fail
      verdict: want parse-fail, got OK
      reason (registry line 1): fake accepts everything

2 cases (0 not applicable): 1 agreements, 1 expected divergences, 0 failures (0 unexplained, 0 stale entries), 0 errors, 0 without expectation
PASS
`
	got := strings.Replace(buf.String(), rep.Sources[0].File, "FIX", 1)
	if got != want {
		t.Errorf("text report:\n%s\nwant:\n%s", got, want)
	}
	buf.Reset()
	WriteText(&buf, rep, TextOptions{Color: true, OnlyDisagreements: true})
	if !strings.Contains(buf.String(), "\x1b[33mOK~\x1b[0m") || strings.Contains(buf.String(), "fixtures:a ") {
		t.Errorf("colour/only-disagreements output:\n%q", buf.String())
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		ok   bool
	}{
		{"*", "a/b:c", true}, {"openpgp-vectors/*:IS-*-t0", "openpgp-vectors/interop-suite:IS-REVOKED-x-t0", true},
		{"openpgp-vectors/*:IS-*-t0", "openpgp-vectors/interop-suite:IS-REVOKED-x-t1", false},
		{"sq?", "sqv", true}, {"sq?", "sqop", false}, {"a*b*c", "abbbc", true}, {"a*b*c", "acb", false}, {"", "", true},
	} {
		if got := glob(tc.p, tc.s); got != tc.ok {
			t.Errorf("glob(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}
