package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
)

// Schema is the JSON report's schema identifier; it changes only with an
// incompatible change of the report's shape.
const Schema = "rpmpgp-conformance/v1"

// ExternalNames lists the external verifiers the harness knows, in report
// column order.
var ExternalNames = []string{"rpmkeys", "sqv", "sqop", "gosop", "gpgv"}

// DefaultBackends are the backends of ours opened by default.
var DefaultBackends = []string{"gocrypto", "openssl", FIPSColumn, "internal-legacy"}

// BackendOpener opens one of our backends by name, initialised with opts;
// the closer releases it (a plugin process).
type BackendOpener func(name string, opts core.Options) (core.Backend, io.Closer, error)

// Config selects what [Run] runs. The zero value runs nothing: [Run]
// refuses it until a source is configured. Every other field's zero value
// is the full run: all of our backends, every installed external tool, the
// reviewed divergence registry, the wall clock.
type Config struct {
	// Corpus is the third-party corpus root (shared/corpus); it enables the
	// rpm-testsuite and openpgp-vectors sources. "" disables them.
	Corpus string
	// Fixtures is the project's fixtures file in the cases.tsv grammar
	// (testdata/fixtures.tsv); "" disables the fixtures source.
	Fixtures string
	// PackageDir and Keyring: a directory of .rpm files verified against
	// the certificates of Keyring, without expectations. Keyring takes what
	// `rpmpgp checksig --keyring` takes (files with one or more armored or
	// binary certificates, directories of such files); it is required with
	// PackageDir, and one without any certificate is an error.
	PackageDir string
	Keyring    []string
	// Sources restricts the sources to these names (fixtures,
	// rpm-testsuite, openpgp-vectors, dir); empty = every configured one.
	Sources []string
	// Cases keeps only cases whose key ("source:id") matches this glob.
	Cases string

	// Backends names our backends to run; nil = DefaultBackends, an empty
	// non-nil slice = none. A backend that cannot be opened is reported
	// (Report.Verifiers[].Note, Report.Unavailable) and skipped, not fatal,
	// unless RequireBackends is set, the plugin configuration itself is
	// refused (a relative or untrusted plugin directory, a checksum
	// mismatch: [plugin.ErrUntrusted] and its kin) or no backend of ours
	// could be opened at all.
	Backends []string
	// OpenBackend opens them; nil = out of process through core/plugin,
	// with Plugin.
	OpenBackend BackendOpener
	// Plugin is how the default opener finds, checks and starts backend
	// binaries: the same configuration checksig uses (plugin directories,
	// SHA-256 pins, required pins, call timeout), so that a conformance
	// column runs exactly the binary checksig would run, or none. Its zero
	// value searches the default directories with no pins.
	Plugin plugin.LoadConfig
	// RequireBackends makes a backend that cannot be opened an error of
	// Run instead of a column marked unavailable (CI).
	RequireBackends bool
	// External names the external tools to run; nil = every installed one
	// of ExternalNames (the others are listed as unavailable), an empty
	// non-nil slice = none. A tool named here that is not installed is an
	// error.
	External []string
	// Verifiers are added as they are (in-process backends in tests).
	Verifiers []Verifier

	// Registry is the divergence registry file; "" = the embedded one.
	Registry string
	// At pins the reference time (our backends' core.Options.Time, sqv's
	// and sqop's --not-after; gosop, gpgv and rpmkeys take none); zero = now.
	At time.Time
	// Timeout bounds every external call and every case of ours (default 60s).
	Timeout time.Duration
	// Jobs is the number of cells run in parallel (default: number of CPUs).
	Jobs int
	// TempDir holds scratch files ("" = the system default).
	TempDir string
}

// VerifierInfo describes a column of the matrix.
type VerifierInfo struct {
	Name    string `json:"name"`
	Profile string `json:"profile"`
	// Type is "backend" (ours) or "external".
	Type string `json:"type"`
	// Available is false when it could not be run (Note says why).
	Available bool   `json:"available"`
	Note      string `json:"note,omitempty"`
}

// SourceInfo describes a corpus that was read.
type SourceInfo struct {
	Name  string `json:"name"`
	File  string `json:"file"`
	Cases int    `json:"cases"`
}

// Cell is one verifier's result on one case.
type Cell struct {
	Verifier string  `json:"verifier"`
	Outcome  Outcome `json:"outcome"`
	// Expected is what this verifier should have said ("" = no expectation).
	Expected string `json:"expected,omitempty"`
	// Status is one of the Status constants; Problems list the differences.
	Status   string   `json:"status"`
	Problems []string `json:"problems,omitempty"`
	// Reason and RegistryLine come from the registry entry that explains it.
	Reason       string `json:"reason,omitempty"`
	RegistryLine int    `json:"registry_line,omitempty"`
}

