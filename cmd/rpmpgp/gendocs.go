//go:build gendocs

package main

// The man page generator, built only with -tags gendocs (make install,
// make man): `go run -tags gendocs ./cmd/rpmpgp __gendocs DIR` writes one
// man page per command of the tree (rpmpgp.1, rpmpgp-checksig.1, ...)
// with cobra/doc. It lives beside the command tree because the tree is in
// package main; the rpmpgp binary does not contain it.

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra/doc"

	"github.com/rpmpgp/rpmpgp/internal/version"
)

func init() {
	if len(os.Args) != 3 || os.Args[1] != "__gendocs" {
		return
	}
	if err := genManPages(os.Args[2]); err != nil {
		fmt.Fprintf(os.Stderr, "gendocs: %v\n", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// genManPages writes the man pages of the command tree into dir. The date
// is $SOURCE_DATE_EPOCH's (reproducible builds), else today's (cobra/doc).
func genManPages(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root := newRootCmd(io.Discard, io.Discard)
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{
		Title:   "RPMPGP",
		Section: "1",
		Source:  "rpmpgp " + version.Version,
		Manual:  "rpmpgp manual",
	}
	return doc.GenManTree(root, header, dir)
}
