package sopv

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
)

// Backend is the configured rpmpgp backend, opened per subcommand.
type Backend interface {
	// Describe starts the backend and describes it (version --backend,
	// version --extended).
	Describe() (core.Description, error)
	// Open starts the backend with the certificates of certs imported, in
	// order, into an otherwise empty keyring (SOP verifies against the
	// CERTS given, never a system keyring). Certificates the backend
	// refuses are reported in Session.Imports, not as an error.
	Open(certs []core.KeyFile) (*Session, error)
}

// Session is an opened backend with the CERTS imported.
type Session struct {
	// Verifier verifies with the backend and Keyring.
	Verifier *verify.Verifier
	// Keyring holds the imported certificates; KeyEntry.Source is the
	// CERTS argument the certificate came from.
	Keyring *core.Keyring
	// Imports reports every certificate import.
	Imports []core.ImportResult
	// Close stops the backend (nil: nothing to do).
	Close func()
}

// Env is what a sopv run reads and writes.
type Env struct {
	// Stdin, Stdout and Stderr are the standard streams.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Name and Version are printed by "version" (Name without spaces).
	Name, Version string
	// Backend is the configured backend.
	Backend Backend
	// LookupEnv reads @ENV: designators; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// OpenFD opens @FD: designators; nil means the process's descriptor.
	OpenFD func(n int) (*os.File, error)
	// Now is the current time ("now" in DATE); nil means time.Now.
	Now func() time.Time
	// TempDir holds the copy of DATA when several signatures are checked;
	// "" means os.TempDir.
	TempDir string

	debug bool
}

// subcommands are the sopv verbs.
var subcommands = map[string]func(*Env, []string) error{
	"version":       (*Env).version,
	"verify":        (*Env).verify,
	"inline-verify": (*Env).inlineVerify,
}

// usage is the text of --help.
const usage = `usage: sopv [--debug] SUBCOMMAND [OPTIONS] [--] ARGS...
The verification-only subset of the Stateless OpenPGP CLI
(draft-dkg-openpgp-stateless-cli), verifying with the configured rpmpgp
backend.

  version [--backend|--extended|--sop-spec|--sopv]
  verify [--not-before=DATE] [--not-after=DATE] [--] SIGNATURES CERTS [CERTS...] < DATA
  inline-verify [--not-before=DATE] [--not-after=DATE] [--verifications-out=VERIFICATIONS]
                [--] CERTS [CERTS...] < INLINESIGNED

Inputs may be files, @ENV:NAME or @FD:N. Exit codes: 0 ok, 1 unspecified,
3 NO_SIGNATURE, 19 MISSING_ARG, 37 UNSUPPORTED_OPTION, 41 BAD_DATA,
59 OUTPUT_EXISTS, 61 MISSING_INPUT, 69 UNSUPPORTED_SUBCOMMAND,
71 UNSUPPORTED_SPECIAL_PREFIX, 73 AMBIGUOUS_INPUT.
`

// Run runs one sopv command line (the arguments after "sopv") and returns
// the exit code. Failures are reported on Stderr as one line
// "sopv: CODE_NAME: reason".
func (e *Env) Run(args []string) int {
	err := e.run(args)
	if err == nil {
		return ExitOK
	}
	code := ExitUnspecified
	var se *Error
	if errors.As(err, &se) {
		code = se.Code
	}
	fmt.Fprintf(e.Stderr, "sopv: %v\n", err)
	return code
}

func (e *Env) run(args []string) error {
	// Global options come before the subcommand: only --debug (and help).
	for len(args) > 0 && args[0] != "--" && len(args[0]) > 1 && args[0][0] == '-' {
		switch args[0] {
		case "--debug":
			e.debug = true
		case "-h", "--help":
			_, err := io.WriteString(e.Stdout, usage)
			return err
		default:
			return failf(ExitUnsupportedOption, "unsupported option %q", args[0])
		}
		args = args[1:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return failf(ExitMissingArg, "missing subcommand (version, verify, inline-verify)")
	}
	sub, ok := subcommands[args[0]]
	if !ok {
		if args[0] == "help" {
			_, err := io.WriteString(e.Stdout, usage)
			return err
		}
		return failf(ExitUnsupportedSubcommand, "subcommand %q is not supported (sopv has version, verify, inline-verify)", args[0])
	}
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		if a == "-h" || a == "--help" {
			_, err := io.WriteString(e.Stdout, usage)
			return err
		}
	}
	return sub(e, args[1:])
}

// now returns the current time.
func (e *Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// debugf prints a diagnostic line when --debug was given.
func (e *Env) debugf(format string, args ...any) {
	if e.debug {
		fmt.Fprintf(e.Stderr, "sopv: debug: "+format+"\n", args...)
	}
}