// CaseResult is one row of the matrix.
type CaseResult struct {
	Case corpus.Case `json:"case"`
	// Cells are in Report.Verifiers order.
	Cells []Cell `json:"cells"`
	// Status is the worst cell status (n-a when the case was not run).
	Status string `json:"status"`
}

// Summary counts the run.
type Summary struct {
	Cases int `json:"cases"`
	// NotApplicable counts cases no verifier can run (inline, cleartext).
	NotApplicable int `json:"not_applicable"`
	// Cell counts by status.
	Agreements          int `json:"agreements"`
	ExpectedDivergences int `json:"expected_divergences"`
	Unexplained         int `json:"unexplained"`
	Info                int `json:"info"`
	NACells             int `json:"na_cells"`
	Errors              int `json:"errors"`
	// StaleEntries are registry entries that were exercised but explained
	// nothing.
	StaleEntries int `json:"stale_entries"`
	// Failures = Unexplained + StaleEntries.
	Failures int `json:"failures"`
}

// Report is the result of [Run].
type Report struct {
	Schema    string         `json:"schema"`
	Started   time.Time      `json:"started"`
	Duration  time.Duration  `json:"duration_ns"`
	At        string         `json:"reference_time,omitempty"`
	Verifiers []VerifierInfo `json:"verifiers"`
	Sources   []SourceInfo   `json:"sources"`
	Cases     []CaseResult   `json:"cases"`
	Registry  string         `json:"registry"`
	// Stale are exercised registry entries that explained nothing;
	// Unexercised matched no case or verifier that ran (not a failure).
	Stale       []Entry `json:"stale,omitempty"`
	Unexercised []Entry `json:"unexercised,omitempty"`
	// Unavailable names the backend columns of ours that were asked for
	// (by default) but could not be opened: the run is incomplete.
	Unavailable []string `json:"unavailable,omitempty"`
	// Notes are remarks on the inputs (key files of which no certificate
	// could be split for the external tools).
	Notes   []string `json:"notes,omitempty"`
	Summary Summary  `json:"summary"`
	// Failed is true when Summary.Failures > 0.
	Failed bool `json:"failed"`
}

// loadCases reads the configured sources; scratch holds the split
// keyring of a package directory.
func loadCases(cfg Config, scratch string) ([]corpus.Case, []SourceInfo, []string, error) {
	want := func(s string) bool { return len(cfg.Sources) == 0 || slices.Contains(cfg.Sources, s) }
	for _, s := range cfg.Sources {
		if !slices.Contains([]string{corpus.SourceFixtures, corpus.SourceRPMTestsuite, corpus.SourceVectors, corpus.SourceDir}, s) {
			return nil, nil, nil, fmt.Errorf("unknown source %q (want fixtures, rpm-testsuite, openpgp-vectors or dir)", s)
		}
	}
	var all []corpus.Case
	var infos []SourceInfo
	var notes []string
	add := func(name, file string, cs []corpus.Case) {
		all = append(all, cs...)
		infos = append(infos, SourceInfo{Name: name, File: file, Cases: len(cs)})
	}
	if cfg.Fixtures != "" && want(corpus.SourceFixtures) {
		cs, err := corpus.ReadCasesTSV(cfg.Fixtures, corpus.SourceFixtures)
		if err != nil {
			return nil, nil, nil, err
		}
		add(corpus.SourceFixtures, cfg.Fixtures, cs)
	}
	if cfg.Corpus != "" && want(corpus.SourceRPMTestsuite) {
		p := filepath.Join(cfg.Corpus, "rpm-testsuite", "cases.tsv")
		cs, err := corpus.ReadCasesTSV(p, corpus.SourceRPMTestsuite)
		if err != nil {
			return nil, nil, nil, err
		}
		add(corpus.SourceRPMTestsuite, p, cs)
	}
	if cfg.Corpus != "" && want(corpus.SourceVectors) {
		p := filepath.Join(cfg.Corpus, "openpgp-vectors")
		cs, err := corpus.ReadVectors(p)
		if err != nil {
			return nil, nil, nil, err
		}
		add(corpus.SourceVectors, p, cs)
	}
	if cfg.PackageDir != "" && want(corpus.SourceDir) {
		kr, err := prepareKeyring(cfg.Keyring, scratch)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("conformance: --packages %s: %w", cfg.PackageDir, err)
		}
		notes = append(notes, kr.notes...)
		cs, err := corpus.ReadPackageDir(cfg.PackageDir, kr.files)
		if err != nil {
			return nil, nil, nil, err
		}
		for i := range cs {
			cs[i].CheckSigKeys, cs[i].Certs = true, kr.certs
		}
		add(corpus.SourceDir, cfg.PackageDir, cs)
	}
	if len(infos) == 0 {
		return nil, nil, nil, errors.New("conformance: no source configured (need a corpus, a fixtures file or a package directory)")
	}
	if cfg.Cases != "" {
		kept := all[:0]
		for _, c := range all {
			if glob(cfg.Cases, c.Key()) {
				kept = append(kept, c)
			}
		}
		all = kept
	}
	return all, infos, notes, nil
}

