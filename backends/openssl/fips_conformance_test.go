//go:build cgo

package openssl

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/gocrypto"
	"github.com/rpmpgp/rpmpgp/backends/openssl/internal/fipstest"
	"github.com/rpmpgp/rpmpgp/conformance"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// fipsBackend returns the openssl backend in FIPS mode "require" with the
// FIPS provider built by internal/cmd/fipsprovider (fails under CI when
// there is none, skips elsewhere).
func fipsBackend(t *testing.T) *Backend {
	t.Helper()
	conf := fipstest.Conf(t)
	b, err := New(Options{FIPS: core.FIPSRequire, Config: conf})
	if err != nil {
		t.Fatalf("New(require, %s): %v", conf, err)
	}
	if err := b.Init(core.Options{FIPS: core.FIPSRequire}); err != nil {
		t.Fatalf("Init(require): %v", err)
	}
	return b
}

// TestFIPSConformance runs every fixture and both shared corpora through
// the openssl backend in FIPS mode (column "openssl-fips", as in make
// conformance) next to gocrypto and the openssl backend with the default
// provider, and requires:
//   - no error (crash, backend failure) and every difference from the
//     expectations registered in conformance/divergences.tsv (verifier
//     openssl-fips) with its reason;
//   - every difference from gocrypto registered there or in
//     testdata/fips-differences.tsv;
//   - every difference FIPS mode makes (from the default provider) listed
//     in testdata/fips-differences.tsv with the FIPS rule behind it, never
//     accepting what the default provider rejects, with a lint that names
//     FIPS; no entry there is stale.
func TestFIPSConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole corpus")
	}
	fb := fipsBackend(t)
	gb := gocrypto.New()
	if err := gb.Init(core.Options{}); err != nil {
		t.Fatal(err)
	}
	fv, err := conformance.NewBackendVerifier(conformance.FIPSColumn, fb)
	if err != nil {
		t.Fatal(err)
	}
	gv, err := conformance.NewBackendVerifier("gocrypto", gb)
	if err != nil {
		t.Fatal(err)
	}
	ob, err := New(Options{FIPS: core.FIPSOff})
	if err != nil {
		t.Fatal(err)
	}
	if err := ob.Init(core.Options{FIPS: core.FIPSOff}); err != nil {
		t.Fatal(err)
	}
	ov, err := conformance.NewBackendVerifier("openssl", ob)
	if err != nil {
		t.Fatal(err)
	}
	cfg := conformance.Config{
		Corpus:    testutil.Corpus(t),
		Fixtures:  filepath.Join(testutil.Fixtures(), "fixtures.tsv"),
		Backends:  []string{},
		External:  []string{},
		Verifiers: []conformance.Verifier{gv, ov, fv},
		Jobs:      2,
	}
	rep, err := conformance.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := conformance.WriteText(&buf, rep, conformance.TextOptions{OnlyDisagreements: true}); err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("RPMPGP_FIPS_REPORT"); p != "" {
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fipsDiffs, err := conformance.LoadRegistry(filepath.Join("testdata", "fips-differences.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[int]bool{}
	counts := map[string]map[string]int{} // source -> verdict -> cells
	diffs, fipsOnly := 0, 0
	for _, cr := range rep.Cases {
		cells := map[string]*conformance.Cell{}
		for i := range cr.Cells {
			cells[cr.Cells[i].Verifier] = &cr.Cells[i]
		}
		g, o, f := cells["gocrypto"], cells["openssl"], cells[conformance.FIPSColumn]
		if f == nil || g == nil || o == nil {
			continue
		}
		key := cr.Case.Source + ":" + cr.Case.ID
		if counts[cr.Case.Source] == nil {
			counts[cr.Case.Source] = map[string]int{}
		}
		counts[cr.Case.Source][f.Outcome.Verdict]++
		if f.Status == conformance.StatusUnexplained {
			t.Errorf("%s: openssl-fips %s unexplained: %v (%s)", key, f.Outcome.Verdict, f.Problems, f.Outcome.Detail)
		}
		if f.Outcome.Verdict == conformance.VerdictError {
			t.Errorf("%s: openssl-fips error: %s", key, f.Outcome.Detail)
		}
		fipsRule := fipsDiffs.Match(key, conformance.FIPSColumn)
		if !sameOutcome(g.Outcome, f.Outcome) {
			diffs++
			if fipsRule == nil && f.Status != conformance.StatusExplained {
				t.Errorf("%s: openssl-fips %s differs from gocrypto %s, registered neither in testdata/fips-differences.tsv nor in the divergence registry (%s)", key, f.Outcome.Verdict, g.Outcome.Verdict, f.Status)
			}
		}
		// What FIPS mode itself changes: the same backend with the default
		// provider.
		if sameOutcome(o.Outcome, f.Outcome) {
			continue
		}
		fipsOnly++
		if fipsRule == nil {
			t.Errorf("%s: openssl-fips %s differs from openssl (default provider) %s without an entry in testdata/fips-differences.tsv (%s)", key, f.Outcome.Verdict, o.Outcome.Verdict, f.Outcome.Detail)
			continue
		}
		used[fipsRule.Line] = true
		t.Logf("%s: openssl-fips %s, openssl %s, gocrypto %s: %s", key, f.Outcome.Verdict, o.Outcome.Verdict, g.Outcome.Verdict, fipsRule.Reason)
		if f.Outcome.Accepts() && !o.Outcome.Accepts() {
			t.Errorf("%s: openssl-fips accepts (%s) what the default provider rejects (%s)", key, f.Outcome.Verdict, o.Outcome.Verdict)
		}
		if !strings.Contains(f.Outcome.Detail, "FIPS") {
			t.Errorf("%s: openssl-fips %s differs from openssl %s but its lint does not name FIPS: %q", key, f.Outcome.Verdict, o.Outcome.Verdict, f.Outcome.Detail)
		}
	}
	for _, e := range fipsDiffs.Entries {
		if !used[e.Line] {
			t.Errorf("testdata/fips-differences.tsv:%d: %s matched no difference (stale)", e.Line, e.Case)
		}
	}
	if rep.Summary.StaleEntries > 0 {
		t.Errorf("%d stale registry entries:\n%s", rep.Summary.StaleEntries, buf.String())
	}
	var lines []string
	for src, m := range counts {
		var parts []string
		for v, n := range m {
			parts = append(parts, fmt.Sprintf("%s=%d", v, n))
		}
		sort.Strings(parts)
		lines = append(lines, src+": "+strings.Join(parts, " "))
	}
	sort.Strings(lines)
	t.Logf("openssl-fips verdicts (%d differences from gocrypto, %d of them due to FIPS mode):\n%s", diffs, fipsOnly, strings.Join(lines, "\n"))
	for _, src := range []string{"fixtures", "rpm-testsuite"} {
		if len(counts[src]) == 0 {
			t.Errorf("no %s case ran under FIPS", src)
		}
	}
	if len(counts) < 3 {
		t.Errorf("only %d sources ran under FIPS, want fixtures, rpm-testsuite and openpgp-vectors/*", len(counts))
	}
	// A corpus that lost rows must not pass by running fewer: the cases
	// that ran (not n/a) per source group, at least minFIPSCases.
	ran := map[string]int{}
	for src, m := range counts {
		group, _, _ := strings.Cut(src, "/")
		for v, n := range m {
			if v != conformance.VerdictNA {
				ran[group] += n
			}
		}
	}
	for group, want := range minFIPSCases {
		if ran[group] < want {
			t.Errorf("%d %s cases ran under FIPS, want at least %d", ran[group], group, want)
		}
	}
}

// minFIPSCases is the fewest cases (not n/a) of each source group that
// TestFIPSConformance may run. On 2026-12-06 it ran fixtures 60,
// rpm-testsuite 89, openpgp-vectors 97 (of 166 rows, 69 n/a).
var minFIPSCases = map[string]int{"fixtures": 55, "rpm-testsuite": 85, "openpgp-vectors": 90}

// sameOutcome compares what a verifier said, not how long it took.
func sameOutcome(a, b conformance.Outcome) bool {
	if a.Verdict != b.Verdict || a.Keys != b.Keys || a.Unreadable != b.Unreadable || len(a.Items) != len(b.Items) {
		return false
	}
	for k, v := range a.Items {
		if b.Items[k] != v {
			return false
		}
	}
	return true
}
