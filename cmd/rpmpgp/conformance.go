package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/conformance"
)

func newConformanceCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		corpus, fixtures, pkgDir, cases, registry, at, htmlOut string
		output                                                 string
		keyrings, sources, backends, external                  []string
		jsonOut, onlyDiff                                      bool
		jobs                                                   int
	)
	cmd := &cobra.Command{
		Use:   "conformance",
		Short: "Diff the verdicts of every backend and of real verifiers on shared corpora",
		Long: `Run the project's fixtures, the third-party corpora (rpm-testsuite,
openpgp-vectors) and/or a directory of your own packages through every
backend (out of process, as users run them) and through the external
verifiers installed here (rpmkeys, sqv, sqop, gosop, gpgv). Prints a case x
verifier matrix; every disagreement must be explained by the divergence
registry.

Your packages: --packages DIR --keyring FILE|DIR compares the verifiers on
every .rpm of DIR (no expectations: within each profile the first full
verifier is the reference; only disagreements are listed). --keyring takes
what checksig's --keyring takes (files with one or more armored or binary
certificates, directories of them) and is required; each external verifier
gets the certificates in the form it needs. With --packages only the
packages run, unless --fixtures or --corpus are also given.

Without --packages the sources are --fixtures (default: testdata/fixtures.tsv
of the rpmpgp source checkout containing the current directory) and --corpus
(default: $RPMPGP_CORPUS, else ../shared/corpus beside that checkout; a
missing default corpus is a warning, a missing corpus that was asked for is
an error).

A backend column of ours that cannot be opened (openssl-fips without a FIPS
provider) is listed as UNAVAILABLE and the result says "PASS (incomplete:
...)"; it is an error (exit 255) when CI is set, when --backends named it,
when no backend of ours opens, or when the plugin configuration is refused
(a relative --plugin-dir, as for checksig). An external tool named with
--external that is not installed is an error.

Exit status: 0 no unexplained disagreement; 1 a verdict contradicts a case's
expectation, an unexplained disagreement or a stale registry entry; 254
usage; 255 the run could not be set up.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextOrJSON(cmd, output); err != nil {
				return err
			}
			if jobs < 0 {
				return usageErrorf("--jobs %d: expected 0 (the number of CPUs) or more", jobs)
			}
			if pkgDir == "" && len(keyrings) > 0 {
				return usageErrorf("--keyring is the keyring of --packages DIR: give both")
			}
			if pkgDir != "" && len(keyrings) == 0 {
				return usageErrorf("--packages %s needs --keyring FILE|DIR (the certificates the packages are signed with)", pkgDir)
			}
			s, t, err := settingsAt(cmd, at)
			if err != nil {
				return err
			}
			cfg := conformance.Config{
				PackageDir: pkgDir, Keyring: keyrings,
				Sources: sources, Cases: cases, Registry: registry, At: t, Jobs: jobs,
				Plugin: loadConfig(s),
				// A CI run must run every backend column (openssl-fips
				// needs make fips-provider's configuration); so must a
				// run whose backends were named.
				RequireBackends: os.Getenv("CI") != "" || cmd.Flags().Changed("backends"),
			}
			if cmd.Flags().Changed("backends") {
				cfg.Backends = backends
				if cfg.Backends == nil {
					cfg.Backends = []string{}
				}
			}
			if cmd.Flags().Changed("external") {
				cfg.External = external
				if cfg.External == nil {
					cfg.External = []string{}
				}
			}
			wd, _ := os.Getwd()
			warns, err := cfg.ResolveSources(conformance.SourceRequest{
				Fixtures: fixtures, Corpus: corpus, CorpusEnv: os.Getenv("RPMPGP_CORPUS"), WorkDir: wd, CI: os.Getenv("CI") != ""})
			if errors.Is(err, conformance.ErrNothingToRun) {
				return usageErrorf("%v", err)
			} else if err != nil {
				return configError(err)
			}
			for _, w := range warns {
				warningf(stderr, "%s", w)
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			rep, err := conformance.Run(ctx, cfg)
			if err != nil {
				return configError(err)
			}
			for _, v := range rep.Verifiers {
				if v.Type == "backend" && !v.Available {
					warningf(stderr, "backend column %s unavailable, not compared: %s", v.Name, v.Note)
				}
			}
			if htmlOut != "" {
				f, err := os.Create(htmlOut)
				if err != nil {
					return configError(err)
				}
				if err := conformance.WriteHTML(f, rep); err != nil {
					f.Close()
					return configError(err)
				}
				if err := f.Close(); err != nil {
					return configError(err)
				}
			}
			if jsonOut || output == "json" {
				err = conformance.WriteJSON(stdout, rep)
			} else {
				err = conformance.WriteText(stdout, rep, conformance.TextOptions{Color: conformance.ColorFor(stdout), OnlyDisagreements: onlyDiff})
			}
			if err != nil {
				return err
			}
			if rep.Failed {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&corpus, "corpus", "", "third-party corpus root (rpm-testsuite, openpgp-vectors) (default without --packages: $RPMPGP_CORPUS, else ../shared/corpus beside the source checkout)")
	f.StringVar(&fixtures, "fixtures", "", "the project's fixtures file (default without --packages: testdata/fixtures.tsv of the source checkout containing the current directory)")
	f.StringVar(&pkgDir, "packages", "", "a directory of .rpm files to compare without expectations (needs --keyring)")
	f.StringArrayVar(&keyrings, "keyring", nil, "certificate file or directory for --packages, as for checksig (repeatable; armored or binary)")
	f.StringSliceVar(&sources, "source", nil, "only these sources: fixtures, rpm-testsuite, openpgp-vectors, dir")
	f.StringVar(&cases, "cases", "", `only cases whose "source:id" matches this glob`)
	f.StringSliceVar(&backends, "backends", nil, "our backends to run, each required (default: gocrypto, openssl, openssl-fips, internal-legacy)")
	f.StringSliceVar(&external, "external", nil, "external verifiers to run, each required (default: every installed one of rpmkeys, sqv, sqop, gosop, gpgv)")
	f.StringVar(&registry, "registry", "", "divergence registry file (default: the reviewed one built in)")
	f.StringVar(&at, "at", "", "pinned reference time (RFC 3339)")
	f.StringVar(&htmlOut, "html", "", "also write a self-contained HTML report to this file")
	f.BoolVar(&jsonOut, "json", false, "print the versioned JSON report instead of the text matrix (same as --output json)")
	f.StringVarP(&output, "output", "o", "", "output format: text (the matrix) or json (docs/schema/rpmpgp-conformance-v1.json)")
	f.BoolVar(&onlyDiff, "only-disagreements", false, "text matrix: only rows where verifiers disagree")
	f.IntVarP(&jobs, "jobs", "j", 0, "cells run in parallel (default: number of CPUs)")
	return cmd
}
