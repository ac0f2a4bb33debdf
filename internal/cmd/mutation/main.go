// Command mutation is the mutation differential harness (make mutation,
// issue 17): it changes every byte of the lead, the signature header and
// the main header of several real packages several ways (plus sampled
// payload bytes) and
//
//   - runs `rpmpgp checksig --backend internal-legacy --output rpm4` (-Kv
//     and -K) against Debian's live `rpmkeys -Kv` / `rpmkeys -K` 4.18 (a
//     throwaway --dbpath holding the package's keys) and compares stdout,
//     stderr and the verdict (the exit status of a run on that package
//     alone) of every mutant;
//   - runs the strict backends (gocrypto, openssl; rpm 6 defaults) and
//     checks that no mutant whose signed or digested bytes changed (main
//     header, payload) verifies.
//
// A difference from rpm that is not fixed must be registered in
// exceptions.tsv with its reason; the harness fails on any unregistered
// difference, on any verdict difference, on any strict accept of changed
// signed bytes and on registrations that no longer match anything.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

type options struct {
	bin, rpmkeys, testdata, corpus, exceptions string
	packages                                   string
	strict                                     string
	batch, jobs                                int
	verbose                                    bool
	requireAll                                 bool
}

func main() {
	var o options
	root := testutil.RepoRoot()
	corpus, _ := testutil.CorpusDir()
	flag.StringVar(&o.bin, "bin", filepath.Join(root, "bin"), "directory of the rpmpgp binaries (make build)")
	flag.StringVar(&o.rpmkeys, "rpmkeys", "rpmkeys", "Debian's rpmkeys 4.18")
	flag.StringVar(&o.testdata, "testdata", testutil.Fixtures(), "the project's fixtures")
	flag.StringVar(&o.corpus, "corpus", corpus, "the third-party corpus ($RPMPGP_CORPUS)")
	flag.StringVar(&o.exceptions, "exceptions", filepath.Join(root, "internal", "cmd", "mutation", "exceptions.tsv"), "the registry of known differences")
	flag.StringVar(&o.packages, "packages", "", "comma-separated seed names (default: all)")
	flag.StringVar(&o.strict, "strict", "gocrypto,openssl", "comma-separated strict backends to check")
	flag.IntVar(&o.batch, "batch", 1500, "mutants per verifier process")
	flag.IntVar(&o.jobs, "jobs", 2, "batches verified in parallel")
	flag.BoolVar(&o.verbose, "v", false, "print every difference, registered ones too")
	flag.BoolVar(&o.requireAll, "require-all", os.Getenv("CI") != "", "fail when rpmkeys, the corpus or a strict backend is missing (default: when $CI is set)")
	flag.Parse()
	start := time.Now()
	rep, err := run(context.Background(), o, os.Stdout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "mutation: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("time: %s\n", time.Since(start).Round(time.Second))
	if !rep.ok() {
		os.Exit(1)
	}
}

// run is the harness; it writes the report to w.
func run(ctx context.Context, o options, w io.Writer) (*report, error) {
	rpmkeys, err := exec.LookPath(o.rpmkeys)
	if err != nil {
		return nil, fmt.Errorf("rpmkeys (Debian package rpm) is needed: %w", err)
	}
	// Absolute: its directory is passed as --plugin-dir, which must be.
	rpmpgp, err := filepath.Abs(filepath.Join(o.bin, "rpmpgp"))
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(rpmpgp); err != nil {
		return nil, fmt.Errorf("%w (run make build)", err)
	}
	corpus := o.corpus
	if st, err := os.Stat(filepath.Join(corpus, "rpm-testsuite")); err != nil || !st.IsDir() {
		if o.requireAll {
			return nil, fmt.Errorf("corpus not found at %s (set RPMPGP_CORPUS)", corpus)
		}
		fmt.Fprintf(w, "corpus not found at %s: its seed package is skipped\n", corpus)
		corpus = ""
	}
	var strict []string
	for _, b := range splitList(o.strict) {
		if _, err := os.Stat(filepath.Join(o.bin, "rpmpgp-backend-"+b)); err != nil {
			if o.requireAll {
				return nil, fmt.Errorf("strict backend %s: %w", b, err)
			}
			fmt.Fprintf(w, "strict backend %s not built: skipped\n", b)
			continue
		}
		strict = append(strict, b)
	}
	only := map[string]bool{}
	for _, p := range splitList(o.packages) {
		only[p] = true
	}
	pkgs, err := loadPackages(o.testdata, corpus, only)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, errors.New("no seed package")
	}
	f, err := os.Open(o.exceptions)
	if err != nil {
		return nil, err
	}
	rules, err := parseExceptions(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.exceptions, err)
	}
	tmp, err := os.MkdirTemp("", "rpmpgp-mutation-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	h := &harness{o: o, rpmkeys: rpmkeys, rpmpgp: rpmpgp, strict: strict, tmp: tmp, rules: rules, rep: newReport(strict)}
	for _, p := range pkgs {
		if err := h.runPackage(ctx, p); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
	}
	if err := h.runCases(ctx, pkgs[0]); err != nil {
		return nil, err
	}
	for _, e := range rules {
		if e.Hits == 0 {
			h.rep.stale = append(h.rep.stale, e)
		}
	}
	h.rep.write(w, rules, o.verbose)
	return h.rep, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
