package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/outbuf"
	"github.com/rpmpgp/rpmpgp/internal/progress"
)

type checksigFlags struct {
	verbose     int // -v: rpmkeys -Kv lines; -vv: also the run line (runLine)
	keyrings    []string
	level       string
	noDigest    bool
	noSignature bool
	output      string
	at          string
	jobs        int
	quiet       bool
	recursive   bool
	filesFrom   string
	progress    string
}

func newChecksigCmd(stdout, stderr io.Writer) *cobra.Command {
	var f checksigFlags
	cmd := &cobra.Command{
		Use:     "checksig [flags] PACKAGE...",
		Aliases: []string{"K"},
		Short:   "Verify package signatures and digests like rpmkeys --checksig",
		Long: `Verify the OpenPGP signatures and digests of RPM packages like
'rpmkeys --checksig' (also reachable as 'rpmpgp -K' / 'rpmpgp -Kv').

Strict backends (gocrypto, openssl) behave like rpm 6 by default: verify
level "all", MD5 and SHA-1 digests off, rpm 6 output. The internal-legacy
backend behaves like rpm 4.18: level "digest", every digest on, rpm 4.18
output. Flags override the profile. The exit status is the number of
packages that failed.

PACKAGE "-" reads a package from standard input (shown as "-", as rpm
does); --files-from lists more packages (NUL- or newline-separated),
read while the packages before them are verified. A directory is a
package rpm cannot read, unless -r is given: then it stands for the *.rpm
files below it, in lexical order. Options may come anywhere,
and -K, -Kv, --checksig anywhere among them.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 && f.filesFrom == "" {
				return errors.New("no packages given (PACKAGE... or --files-from)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runChecksig(cmd, f, args, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.CountVarP(&f.verbose, "verbose", "v", "print every signature and digest line; twice (-vv): also one stderr line naming the backend, its binary, the FIPS state and the crypto policy")
	fl.StringArrayVarP(&f.keyrings, "keyring", "k", nil, "certificate file or directory, added to the system keystore (repeatable; armored or binary)")
	addKeystoreFlags(cmd, true)
	fl.StringVar(&f.level, "level", "", "verify level: none, digest, signature, all (default from the backend's profile)")
	fl.BoolVar(&f.noDigest, "nodigest", false, "do not verify digests")
	fl.BoolVar(&f.noSignature, "nosignature", false, "do not verify signatures")
	fl.StringVarP(&f.output, "output", "o", "", "output format: rpm6, rpm4 or json (default from the backend's profile)")
	fl.StringVar(&f.at, "at", "", "reference time instead of now (RFC 3339), for reproducible verdicts")
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "packages verified in parallel (at least 1)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on standard output, like rpmkeys --quiet (the exit status counts the failures; errors still go to standard error)")
	fl.BoolVarP(&f.recursive, "recursive", "r", false, "verify the *.rpm files below directory arguments, in lexical order")
	fl.StringVar(&f.progress, "progress", "auto", "progress bar on standard error when it is a terminal: auto (once the run lasts over a second), always (from the first package) or never")
	fl.StringVar(&f.filesFrom, "files-from", "", `read more package paths from FILE ("-": standard input), NUL- or newline-separated`)
	return cmd
}

// verifyConfig derives the flow and its output from the output format, the
// backend's profile and the flags (rpmcli: --nodigest/--nosignature disable
// the items and mask the level). The profile it returns is also the one
// whose rpm the lines are printed like.
func verifyConfig(f checksigFlags, backend core.Profile) (core.VerifyConfig, bool, error) {
	profile := core.ProfileStrict
	jsonOut := false
	switch f.output {
	case "":
		profile = backend
	case "rpm6":
	case "rpm4":
		profile = core.ProfileLegacy
	case "json":
		jsonOut = true
		profile = backend
	default:
		return core.VerifyConfig{}, false, fmt.Errorf("--output %q: expected rpm6, rpm4 or json", f.output)
	}
	cfg := core.Defaults(profile)
	if f.level != "" {
		l, err := core.ParseLevel(f.level)
		if err != nil {
			return core.VerifyConfig{}, false, err
		}
		cfg.Level = l
	}
	if f.noDigest {
		cfg.Flags |= core.VSFNoDigests
		cfg.Level = cfg.Level.Without(core.TypeDigest)
	}
	if f.noSignature {
		cfg.Flags |= core.VSFNoSignatures
		cfg.Level = cfg.Level.Without(core.TypeSignature)
	}
	return cfg, jsonOut, nil
}

func runChecksig(cmd *cobra.Command, f checksigFlags, args []string, stdout, stderr io.Writer) error {
	if f.jobs < 1 {
		return usageErrorf("--jobs %d: expected at least 1", f.jobs)
	}
	if f.quiet && f.output == "json" {
		return usageErrorf("--quiet and --output json exclude each other")
	}
	mode, err := progress.ParseMode(f.progress)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	in, err := collectInputs(args, f.filesFrom, f.recursive, cmd.InOrStdin())
	if err != nil {
		return err
	}
	defer in.cleanup()
	if f.quiet {
		stdout = io.Discard
	}
	s, at, err := settingsAt(cmd, f.at)
	if err != nil {
		return err
	}
	keys, err := systemKeys(s, f.keyrings)
	if err != nil {
		return err
	}
	b, err := openBackend(s, at, keys)
	if err != nil {
		return err
	}
	defer b.close()
	cfg, jsonOut, err := verifyConfig(f, b.desc.Profile)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if f.verbose > 1 {
		fmt.Fprintln(stderr, runLine(s, b))
	}
	reportKeyImports(stderr, keys, b.imports)
	v, err := verify.NewVerifier(b, b.keyring, cfg)
	if err != nil {
		return configError(err)
	}
	// The bar is on stderr; every line of the run clears it first. Lines
	// on stdout go out a burst at a time (outbuf), before any on stderr;
	// on a terminal, one at a time.
	bar := progress.New(mode, stderr, in.total())
	buf := outbuf.New(bar.Writer(stdout))
	if progress.IsTerminal(stdout) {
		buf = outbuf.Direct(bar.Writer(stdout))
	}
	runOut, runErr := buf, buf.Before(bar.Writer(stderr))
	var out checksigOutput = &textOutput{stdout: runOut, stderr: runErr, verbose: f.verbose > 0, profile: cfg.Profile}
	if jsonOut {
		out = newJSONOutput(runOut, b.initialised(), b.imports, f.verbose > 0)
	}
	failed, noKey := streamChecksig(v, in.paths(), f.jobs, in.relabel, out, bar.Step, func() { _ = buf.Flush() })
	_ = buf.Flush()
	bar.Done()
	if noKey {
		hintNoKeys(stderr, keys, b.keyring)
	}
	if in.err != nil {
		// The list broke off after packages were verified: said, and
		// counted like a package that cannot be read.
		errorf(stderr, "%v", in.err)
		failed++
	}
	if failed > maxFailCount {
		failed = maxFailCount
	}
	if failed > 0 {
		return &exitError{code: failed}
	}
	return nil
}

// reportImports prints refused certificates like rpmkeys --import does.
func reportImports(stderr io.Writer, problems []core.ImportResult) {
	for _, p := range problems {
		switch {
		case !p.OK():
			msg := p.Err
			if msg == "" {
				msg = fmt.Sprintf("key %d import failed.", p.Index)
			}
			if p.Lint != "" {
				errorf(stderr, "%s", p.Lint)
			}
			errorf(stderr, "%s: %s", p.Source, msg)
		case p.Lint != "":
			warningf(stderr, "%s", p.Lint)
		}
	}
}
