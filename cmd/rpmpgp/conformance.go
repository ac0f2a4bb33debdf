package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/conformance"
)

func newConformanceCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		corpus, fixtures, pkgDir, cases, registry, at, htmlOut string
		keyrings, sources, backends, external                  []string
		jsonOut, onlyDiff                                      bool
		jobs                                                   int
	)
	cmd := &cobra.Command{
		Use:   "conformance",
		Short: "Diff the verdicts of every backend and of real verifiers on shared corpora",
		Long: `Run the project's fixtures, the third-party corpora (rpm-testsuite,
openpgp-vectors) and/or a directory of packages through every backend (out of
process, as users run them) and through the external verifiers installed here
(rpmkeys, sqv, sqop, gosop, gpgv). Prints a case x verifier matrix; every
disagreement must be explained by the divergence registry. Fails (exit 1) on
a verdict that contradicts a case's expectation, an unexplained disagreement
or a stale registry entry.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if jobs < 0 {
				return usageErrorf("--jobs %d: expected 0 (the number of CPUs) or more", jobs)
			}
			s, t, err := settingsAt(cmd, at)
			if err != nil {
				return err
			}
			cfg := conformance.Config{
				Corpus: corpus, Fixtures: fixtures, PackageDir: pkgDir, Keyring: keyrings,
				Sources: sources, Cases: cases, Registry: registry, At: t, Jobs: jobs,
				PluginDirs: pluginDirs(s),
				// A CI run must run every backend column (openssl-fips
				// needs make fips-provider's configuration).
				RequireBackends: os.Getenv("CI") != "",
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
			if cfg.Corpus != "" {
				if st, err := os.Stat(cfg.Corpus); err != nil || !st.IsDir() {
					// A corpus that was asked for (--corpus,
					// $RPMPGP_CORPUS) or a CI run must not pass by
					// running nothing.
					if cmd.Flags().Changed("corpus") || os.Getenv("RPMPGP_CORPUS") != "" || os.Getenv("CI") != "" {
						return configError(fmt.Errorf("corpus %s not found (set --corpus or RPMPGP_CORPUS to the shared corpus)", cfg.Corpus))
					}
					warningf(stderr, "corpus %s not found: the third-party corpora are skipped (set --corpus or RPMPGP_CORPUS)", cfg.Corpus)
					cfg.Corpus = ""
				}
			}
			if cfg.Fixtures != "" {
				if _, err := os.Stat(cfg.Fixtures); err != nil {
					cfg.Fixtures = ""
				}
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			rep, err := conformance.Run(ctx, cfg)
			if err != nil {
				return configError(err)
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
			if jsonOut {
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
	defCorpus := os.Getenv("RPMPGP_CORPUS")
	if defCorpus == "" {
		defCorpus = filepath.Join("..", "shared", "corpus")
	}
	f := cmd.Flags()
	f.StringVar(&corpus, "corpus", defCorpus, "third-party corpus root (rpm-testsuite, openpgp-vectors); env RPMPGP_CORPUS")
	f.StringVar(&fixtures, "fixtures", filepath.Join("testdata", "fixtures.tsv"), "the project's fixtures file")
	f.StringVar(&pkgDir, "packages", "", "a directory of .rpm files to compare without expectations")
	f.StringArrayVar(&keyrings, "keyring", nil, "certificates for --packages (repeatable)")
	f.StringSliceVar(&sources, "source", nil, "only these sources: fixtures, rpm-testsuite, openpgp-vectors, dir")
	f.StringVar(&cases, "cases", "", `only cases whose "source:id" matches this glob`)
	f.StringSliceVar(&backends, "backends", nil, "our backends to run (default: gocrypto, openssl, internal-legacy)")
	f.StringSliceVar(&external, "external", nil, "external verifiers to run (default: every installed one of rpmkeys, sqv, sqop, gosop, gpgv)")
	f.StringVar(&registry, "registry", "", "divergence registry file (default: the reviewed one built in)")
	f.StringVar(&at, "at", "", "pinned reference time (RFC 3339)")
	f.StringVar(&htmlOut, "html", "", "also write a self-contained HTML report to this file")
	f.BoolVar(&jsonOut, "json", false, "print the versioned JSON report instead of the text matrix")
	f.BoolVar(&onlyDiff, "only-disagreements", false, "text matrix: only rows where verifiers disagree")
	f.IntVarP(&jobs, "jobs", "j", 0, "cells run in parallel (default: number of CPUs)")
	return cmd
}
