package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestConformanceJSONSchema: `conformance --output json` (and -o json, and
// the alias --json) over the demo packages with gocrypto, and over the
// project's fixtures, is one object valid against
// docs/schema/rpmpgp-conformance-v1.json with one row per case and one
// cell per verifier; -o with another value is a usage error (254).
func TestConformanceJSONSchema(t *testing.T) {
	t.Parallel()
	sch := compileSchema(t, filepath.Join(testutil.RepoRoot(), "docs", "schema", "rpmpgp-conformance-v1.json"))
	demo := filepath.Join(testutil.Fixtures(), "demo")
	type report struct {
		Schema    string
		Verifiers []struct{ Name string }
		Sources   []struct {
			Name  string
			Cases int
		}
		Cases []struct {
			Case  struct{ ID, Kind string }
			Cells []struct{ Verifier, Status string }
		}
		Summary struct{ Cases, Agreements, Failures int }
		Failed  bool
	}
	for _, tc := range []struct {
		args         []string
		source       string
		cases, cells int // cells per case
	}{
		{[]string{"--output", "json", "--packages", demo, "--keyring", filepath.Join(demo, "keys")}, "dir", 4, 1},
		{[]string{"-o", "json", "--packages", demo, "--keyring", filepath.Join(demo, "keys")}, "dir", 4, 1},
		{[]string{"--json", "--packages", demo, "--keyring", filepath.Join(demo, "keys")}, "dir", 4, 1},
		{[]string{"-o", "json", "--fixtures", filepath.Join(testutil.Fixtures(), "fixtures.tsv")}, "fixtures", 50, 1},
	} {
		args := append([]string{"--plugin-dir", binDir, "--backends", "gocrypto", "--external", ""}, tc.args...)
		rc, stdout, stderr := conformanceOutside(t, nil, args...)
		if rc != 0 || stderr != "" {
			t.Fatalf("%v: rc %d, stderr %q", tc.args, rc, stderr)
		}
		validateDoc(t, sch, "conformance "+tc.args[0], []byte(stdout))
		var rep report
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Schema != "rpmpgp-conformance/v1" || rep.Failed || rep.Summary.Failures != 0 || len(rep.Verifiers) != 1 || rep.Verifiers[0].Name != "gocrypto" {
			t.Errorf("%v: schema %q failed %v summary %+v verifiers %+v", tc.args, rep.Schema, rep.Failed, rep.Summary, rep.Verifiers)
		}
		if len(rep.Sources) != 1 || rep.Sources[0].Name != tc.source || rep.Sources[0].Cases != len(rep.Cases) || len(rep.Cases) < tc.cases {
			t.Errorf("%v: sources %+v, %d cases, want %s with at least %d", tc.args, rep.Sources, len(rep.Cases), tc.source, tc.cases)
		}
		for _, c := range rep.Cases {
			if len(c.Cells) != tc.cells || c.Cells[0].Verifier != "gocrypto" {
				t.Errorf("%v: case %s: cells %+v", tc.args, c.Case.ID, c.Cells)
			}
		}
	}
	rc, stdout, stderr := conformanceOutside(t, nil, "-o", "yaml")
	if want := "error: --output \"yaml\": expected text or json\nrpmpgp: hint: see 'rpmpgp conformance --help'\n"; rc != exitUsage || stdout != "" || stderr != want {
		t.Errorf("-o yaml: rc %d, stdout %q, stderr %q; want %d, %q", rc, stdout, stderr, exitUsage, want)
	}
}
