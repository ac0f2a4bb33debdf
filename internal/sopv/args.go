package sopv

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// optSpec lists a subcommand's options: name (without "--") -> whether it
// takes a value.
type optSpec map[string]bool

// parseOpts splits args into options and positional arguments with the
// spec's conventions ("Subcommands"): options are long only, a value is
// given as --name=value or as the next argument (the interop suite passes
// "--not-after T"), "--" ends the options, --debug is accepted everywhere.
// An unknown option is UNSUPPORTED_OPTION; a value missing or given to a
// flag is MISSING_ARG / UNSUPPORTED_OPTION.
func parseOpts(args []string, spec optSpec) (map[string]string, []string, error) {
	opts := map[string]string{}
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return opts, append(pos, args[i+1:]...), nil
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		if !strings.HasPrefix(a, "--") {
			return nil, nil, failf(ExitUnsupportedOption, "unsupported option %q", a)
		}
		name, value, hasValue := strings.Cut(a[2:], "=")
		takes, known := spec[name]
		if name == "debug" {
			takes, known = false, true
		}
		switch {
		case !known:
			return nil, nil, failf(ExitUnsupportedOption, "unsupported option --%s", name)
		case takes && !hasValue:
			if i+1 >= len(args) {
				return nil, nil, failf(ExitMissingArg, "option --%s needs a value", name)
			}
			i++
			value = args[i]
		case !takes && hasValue:
			return nil, nil, failf(ExitUnsupportedOption, "option --%s takes no value", name)
		}
		if _, dup := opts[name]; dup && takes {
			return nil, nil, failf(ExitUnsupportedOption, "option --%s given twice", name)
		}
		opts[name] = value
	}
	return opts, pos, nil
}

// Special designators (spec "Special Designators for Indirect Inputs and
// Outputs").
const (
	prefixEnv = "@ENV:"
	prefixFD  = "@FD:"
)

// readInput reads the input named by arg, at most max bytes: a file, or a
// special designator — @ENV:NAME (the variable's value) or @FD:N (an
// inherited file descriptor). An argument naming an existing file and
// looking like a designator is AMBIGUOUS_INPUT; another "@" prefix is
// UNSUPPORTED_SPECIAL_PREFIX; a missing file or variable is MISSING_INPUT.
func (e *Env) readInput(arg string, max int) ([]byte, error) {
	if strings.HasPrefix(arg, "@") {
		if _, err := os.Lstat(arg); err == nil {
			return nil, failf(ExitAmbiguousInput, "%q is both a special designator and an existing file", arg)
		}
	}
	var r io.Reader
	switch {
	case strings.HasPrefix(arg, prefixEnv):
		v, ok := e.lookupEnv(arg[len(prefixEnv):])
		if !ok {
			return nil, failf(ExitMissingInput, "%s: environment variable not set", arg)
		}
		if len(v) > max {
			return nil, failf(ExitBadData, "%s: larger than %d bytes", arg, max)
		}
		return []byte(v), nil
	case strings.HasPrefix(arg, prefixFD):
		f, err := e.fd(arg)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	case strings.HasPrefix(arg, "@"):
		return nil, failf(ExitUnsupportedSpecialPrefix, "%q: unsupported special designator", arg)
	default:
		f, err := os.Open(arg)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, failf(ExitMissingInput, "%w", err)
		}
		if err != nil {
			return nil, failf(ExitUnspecified, "%w", err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, failf(ExitMissingInput, "%s: is a directory, not a file", arg)
		}
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil {
		return nil, failf(ExitUnspecified, "reading %s: %w", arg, err)
	}
	if len(data) > max {
		return nil, failf(ExitBadData, "%s: larger than %d bytes", arg, max)
	}
	return data, nil
}

// fd opens the file descriptor of an @FD:N designator.
func (e *Env) fd(arg string) (*os.File, error) {
	n, err := strconv.Atoi(arg[len(prefixFD):])
	if err != nil || n < 0 {
		return nil, failf(ExitUnsupportedSpecialPrefix, "%q: @FD: needs a descriptor number", arg)
	}
	if e.OpenFD != nil {
		f, err := e.OpenFD(n)
		if err != nil {
			return nil, failf(ExitMissingInput, "%s: %w", arg, err)
		}
		return f, nil
	}
	f := os.NewFile(uintptr(n), arg)
	if f == nil {
		return nil, failf(ExitMissingInput, "%s: not an open file descriptor", arg)
	}
	if _, err := f.Stat(); err != nil {
		return nil, failf(ExitMissingInput, "%s: %w", arg, err)
	}
	return f, nil
}

// createOutput opens the output named by arg: a new file (an existing one
// is OUTPUT_EXISTS) or @FD:N. @ENV: names an input only, so it is
// UNSUPPORTED_SPECIAL_PREFIX here, like any other "@" prefix.
func (e *Env) createOutput(arg string) (io.WriteCloser, error) {
	if strings.HasPrefix(arg, "@") {
		if _, err := os.Lstat(arg); err == nil {
			return nil, failf(ExitAmbiguousInput, "%q is both a special designator and an existing file", arg)
		}
		if !strings.HasPrefix(arg, prefixFD) {
			return nil, failf(ExitUnsupportedSpecialPrefix, "%q: unsupported special designator for an output", arg)
		}
		return e.fd(arg)
	}
	f, err := os.OpenFile(arg, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, failf(ExitOutputExists, "%w", err)
	}
	if err != nil {
		return nil, failf(ExitUnspecified, "%w", err)
	}
	return f, nil
}

// lookupEnv is Env.LookupEnv, or os.LookupEnv.
func (e *Env) lookupEnv(name string) (string, bool) {
	if e.LookupEnv != nil {
		return e.LookupEnv(name)
	}
	return os.LookupEnv(name)
}

// requirePositional checks the number of positional arguments.
func requirePositional(pos []string, min int, what string) error {
	if len(pos) < min {
		return failf(ExitMissingArg, "missing argument: %s", what)
	}
	return nil
}
