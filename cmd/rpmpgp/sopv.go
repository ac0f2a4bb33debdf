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
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			for _, a := range args {
				if !strings.HasPrefix(a, "-") {
					return nil, cobra.ShellCompDirectiveDefault
				}
			}
			return []string{"version", "verify", "inline-verify"}, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			global, rest := splitGlobalArgs(cmd, args)
			// cobra's ParseFlags does nothing under DisableFlagParsing;
			// splitGlobalArgs merged the inherited flags into Flags().
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

// splitGlobalArgs takes rpmpgp's global options (--backend NAME,
// --policy=FILE, ...) from the arguments before the SOP subcommand; SOP's
// own global options (--debug, --help) and everything from the subcommand
// on stay in rest, in order.
func splitGlobalArgs(cmd *cobra.Command, args []string) (global, rest []string) {
	inherited := cmd.InheritedFlags()
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "--" {
			return global, append(rest, args[i:]...)
		}
		name, _, hasValue := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if !strings.HasPrefix(a, "--") || inherited.Lookup(name) == nil {
			rest = append(rest, a)
			continue
		}
		global = append(global, a)
		if !hasValue && i+1 < len(args) {
			i++
			global = append(global, args[i])
		}
	}
	return global, rest
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
	d := ob.desc
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

// sopvNames are executable names that make rpmpgp run as a sopv binary
// ("rpmpgp-sopv verify ..." is "rpmpgp sopv verify ...").
var sopvNames = []string{"rpmpgp-sopv", "sopv"}

// sopvArgs prefixes args with "sopv" when rpmpgp runs under a sopv name.
func sopvArgs(argv0 string, args []string) []string {
	base := argv0
	if i := strings.LastIndexByte(base, '/'); i >= 0 {
		base = base[i+1:]
	}
	for _, n := range sopvNames {
		if base == n {
			return append([]string{"sopv"}, args...)
		}
	}
	return args
}