// setupVerifiers builds the verifier columns; closers must be closed.
func setupVerifiers(cfg Config) ([]Verifier, []VerifierInfo, []io.Closer, error) {
	var vs []Verifier
	var infos []VerifierInfo
	var closers []io.Closer
	names := cfg.Backends
	if names == nil {
		names = DefaultBackends
	}
	open := cfg.OpenBackend
	if open == nil {
		open = pluginOpener(cfg.Plugin)
	}
	opened := 0
	var firstErr error
	for _, n := range names {
		b, closer, err := open(n, core.Options{Time: cfg.At, FIPS: columnFIPS(n)})
		if err != nil && refusedConfig(err) {
			// The plugin configuration itself is refused (a relative
			// plugin directory, ...): checksig refuses to run with the
			// same message, so does the harness.
			return nil, nil, closers, err
		}
		if err != nil && cfg.RequireBackends {
			return nil, nil, closers, fmt.Errorf("conformance: backend column %s: %w", n, err)
		}
		if err != nil {
			infos = append(infos, VerifierInfo{Name: n, Type: "backend", Note: err.Error()})
			if firstErr == nil {
				firstErr = fmt.Errorf("%s: %w", n, err)
			}
			continue
		}
		if closer != nil {
			closers = append(closers, closer)
		}
		v, err := NewBackendVerifier(n, b)
		if err != nil {
			infos = append(infos, VerifierInfo{Name: n, Type: "backend", Note: err.Error()})
			continue
		}
		vs = append(vs, v)
		infos = append(infos, VerifierInfo{Name: n, Profile: v.Profile().String(), Type: "backend", Available: true})
		opened++
	}
	if len(names) > 0 && opened == 0 {
		return nil, nil, closers, fmt.Errorf("conformance: none of the backends %s could be opened (%w)", strings.Join(names, ", "), firstErr)
	}
	for _, v := range cfg.Verifiers {
		vs = append(vs, v)
		infos = append(infos, VerifierInfo{Name: v.Name(), Profile: v.Profile().String(), Type: "backend", Available: true})
	}
	eo := ExternalOptions{Timeout: cfg.Timeout, At: cfg.At, TempDir: cfg.TempDir}
	ext := cfg.External
	if ext == nil {
		ext = ExternalNames
	}
	for _, n := range ext {
		v, tool, err := NewExternal(n, eo)
		if err != nil {
			return nil, nil, closers, err
		}
		info := VerifierInfo{Name: n, Profile: v.Profile().String(), Type: "external", Available: toolAvailable(tool)}
		if !info.Available && cfg.External != nil {
			return nil, nil, closers, fmt.Errorf("conformance: external verifier %s: %s not found on PATH", n, tool)
		}
		if !info.Available {
			info.Note = tool + " not found on PATH"
		} else {
			vs = append(vs, v)
		}
		infos = append(infos, info)
	}
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[v.Name()] {
			return nil, nil, closers, fmt.Errorf("conformance: two verifiers named %q", v.Name())
		}
		seen[v.Name()] = true
	}
	return vs, infos, closers, nil
}

// refusedConfig reports whether a backend could not be opened because the
// plugin configuration is refused (a relative or untrusted plugin
// directory or binary, a checksum mismatch, a missing pin) rather than
// because the backend is absent or cannot initialise.
func refusedConfig(err error) bool {
	return errors.Is(err, plugin.ErrUntrusted) || errors.Is(err, plugin.ErrChecksumMismatch) || errors.Is(err, plugin.ErrNotPinned)
}

