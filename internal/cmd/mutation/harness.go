package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// harness holds one run's settings and collects its report.
type harness struct {
	o               options
	rpmkeys, rpmpgp string
	strict          []string
	tmp             string
	rules           []*Exception
	rep             *report
	mu              sync.Mutex // guards rep and the rules' hits
}

const processTimeout = 5 * time.Minute

// verifiers are the runners of one seed package.
type verifiers struct {
	rpmKv, rpmK, ourKv, ourK *runner
	strict                   map[string]*runner
}

// importKeys creates a throwaway rpm database holding keys (rpmkeys
// --import); an import that fails or says anything is an error.
func (h *harness) importKeys(ctx context.Context, db string, keys []string) error {
	for _, k := range keys {
		cmd := exec.CommandContext(ctx, h.rpmkeys, "--dbpath", db, "--import", k)
		cmd.Env = cEnv()
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil || out.Len() > 0 {
			return fmt.Errorf("rpmkeys --import %s: %v %s", k, err, out.String())
		}
	}
	return nil
}

// cEnv is the environment of every verifier: rpm's messages untranslated.
func cEnv() []string { return append(os.Environ(), "LC_ALL=C", "LANG=C") }

func (h *harness) verifiers(db string, keys []string) verifiers {
	var keyArgs []string
	for _, k := range keys {
		keyArgs = append(keyArgs, "--keyring", k)
	}
	ours := func(name string, verbose bool, backend string, extra ...string) *runner {
		// Only the given keys, as rpmkeys with its throwaway --dbpath: not
		// the keys of the machine's keystore.
		// The backends beside h.rpmpgp, chosen on the command line: a
		// plugin directory from the environment would add a stderr line
		// that rpmkeys does not print (runner.go clears the variable).
		argv := append([]string{h.rpmpgp, "checksig", "--backend", backend, "--plugin-dir", filepath.Dir(h.rpmpgp), "--jobs", "1", "--no-system-keys"}, keyArgs...)
		argv = append(argv, extra...)
		if verbose {
			argv = append(argv, "-v")
		}
		return &runner{name: name, argv: argv, verbose: verbose, timeout: processTimeout}
	}
	v := verifiers{
		rpmKv:  &runner{name: "rpmkeys -Kv", argv: []string{h.rpmkeys, "--dbpath", db, "-Kv"}, verbose: true, timeout: processTimeout},
		rpmK:   &runner{name: "rpmkeys -K", argv: []string{h.rpmkeys, "--dbpath", db, "-K"}, timeout: processTimeout},
		ourKv:  ours("internal-legacy -Kv", true, "internal-legacy", "--output", "rpm4"),
		ourK:   ours("internal-legacy -K", false, "internal-legacy", "--output", "rpm4"),
		strict: map[string]*runner{},
	}
	for _, b := range h.strict {
		v.strict[b] = ours(b+" -K", false, b)
	}
	return v
}

// result is everything known about one mutant.
type result struct {
	m      *Mutant
	path   string
	rpm    record
	ours   record
	strict map[string]bool // backend -> failed
}

// runPackage verifies every mutant of p.
func (h *harness) runPackage(ctx context.Context, p *Package) error {
	db := filepath.Join(h.tmp, p.Name+"-rpmdb")
	if err := h.importKeys(ctx, db, p.Keys); err != nil {
		return err
	}
	vs := h.verifiers(db, p.Keys)
	muts, err := p.Mutants()
	if err != nil {
		return err
	}
	// The unmutated package goes first: rpm and we must agree on it, it
	// must pass (or the sweep proves nothing), and so must the strict
	// backends (or their "no accept" proves nothing).
	base := &Mutant{Pkg: p, Offset: -1, Op: "none"}
	if err := h.checkBaseline(ctx, vs, base); err != nil {
		return err
	}
	batches := make(chan []*Mutant)
	errs := make(chan error, h.o.jobs)
	var wg sync.WaitGroup
	for range max(1, h.o.jobs) {
		wg.Go(func() {
			for b := range batches {
				if err := h.runBatch(ctx, vs, b); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for i := 0; i < len(muts); i += h.o.batch {
		batches <- muts[i:min(i+h.o.batch, len(muts))]
	}
	close(batches)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	return nil
}

// checkBaseline verifies the unmutated package.
func (h *harness) checkBaseline(ctx context.Context, vs verifiers, base *Mutant) error {
	rs, err := h.verify(ctx, vs, []*Mutant{base})
	if err != nil {
		return err
	}
	r := rs[0]
	if d := compare(r.rpm, r.ours, r.path); len(d) > 0 {
		return fmt.Errorf("the unmutated package differs from rpm 4.18: %v", d)
	}
	if r.rpm.fail {
		return fmt.Errorf("the unmutated package fails rpmkeys -K:\n%s%s", r.rpm.kv.Stdout, r.rpm.kv.Stderr)
	}
	for b, fail := range r.strict {
		if fail {
			return fmt.Errorf("the unmutated package fails the strict backend %s", b)
		}
	}
	return nil
}

// runBatch verifies one batch of mutants and records the results.
func (h *harness) runBatch(ctx context.Context, vs verifiers, muts []*Mutant) error {
	rs, err := h.verify(ctx, vs, muts)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range rs {
		h.rep.add(r, compare(r.rpm, r.ours, r.path), h.rules)
	}
	return nil
}

// verify writes the mutants to files and runs every verifier on them.
func (h *harness) verify(ctx context.Context, vs verifiers, muts []*Mutant) ([]*result, error) {
	dir, err := os.MkdirTemp(h.tmp, "batch-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	files := make([]string, len(muts))
	rs := make([]*result, len(muts))
	for i, m := range muts {
		files[i] = filepath.Join(dir, fmt.Sprintf("m%06d.rpm", i))
		data := m.Pkg.Data
		if m.Offset >= 0 {
			data = m.Bytes()
		}
		if err := os.WriteFile(files[i], data, 0o644); err != nil {
			return nil, err
		}
		rs[i] = &result{m: m, path: files[i], strict: map[string]bool{}}
	}
	type job struct {
		r   *runner
		set func(i int, o output) error
	}
	verdict := func(rec func(*result) *record) func(int, output) error {
		return func(i int, o output) error {
			fail, err := verdictOrCrash(o, files[i])
			if err != nil {
				return err
			}
			rec(rs[i]).k, rec(rs[i]).fail = o, fail
			return nil
		}
	}
	jobs := []job{
		{vs.rpmKv, func(i int, o output) error { rs[i].rpm.kv = o; return nil }},
		{vs.rpmK, verdict(func(r *result) *record { return &r.rpm })},
		{vs.ourKv, func(i int, o output) error { rs[i].ours.kv = o; return nil }},
		{vs.ourK, verdict(func(r *result) *record { return &r.ours })},
	}
	for b, sr := range vs.strict {
		jobs = append(jobs, job{sr, func(i int, o output) error {
			fail, err := verdictOrCrash(o, files[i])
			rs[i].strict[b] = fail
			return err
		}})
	}
	for _, j := range jobs {
		outs, err := j.r.run(ctx, dir, files)
		if err != nil {
			return nil, err
		}
		for i, o := range outs {
			if err := j.set(i, o); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", j.r.name, muts[i].ID(), err)
			}
		}
	}
	return rs, nil
}

// verdictOrCrash is the verdict of a -K output; a crash is a failure.
func verdictOrCrash(o output, path string) (bool, error) {
	if o.Crashed {
		return true, nil
	}
	return verdictOf(o, path)
}
