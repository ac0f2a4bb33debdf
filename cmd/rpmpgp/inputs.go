package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rpmpgp/rpmpgp/internal/readlimit"
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
//     by NUL bytes when the list holds one (find -print0), else by newlines;
//     empty entries are skipped.

// stdinName is the argument that stands for standard input.
const stdinName = "-"

// maxFileList bounds a --files-from list (64 MiB: about a million paths).
const maxFileList = 64 << 20

// inputs is the expanded package list of one checksig run.
type inputs struct {
	// paths are what the verifier opens, in input order.
	paths []string
	// stdinPath is the temporary file holding standard input when "-" was
	// given ("" otherwise); results for it are shown as "-".
	stdinPath string
}

// cleanup removes the temporary copy of standard input.
func (in *inputs) cleanup() {
	if in.stdinPath != "" {
		os.Remove(in.stdinPath)
	}
}

// usageErrorf is a usage error (exit status 254, with a hint).
func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// collectInputs expands args and the --files-from list filesFrom into the
// packages to verify. stdin is read for "-" (a package) or --files-from -
// (a list), never both. Errors reading the list are usage errors; a
// directory that cannot be walked is reported as a package that cannot be
// read, as rpm would.
func collectInputs(args []string, filesFrom string, recursive bool, stdin io.Reader) (*inputs, error) {
	names := slices.Clone(args)
	if filesFrom != "" {
		listed, err := readFileList(filesFrom, stdin)
		if err != nil {
			return nil, usageErrorf("--files-from %s: %w", filesFrom, err)
		}
		names = append(names, listed...)
	}
	if len(names) == 0 {
		return nil, usageErrorf("no packages given")
	}
	in := &inputs{}
	for _, name := range names {
		if name == stdinName {
			if filesFrom == stdinName {
				return nil, usageErrorf(`"-" (a package on standard input) and --files-from - (a list on standard input) exclude each other`)
			}
			if in.stdinPath == "" {
				p, err := spoolStdin(stdin)
				if err != nil {
					in.cleanup()
					return nil, configError(err)
				}
				in.stdinPath = p
			}
			in.paths = append(in.paths, in.stdinPath)
			continue
		}
		if recursive {
			if fi, err := os.Stat(name); err == nil && fi.IsDir() {
				in.paths = append(in.paths, walkPackages(name)...)
				continue
			}
		}
		in.paths = append(in.paths, name)
	}
	return in, nil
}

// readFileList reads a --files-from list: NUL-separated when it holds a NUL
// byte, else newline-separated.
func readFileList(name string, stdin io.Reader) ([]string, error) {
	var r io.Reader = stdin
	if name != stdinName {
		// Opened blocking, not through readlimit.File: a list may come from
		// a slow producer (--files-from <(find ...)).
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := readlimit.Reader(r, name, maxFileList)
	if err != nil {
		return nil, err
	}
	sep := []byte{'\n'}
	if bytes.IndexByte(data, 0) >= 0 {
		sep = []byte{0}
	}
	var out []string
	for _, e := range bytes.Split(data, sep) {
		if len(e) > 0 {
			out = append(out, string(e))
		}
	}
	return out, nil
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

// spoolStdin copies standard input to an unnamed-looking temporary file:
// backends are handed seekable package files, which a pipe is not.
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