// NewExternal returns the external verifier called name (one of
// ExternalNames) and the executable it needs.
func NewExternal(name string, o ExternalOptions) (Verifier, string, error) {
	switch name {
	case "rpmkeys":
		return RPMKeys{Opts: o}, "rpmkeys", nil
	case "sqv":
		return Sqv{Opts: o}, "sqv", nil
	case "sqop":
		return NewSqop(o), "sqop", nil
	case "gosop":
		return NewGosop(o), "gosop", nil
	case "gpgv":
		return Gpgv{Opts: o}, "gpgv", nil
	}
	return nil, "", fmt.Errorf("conformance: unknown external verifier %q (known: %v)", name, ExternalNames)
}

// Run reads the configured corpora, runs every case through every
// available verifier (cells in parallel, at most cfg.Jobs at a time),
// judges each cell and applies the divergence registry. An error means the
// run could not be set up (unreadable corpus or registry); verdict problems
// are in the report (Report.Failed).
func Run(ctx context.Context, cfg Config) (*Report, error) {
	start := time.Now()
	reg := DefaultRegistry()
	if cfg.Registry != "" {
		var err error
		if reg, err = LoadRegistry(cfg.Registry); err != nil {
			return nil, err
		}
	}
	scratch, err := os.MkdirTemp(cfg.TempDir, "rpmpgp-conf-run-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)
	cases, sources, notes, err := loadCases(cfg, scratch)
	if err != nil {
		return nil, err
	}
	vs, vinfos, closers, err := setupVerifiers(cfg)
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	if err != nil {
		return nil, err
	}
	defer CleanupGenerated()

	rep := &Report{Schema: Schema, Started: start, Verifiers: vinfos, Sources: sources, Registry: reg.File, Notes: notes}
	for _, v := range vinfos {
		if v.Type == "backend" && !v.Available {
			rep.Unavailable = append(rep.Unavailable, v.Name)
		}
	}
	if !cfg.At.IsZero() {
		rep.At = cfg.At.UTC().Format(time.RFC3339)
	}
	runCells(ctx, cfg, cases, vs, rep)
	crossCompare(rep, vs)
	applyRegistry(rep, reg, vs)
	rep.Duration = time.Since(start)
	return rep, nil
}

// runCells fills rep.Cases with one cell per (case, verifier column).
func runCells(ctx context.Context, cfg Config, cases []corpus.Case, vs []Verifier, rep *Report) {
	byName := map[string]Verifier{}
	for _, v := range vs {
		byName[v.Name()] = v
	}
	rep.Cases = make([]CaseResult, len(cases))
	type job struct{ ci, vi int }
	jobs := make(chan job)
	jobsN := cfg.Jobs
	if jobsN <= 0 {
		jobsN = runtime.NumCPU()
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	for i := range cases {
		rep.Cases[i] = CaseResult{Case: cases[i], Cells: make([]Cell, len(rep.Verifiers))}
		for j, info := range rep.Verifiers {
			rep.Cases[i].Cells[j] = Cell{Verifier: info.Name, Status: StatusNA, Outcome: Outcome{Verdict: VerdictNA, ExitCode: -1}}
		}
	}
	var wg sync.WaitGroup
	for range jobsN {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				cr := &rep.Cases[j.ci]
				cell := &cr.Cells[j.vi]
				v := byName[cell.Verifier]
				cctx, cancel := context.WithTimeout(ctx, timeout)
				o := runOne(cctx, v, &cr.Case, timeout)
				cancel()
				cell.Outcome = o
				cell.Expected, cell.Problems, _ = judge(&cr.Case, v, o)
				switch {
				case o.Verdict == VerdictNA:
					cell.Status = StatusNA
				case len(cell.Problems) > 0:
					cell.Status = StatusUnexplained
				case cell.Expected != "" || !cr.Case.HasExpectation():
					cell.Status = StatusAgree
				default:
					cell.Status = StatusInfo
				}
			}
		}()
	}
	for ci := range rep.Cases {
		c := &rep.Cases[ci].Case
		for vi, info := range rep.Verifiers {
			v := byName[info.Name]
			if v == nil || !info.Available || c.NotApplicable != "" || !v.Supports(c) {
				continue
			}
			select {
			case jobs <- job{ci, vi}:
			case <-ctx.Done():
			}
		}
	}
	close(jobs)
	wg.Wait()
}

// runOne runs a verifier with a hard deadline: a verifier that ignores its
// context is abandoned and reported as an error.
func runOne(ctx context.Context, v Verifier, c *corpus.Case, timeout time.Duration) Outcome {
	ch := make(chan Outcome, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- errorOutcome("panic: %v", r)
			}
		}()
		ch <- v.Run(ctx, c)
	}()
	select {
	case o := <-ch:
		return o
	case <-time.After(timeout + 5*time.Second):
		return errorOutcome("no answer within %s", timeout)
	}
}

