package sopv

import "fmt"

// Exit codes of the spec's "Failure Modes" section
// (draft-dkg-openpgp-stateless-cli-16; the same numbers as sop-java's
// SOPGPException and sopv(1)). Only the ones a sopv subcommand can return
// are listed.
const (
	// ExitOK is success.
	ExitOK = 0
	// ExitUnspecified is an unspecified failure (an I/O error, a backend
	// that gave no verdict).
	ExitUnspecified = 1
	// ExitNoSignature is NO_SIGNATURE: no acceptable signature found.
	ExitNoSignature = 3
	// ExitMissingArg is MISSING_ARG: a required argument is missing.
	ExitMissingArg = 19
	// ExitUnsupportedOption is UNSUPPORTED_OPTION: an option is unknown or
	// not supported, or its value is unusable.
	ExitUnsupportedOption = 37
	// ExitBadData is BAD_DATA: an input is not the OpenPGP object the
	// subcommand expects.
	ExitBadData = 41
	// ExitOutputExists is OUTPUT_EXISTS: an output file already exists.
	ExitOutputExists = 59
	// ExitMissingInput is MISSING_INPUT: an input file does not exist.
	ExitMissingInput = 61
	// ExitUnsupportedSubcommand is UNSUPPORTED_SUBCOMMAND.
	ExitUnsupportedSubcommand = 69
	// ExitUnsupportedSpecialPrefix is UNSUPPORTED_SPECIAL_PREFIX: an
	// argument starts with "@" but names no special designator sopv knows
	// (or one not allowed in that place).
	ExitUnsupportedSpecialPrefix = 71
	// ExitAmbiguousInput is AMBIGUOUS_INPUT: a special designator is also
	// the name of an existing file.
	ExitAmbiguousInput = 73
)

// codeNames are the spec's names of the exit codes, used in messages.
var codeNames = map[int]string{
	ExitUnspecified:              "UNSPECIFIED",
	ExitNoSignature:              "NO_SIGNATURE",
	ExitMissingArg:               "MISSING_ARG",
	ExitUnsupportedOption:        "UNSUPPORTED_OPTION",
	ExitBadData:                  "BAD_DATA",
	ExitOutputExists:             "OUTPUT_EXISTS",
	ExitMissingInput:             "MISSING_INPUT",
	ExitUnsupportedSubcommand:    "UNSUPPORTED_SUBCOMMAND",
	ExitUnsupportedSpecialPrefix: "UNSUPPORTED_SPECIAL_PREFIX",
	ExitAmbiguousInput:           "AMBIGUOUS_INPUT",
}

// Error is a failure with its sopv exit code.
type Error struct {
	// Code is the exit code (one of the Exit constants).
	Code int
	// Err says what failed.
	Err error
}

// Error renders the failure as "CODE_NAME: reason".
func (e *Error) Error() string {
	name := codeNames[e.Code]
	if name == "" {
		name = fmt.Sprintf("exit %d", e.Code)
	}
	if e.Err == nil {
		return name
	}
	return name + ": " + e.Err.Error()
}

// Unwrap returns the reason.
func (e *Error) Unwrap() error { return e.Err }

// failf returns an *Error with code and a formatted message (%w allowed).
func failf(code int, format string, args ...any) *Error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...)}
}
