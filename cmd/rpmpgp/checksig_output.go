package main

import (
	"fmt"
	"io"
	"iter"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
)

// checksigOutput receives each package's result as soon as it and every
// earlier package are verified ([verify.Verifier.StreamFiles]) and writes it
// at once, so that an interrupted run keeps what was verified and memory
// does not grow with the number of packages.
type checksigOutput interface {
	// add writes one package and reports whether it failed.
	add(pr pkgResult) bool
	// finish writes what follows the last package.
	finish(failed int)
}

// streamChecksig verifies files with jobs workers and writes every result,
// relabeled, to out in input order as it is ready, calling step after each
// (the progress bar) and idle whenever it waits for the next result (the
// moment to flush what out wrote). It returns the number of failed
// packages and whether any had a NOKEY item.
func streamChecksig(v *verify.Verifier, files iter.Seq[string], jobs int, relabel func(*pkgResult), out checksigOutput, step, idle func()) (failed int, noKey bool) {
	v.StreamFilesIdle(files, jobs, func(r verify.FileResult) bool {
		pr := pkgResult{path: r.Path, res: r.Result, err: r.Err}
		relabel(&pr)
		if out.add(pr) {
			failed++
		}
		step()
		if !noKey && anyNoKey([]pkgResult{pr}) {
			noKey = true
		}
		return true
	}, idle)
	out.finish(failed)
	return failed, noKey
}

// textOutput prints packages as the profile's rpmkeys -K / -Kv does.
type textOutput struct {
	stdout, stderr io.Writer
	verbose        bool
	profile        core.Profile
}

func (o *textOutput) add(pr pkgResult) bool {
	return printResult(o.stdout, o.stderr, pr, o.verbose, o.profile)
}

func (o *textOutput) finish(int) {}

// pkgResult is one package's result or the backend failure that prevented it.
type pkgResult struct {
	path string
	res  *core.Result
	err  error
}

// notRPMMessage is the message rpm's lib/rpmlead.c rpmLeadRead has for a
// file that is no package ("not an rpm package"), which lib/package.c
// rpmpkgRead drops ("Avoid message spew on manifests"). rpmpgp prints it
// on stderr, so that a non-package is not silent; stdout keeps rpm's bytes.
const notRPMMessage = "not an rpm package"

// printResult prints one package as the profile's rpmkeys -K / -Kv does and
// reports whether it failed.
func printResult(stdout, stderr io.Writer, pr pkgResult, verbose bool, profile core.Profile) bool {
	if pr.err != nil {
		fmt.Fprintf(stdout, "%s:%s", pr.path, map[bool]string{true: "\n", false: ""}[verbose])
		errorf(stderr, "%s: no verdict: %v", pr.path, pr.err)
		if !verbose {
			fmt.Fprintln(stdout)
		}
		return true
	}
	r := pr.res
	if r.OpenFailed {
		errorf(stderr, "%s: %s", r.Path, r.Error)
		return true
	}
	if verbose {
		fmt.Fprintf(stdout, "%s:\n", r.Path)
	} else {
		fmt.Fprintf(stdout, "%s:", r.Path)
	}
	if r.ReadFailed {
		// rpm prints nothing more on stdout (not even a newline) and the
		// reason on stderr (lib/rpmchecksig.cc rpmpkgVerifySigs).
		switch {
		case r.Error != "":
			// Printed verbatim: some rpm messages end in "\n" (an empty
			// line follows them in rpm's output).
			fmt.Fprintf(stderr, "error: %s: %s\n", r.Path, r.Error)
		default:
			// rpm is silent here; rpmpgp is not (issue 15).
			errorf(stderr, "%s: %s", r.Path, notRPMMessage)
		}
		return true
	}
	for _, l := range r.Lints {
		if l.Error {
			errorf(stderr, "%s", l.Text)
		} else {
			warningf(stderr, "%s", l.Text)
		}
	}
	if verbose {
		for _, it := range r.Shown() {
			fmt.Fprintf(stdout, "    %s\n", it.Line(profile))
		}
	} else {
		fmt.Fprintf(stdout, "%s\n", r.Summary())
	}
	return r.Failed
}