// crossCompare judges cases without expectations (package directories):
// within each profile the first full verifier (ours, then rpmkeys) is the
// reference; the others must agree with it (the OpenPGP tools on the
// header signature's accept/reject class).
func crossCompare(rep *Report, vs []Verifier) {
	byName := map[string]Verifier{}
	for _, v := range vs {
		byName[v.Name()] = v
	}
	for ci := range rep.Cases {
		cr := &rep.Cases[ci]
		if cr.Case.HasExpectation() || cr.Case.NotApplicable != "" {
			continue
		}
		for _, profile := range []core.Profile{core.ProfileStrict, core.ProfileLegacy} {
			var ref *Cell
			for i := range cr.Cells {
				c := &cr.Cells[i]
				v := byName[c.Verifier]
				if v != nil && v.Profile() == profile && !byClass(v) && c.Status != StatusNA && c.Outcome.Verdict != VerdictError {
					ref = c
					break
				}
			}
			if ref == nil {
				continue
			}
			for i := range cr.Cells {
				c := &cr.Cells[i]
				v := byName[c.Verifier]
				if c == ref || v == nil || v.Profile() != profile || c.Status == StatusNA {
					continue
				}
				var p []string
				if byClass(v) {
					name := ""
					for k := range c.Outcome.Items {
						name = k
					}
					if want, ok := ref.Outcome.Items[name]; ok {
						c.Expected = name + "=" + want + " (as " + ref.Verifier + ")"
						if class(want) != class(c.Outcome.Verdict) {
							p = append(p, fmt.Sprintf("header signature %s, %s says %s", c.Outcome.Verdict, ref.Verifier, want))
						}
					} else if c.Outcome.Verdict == VerdictError {
						p = append(p, "error: "+firstLine(c.Outcome.Detail))
					}
				} else {
					exp := Expectation{Verdict: ref.Outcome.Verdict, Items: ref.Outcome.Items, Unreadable: ref.Outcome.Unreadable, Keys: ref.Outcome.Keys}
					c.Expected = "as " + ref.Verifier
					p = diffExact(cr.Case.Kind, exp, c.Outcome)
				}
				if len(p) > 0 {
					c.Problems = append(c.Problems, p...)
					c.Status = StatusUnexplained
				}
			}
		}
	}
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

// applyRegistry explains cells, finds stale entries, sets statuses and the
// summary.
func applyRegistry(rep *Report, reg *Registry, vs []Verifier) {
	used := make([]bool, len(reg.Entries))
	exercised := make([]bool, len(reg.Entries))
	rank := map[string]int{StatusNA: 0, StatusInfo: 1, StatusAgree: 2, StatusExplained: 3, StatusUnexplained: 4}
	s := &rep.Summary
	for ci := range rep.Cases {
		cr := &rep.Cases[ci]
		s.Cases++
		if cr.Case.NotApplicable != "" {
			s.NotApplicable++
		}
		key := cr.Case.Key()
		worst := StatusNA
		for i := range cr.Cells {
			c := &cr.Cells[i]
			if c.Status != StatusNA {
				for ei := range reg.Entries {
					if reg.Entries[ei].matches(key, c.Verifier) {
						exercised[ei] = true
					}
				}
			}
			if c.Status == StatusUnexplained {
				if ei := reg.matchIndex(key, c.Verifier); ei >= 0 {
					e := reg.Entries[ei]
					c.Status, c.Reason, c.RegistryLine = StatusExplained, e.Reason, e.Line
					used[ei] = true
				}
			}
			if c.Outcome.Verdict == VerdictError {
				s.Errors++
			}
			switch c.Status {
			case StatusAgree:
				s.Agreements++
			case StatusExplained:
				s.ExpectedDivergences++
			case StatusUnexplained:
				s.Unexplained++
			case StatusInfo:
				s.Info++
			default:
				s.NACells++
			}
			if rank[c.Status] > rank[worst] {
				worst = c.Status
			}
		}
		cr.Status = worst
	}
	for i, e := range reg.Entries {
		switch {
		case used[i]:
		case exercised[i]:
			rep.Stale = append(rep.Stale, e)
		default:
			rep.Unexercised = append(rep.Unexercised, e)
		}
	}
	sort.Slice(rep.Stale, func(i, j int) bool { return rep.Stale[i].Line < rep.Stale[j].Line })
	s.StaleEntries = len(rep.Stale)
	s.Failures = s.Unexplained + s.StaleEntries
	rep.Failed = s.Failures > 0
}
