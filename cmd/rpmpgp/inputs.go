package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rpmpgp/rpmpgp/internal/filelist"
)

// The packages checksig verifies come from its arguments and --files-from,
// in that order, the way rpmkeys -K and its users expect:
//
//   - "-" is a package read from standard input; rpm prints it as "-"
//     (rpmio's Fopen maps "-" to stdin), and so does rpmpgp.
//   - a directory argument is a package rpm cannot read ("read failed: Is a
//     directory (21)"), unless -r is given: then it stands for the *.rpm
//     files below it, walked in lexical order (filepath.WalkDir), like
//     `find DIR -name '*.rpm' | sort`. Symbolic links to files are taken,
//     symbolic links to directories are not followed (no loops). Files
//     named on the command line are taken whatever their name.
//   - --files-from FILE ("-": standard input) lists more packages, separated
//     by NUL bytes when the first separator is one (find -print0), else by
//     newlines; empty entries are skipped (internal/filelist). The list is
//     read while the packages before it are verified.

// stdinName is the argument that stands for standard input.
const stdinName = "-"

// inputs is the package list of one checksig run, expanded as it is
// verified: the --files-from list is read one entry at a time while the
// packages before it are verified, so the first verdict does not wait for
// the end of the list and memory does not grow with it.
type inputs struct {
	args      []string
	recursive bool
	stdin     io.Reader
	// list is the --files-from list (nil: none), listName its name.
	list     *filelist.Reader
	listName string
	closer   io.Closer
	// stdinPath is the temporary file holding standard input when "-" was
	// given ("" otherwise); results for it are shown as "-".
	stdinPath string
	// first is the list's first entry when it was read ahead ("": none).
	first string
	// err is the first error met reading the list after the run
	// started.
	err error
}

// cleanup removes the temporary copy of standard input and closes the
// list.
func (in *inputs) cleanup() {
	if in.stdinPath != "" {
		os.Remove(in.stdinPath)
	}
	if in.closer != nil {
		in.closer.Close()
	}
}

// usageErrorf is a usage error (exit status 254, with a hint).
func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// collectInputs prepares the packages of args and the --files-from list
// filesFrom. stdin is read for "-" (a package) or --files-from - (a list),
// never both. A list that cannot be opened is a usage error, and so is
// one that is read: errors reading it later are kept in err.
func collectInputs(args []string, filesFrom string, recursive bool, stdin io.Reader) (*inputs, error) {
	in := &inputs{args: args, recursive: recursive, stdin: stdin, listName: filesFrom}
	if slices.Contains(args, stdinName) {
		if filesFrom == stdinName {
			return nil, usageErrorf(`"-" (a package on standard input) and --files-from - (a list on standard input) exclude each other`)
		}
		if err := in.spool(); err != nil {
			return nil, configError(err)
		}
	}
	switch filesFrom {
	case "":
	case stdinName:
		in.list = filelist.NewReader(stdin)
	default:
		// Opened blocking, not through readlimit: a list may come from a
		// slow producer (--files-from <(find ...)).
		f, err := os.Open(filesFrom)
		if err != nil {
			in.cleanup()
			return nil, usageErrorf("--files-from %s: %w", filesFrom, err)
		}
		in.list, in.closer = filelist.NewReader(f), f
	}
	if len(args) == 0 && in.list != nil {
		// Without arguments the list's first entry is awaited before
		// the backend starts: an empty or unreadable list is a usage
		// error, as before anything runs.
		first, err := in.list.Next()
		if err != nil {
			in.cleanup()
			if errors.Is(err, io.EOF) {
				return nil, usageErrorf("no packages given (the --files-from list %s is empty)", filesFrom)
			}
			return nil, usageErrorf("--files-from %s: %w", filesFrom, err)
		}
		in.first = first
	}
	return in, nil
}

// total is the number of packages when it is known before the run (the
// arguments alone, without -r), else -1.
func (in *inputs) total() int {
	if in.list != nil || in.recursive {
		return -1
	}
	return len(in.args)
}

// paths yields the packages in input order: the arguments, then the
// entries of the list as they are read.
func (in *inputs) paths() iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, a := range in.args {
			if !in.expand(a, yield) {
				return
			}
		}
		if in.first != "" && !in.expand(in.first, yield) {
			return
		}
		for in.list != nil {
			name, err := in.list.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				in.err = fmt.Errorf("--files-from %s: %w", in.listName, err)
				return
			}
			if !in.expand(name, yield) {
				return
			}
		}
	}
}

// expand yields the paths of one argument or list entry: the standard
// input copy for "-", the *.rpm files below a directory with -r, else the
// name.
func (in *inputs) expand(name string, yield func(string) bool) bool {
	if name == stdinName {
		if in.listName == stdinName {
			in.err = fmt.Errorf(`--files-from -: the list names "-", but standard input is the list`)
			return false
		}
		if in.stdinPath == "" {
			if err := in.spool(); err != nil {
				in.err = err
				return false
			}
		}
		name = in.stdinPath
	} else if in.recursive {
		if fi, err := os.Stat(name); err == nil && fi.IsDir() {
			for _, p := range walkPackages(name) {
				if !yield(p) {
					return false
				}
			}
			return true
		}
	}
	return yield(name)
}

// walkPackages lists the *.rpm files below dir in lexical order. A walk
// error is kept as the path it happened at, so that the verifier reports it
// as a package it could not open or read.
func walkPackages(dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			out = append(out, p)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".rpm") {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				return nil
			}
		}
		out = append(out, p)
		return nil
	})
	return out
}

// spool copies standard input to a temporary file (stdinPath): backends
// are handed seekable package files, which a pipe is not.
func (in *inputs) spool() error {
	p, err := spoolStdin(in.stdin)
	in.stdinPath = p
	return err
}

// spoolStdin copies standard input to an unnamed-looking temporary file.
func spoolStdin(stdin io.Reader) (string, error) {
	f, err := os.CreateTemp("", "rpmpgp-stdin-*.rpm")
	if err != nil {
		return "", fmt.Errorf("reading a package from standard input: %w", err)
	}
	if _, err := io.Copy(f, stdin); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", fmt.Errorf("reading a package from standard input: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("reading a package from standard input: %w", err)
	}
	return f.Name(), nil
}

// relabel shows the result of the standard input copy as "-".
func (in *inputs) relabel(pr *pkgResult) {
	if in.stdinPath == "" || pr.path != in.stdinPath {
		return
	}
	pr.path = stdinName
	if pr.res != nil {
		r := *pr.res
		r.Path = stdinName
		r.Error = strings.ReplaceAll(r.Error, in.stdinPath, stdinName)
		pr.res = &r
	}
}
