// Command rpmpgp verifies the OpenPGP signatures and digests of RPM packages
// like `rpmkeys --checksig`, through swappable crypto backends that run as
// separate processes.
//
// Exit status: for checksig, the number of packages that failed (capped at
// 253); 254 for usage errors; 255 when rpmpgp refuses to run (a malformed
// crypto policy, a missing or broken backend, an unreadable config file).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/rpmpgp/rpmpgp/core/plugin/early"
	"github.com/rpmpgp/rpmpgp/internal/sopv"
	"github.com/rpmpgp/rpmpgp/internal/tuning"
)

// Exit codes beyond the per-package failure count.
const (
	maxFailCount = 253
	exitUsage    = 254
	exitConfig   = 255
)

// exitError carries an exit status through cobra.
type exitError struct {
	code int
	err  error // nil: already reported
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// configError marks an error that makes rpmpgp refuse to run.
func configError(err error) error { return &exitError{code: exitConfig, err: err} }

func main() {
	tuning.GC()
	code := run(sopv.Argv(os.Args[0], os.Args[1:]), os.Stdout, os.Stderr)
	early.Discard() // a backend started early that the command did not use
	os.Exit(code)
}

// run executes the command line and returns the exit status. Usage errors
// end with one hint line naming the help of the command they belong to.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	args = rewriteArgs(root, args)
	if completing(args) {
		registerCompletions(root)
	}
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return 0
	}
	code := exitUsage
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		err = ee.err
	}
	if err != nil {
		errorf(stderr, "%v", err)
	}
	if code == exitUsage {
		if cmd == nil {
			cmd = root
		}
		hintf(stderr, "see '%s --help'", cmd.CommandPath())
	}
	return code
}
