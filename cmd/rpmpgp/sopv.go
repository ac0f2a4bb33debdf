package main

import (
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/sopv"
	"github.com/rpmpgp/rpmpgp/internal/version"
)

// newSopvCmd is `rpmpgp sopv`: the SOP verification subset
// (internal/sopv). SOP parses its own arguments (exit codes and "@"
// designators are the spec's), so cobra does not: rpmpgp's global options
// (--backend, --policy, --fips, --config, --plugin-dir) go before the SOP
// subcommand.
func newSopvCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sopv [GLOBAL OPTIONS] SUBCOMMAND [ARGS...]",
		Short: "Stateless OpenPGP verification subset (sopv: version, verify, inline-verify)",
		Long: `The verification-only subset of the Stateless OpenPGP CLI
(draft-dkg-openpgp-stateless-cli) on the configured backend, for SOP test
suites and scripts: "rpmpgp sopv verify SIGNATURES CERTS... < DATA" prints one
VERIFICATIONS line per valid signature and exits 0, or 3 (NO_SIGNATURE).
Exit codes are SOP's (see "rpmpgp sopv --help"); rpmpgp's global options come
before the SOP subcommand.`,
		DisableFlagParsing: true,
		// Completion offers the SOP subcommands, then files.
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if _, rest := sopv.SplitHostArgs(args, isGlobalFlag(cmd)); len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
				return nil, cobra.ShellCompDirectiveDefault
			}
			return sopv.Subcommands, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			global, rest := sopv.SplitHostArgs(args, isGlobalFlag(cmd))
			// cobra's ParseFlags does nothing under DisableFlagParsing;
			// isGlobalFlag merged the inherited flags into Flags().
			if err := cmd.Flags().Parse(global); err != nil {
				return &exitError{code: sopv.ExitUnsupportedOption, err: err}
			}
			env := &sopv.Env{Stdin: os.Stdin, Stdout: stdout, Stderr: stderr, Name: "rpmpgp-sopv", Version: version.Version,
				Backend: sopvBackend{cmd: cmd}}
			if code := env.Run(rest); code != 0 {
				return &exitError{code: code}
			}
			return nil
		},
	}
	return cmd
}

// sopvBackend opens the configured backend for internal/sopv, like
// every other command (settings, pins, policy, FIPS); a configuration
// failure is SOP's unspecified failure (exit 1).
type sopvBackend struct{ cmd *cobra.Command }

func (b sopvBackend) open(certs []core.KeyFile) (*openedBackend, error) {
	s, t, err := settingsAt(b.cmd, "")
	if err != nil {
		return nil, err
	}
	return openBackend(s, t, keySpec{files: certs})
}

// Describe implements sopv.Backend.
func (b sopvBackend) Describe() (core.Description, error) {
	ob, err := b.open(nil)
	if err != nil {
		return core.Description{}, err
	}
	defer ob.close()
	d := ob.initialised()
	if d.Path == "" {
		d.Path = ob.Path()
	}
	return d, nil
}

// Open implements sopv.Backend.
func (b sopvBackend) Open(certs []core.KeyFile) (*sopv.Session, error) {
	ob, err := b.open(certs)
	if err != nil {
		return nil, err
	}
	v, err := verify.NewVerifier(ob, ob.keyring, core.Defaults(ob.desc.Profile))
	if err != nil {
		ob.close()
		return nil, err
	}
	return &sopv.Session{Verifier: v, Keyring: ob.keyring, Imports: ob.imports, Close: ob.close}, nil
}

// isGlobalFlag reports whether a long option is one of rpmpgp's global
// (inherited) options.
func isGlobalFlag(cmd *cobra.Command) func(string) bool {
	inherited := cmd.InheritedFlags()
	return func(name string) bool { return inherited.Lookup(name) != nil }
}
