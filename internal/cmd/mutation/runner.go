package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// A command line verifier run over many packages at once: rpmkeys -K / -Kv
// and rpmpgp checksig. Between the packages (and before the first) the
// arguments hold "markers", paths that do not exist. Both programs report
// a path they cannot open on stderr ("error: <path>: open failed: ...",
// lib/rpmchecksig.cc rpmcliVerifySignatures) and print nothing on stdout
// for it, in argument order, so each package's stderr lies between two
// marker lines; its stdout starts with "<path>:" (rpmpkgVerifySigs). One
// process thus verifies thousands of mutants and still gives each its own
// stdout and stderr.

// output is what one verifier printed for one package.
type output struct {
	// Stdout and Stderr are the package's own parts of the streams.
	Stdout, Stderr string
	// Crashed: the process died or hung while at this package (it was
	// then run alone; Exit is that run's status).
	Crashed bool
	Exit    int
}

// runner runs one verifier command.
type runner struct {
	name string
	// argv is the command up to the package arguments.
	argv []string
	// verbose: -Kv output (the stdout header "<path>:" ends the line).
	verbose bool
	timeout time.Duration
	// preamble, when set, receives what the verifier printed on stderr
	// before the first package (rpmpgp's key import report); otherwise
	// any such output is an error.
	preamble *string
}

// markerLine is the start of the stderr line the verifier prints for marker m.
func markerLine(m string) string { return "error: " + m + ": open failed: " }

// run verifies files and returns each one's output. A run that does not
// reach its last marker (a crash, a hang) is resumed after the package it
// stopped at, which is run alone.
func (r *runner) run(ctx context.Context, dir string, files []string) ([]output, error) {
	out := make([]output, 0, len(files))
	for len(files) > 0 {
		got, done, err := r.runOnce(ctx, dir, files)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		files = files[done:]
		if len(files) == 0 {
			break
		}
		// files[0] stopped the run: alone, its output is whatever came.
		one, _, err := r.runOnce(ctx, dir, files[:1])
		if err != nil {
			return nil, err
		}
		if len(one) == 0 {
			return nil, fmt.Errorf("%s: %s: no output at all", r.name, files[0])
		}
		one[0].Crashed = true
		out = append(out, one[0])
		files = files[1:]
	}
	return out, nil
}

// runOnce runs the verifier over files (with markers) and returns the
// outputs of the packages it finished, in order.
func (r *runner) runOnce(ctx context.Context, dir string, files []string) ([]output, int, error) {
	markers := make([]string, len(files)+1)
	args := append([]string(nil), r.argv[1:]...)
	for i := range markers {
		markers[i] = filepath.Join(dir, "no-such-dir", fmt.Sprintf("marker-%d", i))
		args = append(args, markers[i])
		if i < len(files) {
			args = append(args, files[i])
		}
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.argv[0], args...)
	// rpmpgp names a plugin directory chosen by $RPMPGP_PLUGIN_DIR on
	// stderr; the backends come from --plugin-dir (harness.go).
	cmd.Env = append(os.Environ(), "RPMPGP_PLUGIN_DIR=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	exit := 0
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		exit = ee.ExitCode()
	default:
		return nil, 0, fmt.Errorf("%s: %w", r.name, err)
	}
	errs, done := splitStderr(stderr.String(), markers)
	if r.preamble != nil {
		*r.preamble = errs[0]
	} else if pre := errs[0]; pre != "" {
		return nil, 0, fmt.Errorf("%s: unexpected stderr before the first package: %q", r.name, pre)
	}
	outs, err := splitStdout(stdout.String(), files[:done], r.verbose)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", r.name, err)
	}
	res := make([]output, done)
	for i := range done {
		res[i] = output{Stdout: outs[i], Stderr: errs[i+1], Exit: -1}
	}
	if done < len(files) {
		if len(files) == 1 {
			// Alone and it did not finish: its output is all there is.
			res = append(res, output{Stdout: stdout.String(), Stderr: strings.Join(errs[1:], ""), Exit: exit})
			return res, 1, nil
		}
		return res, done, nil
	}
	if len(files) == 1 {
		// The single-package exit status without the markers' failures.
		res[0].Exit = exit
	}
	return res, done, nil
}

// splitStderr cuts stderr at the marker lines: part 0 comes before the
// first marker, part i+1 between markers i and i+1 (package i's). done is
// the number of packages followed by their marker.
func splitStderr(s string, markers []string) (parts []string, done int) {
	parts = make([]string, 0, len(markers))
	pos := 0
	for i, m := range markers {
		j := strings.Index(s[pos:], markerLine(m))
		if j < 0 {
			// The rest belongs to the package that did not finish.
			parts = append(parts, s[pos:])
			return parts, max(0, i-1)
		}
		parts = append(parts, s[pos:pos+j])
		end := strings.IndexByte(s[pos+j:], '\n')
		if end < 0 {
			return parts, max(0, i-1)
		}
		pos += j + end + 1
	}
	// Anything after the last marker would be lost: give it to the last
	// package, where a comparison sees it.
	if n := len(parts); n > 1 {
		parts[n-1] += s[pos:]
	}
	return parts, len(markers) - 1
}

// splitStdout cuts stdout into the packages' parts: each starts with
// "<path>:" (and a newline with -v).
func splitStdout(s string, files []string, verbose bool) ([]string, error) {
	out := make([]string, len(files))
	pos := 0
	for i, f := range files {
		head := f + ":"
		if verbose {
			head += "\n"
		}
		if !strings.HasPrefix(s[pos:], head) {
			return nil, fmt.Errorf("stdout at %s: want %q, have %q", f, head, clip(s[pos:]))
		}
		end := len(s)
		if i+1 < len(files) {
			j := strings.Index(s[pos+len(head):], files[i+1]+":")
			if j < 0 {
				return nil, fmt.Errorf("stdout: %s is missing", files[i+1])
			}
			end = pos + len(head) + j
		}
		out[i] = s[pos:end]
		pos = end
	}
	return out, nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// verdictOf reads the verdict of a non-verbose (-K) output: pass for
// " OK", fail for " NOT OK" or for a package that could not be read (its
// "<path>:" stands alone). It is the package's exit status on its own:
// rpmpkgVerifySigs prints "NOT OK" exactly when its rc is non-zero, and
// rpmcliVerifySignatures counts those rc (lib/rpmchecksig.c); rpmpgp
// checksig prints and counts the same way.
func verdictOf(o output, path string) (fail bool, err error) {
	rest := strings.TrimPrefix(o.Stdout, path+":")
	switch {
	case rest == "":
		return true, nil
	case strings.HasSuffix(rest, " NOT OK\n"):
		return true, nil
	case strings.HasSuffix(rest, " OK\n"):
		return false, nil
	}
	return false, fmt.Errorf("%s: no verdict in %q", path, o.Stdout)
}
