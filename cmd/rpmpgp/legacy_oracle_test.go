package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/casefile"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// exitCode runs cmd and returns its stdout, stderr and exit status.
func exitCode(t *testing.T, cmd *exec.Cmd) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), stderr.String(), 0
	case errors.As(err, &ee):
		return stdout.String(), stderr.String(), ee.ExitCode()
	}
	t.Fatalf("running %v: %v", cmd.Args, err)
	return "", "", -1
}

func readCases(t *testing.T, path string) []casefile.Case {
	t.Helper()
	cs, err := casefile.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// legacyRun verifies one package case with the internal-legacy backend in
// rpm 4.18 mode, the package given as <file> relative to dir.
func legacyRun(t *testing.T, dir string, c casefile.Case) (string, int) {
	args := []string{"checksig", "--backend", "internal-legacy", "-v", "--output", "rpm4"}
	for _, k := range c.Keyring {
		args = append(args, "--keyring", k)
	}
	args = append(args, c.Inputs[0])
	cmd := rpmpgpCmd(t, args...)
	cmd.Dir = dir
	out, _, code := exitCode(t, cmd)
	return out, code
}

// TestLegacyMatchesRecordedRPM418 compares `rpmpgp checksig --backend
// internal-legacy -v --output rpm4` with the rpmkeys -Kv 4.18 output recorded
// for every package fixture (testdata/rpm418/<case>.txt) and its exit status.
func TestLegacyMatchesRecordedRPM418(t *testing.T) {
	dir := testutil.Fixtures()
	n := 0
	for _, c := range readCases(t, filepath.Join(dir, "fixtures.tsv")) {
		if c.Kind != casefile.KindPackage {
			continue
		}
		n++
		t.Run(c.ID, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(dir, "rpm418", c.ID+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			obs, err := casefile.ParseExpectation(casefile.KindPackage, c.Observed418)
			if err != nil {
				t.Fatal(err)
			}
			got, code := legacyRun(t, dir, c)
			got = strings.ReplaceAll(got, c.Inputs[0], "<file>")
			if got != string(want) {
				t.Errorf("stdout differs from rpmkeys 4.18\n got:\n%s\nwant:\n%s", got, want)
			}
			if (code == 0) != (obs.Verdict == casefile.VerdictPass) {
				t.Errorf("exit status %d, rpmkeys 4.18 %s (%s)", code, obs.Verdict, c.Observed418)
			}
		})
	}
	if n == 0 {
		t.Fatal("no package fixtures")
	}
}

// TestLegacyMatchesLiveRPMKeys runs Debian's rpmkeys 4.18 and our legacy
// backend side by side on every package case of the rpm-testsuite corpus
// and of our fixtures: same stdout, same exit status.
func TestLegacyMatchesLiveRPMKeys(t *testing.T) {
	rpmkeys, err := exec.LookPath("rpmkeys")
	if err != nil {
		testutil.Missing(t, "rpmkeys (Debian package rpm) not installed: the live rpm 4.18 oracle is skipped")
	}
	type suite struct{ dir, file string }
	suites := []suite{{testutil.Fixtures(), "fixtures.tsv"}}
	if corpus, ok := testutil.CorpusDir(); ok {
		suites = append(suites, suite{filepath.Join(corpus, "rpm-testsuite"), "cases.tsv"})
	} else if os.Getenv("CI") != "" {
		t.Fatalf("CI: corpus absent at %s (set RPMPGP_CORPUS): only the project's fixtures would be compared", corpus)
	} else {
		t.Logf("corpus absent at %s: only the project's fixtures are compared", corpus)
	}
	agreed, total := 0, 0
	for _, s := range suites {
		for _, c := range readCases(t, filepath.Join(s.dir, s.file)) {
			if c.Kind != casefile.KindPackage {
				continue
			}
			total++
			ok := t.Run(c.ID, func(t *testing.T) {
				db := t.TempDir()
				for _, k := range c.Keyring {
					imp := exec.Command(rpmkeys, "--dbpath", db, "--import", k)
					imp.Dir = s.dir
					_, _, _ = exitCode(t, imp)
				}
				kv := exec.Command(rpmkeys, "--dbpath", db, "-Kv", c.Inputs[0])
				kv.Dir = s.dir
				want, _, wantCode := exitCode(t, kv)
				got, code := legacyRun(t, s.dir, c)
				if got != want {
					t.Errorf("stdout differs from rpmkeys 4.18\n got:\n%s\nwant:\n%s", got, want)
				}
				if code != wantCode {
					t.Errorf("exit status %d, rpmkeys %d", code, wantCode)
				}
			})
			if ok {
				agreed++
			}
		}
	}
	t.Logf("internal-legacy vs rpmkeys 4.18: %d/%d package cases identical", agreed, total)
}
