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
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	cmd := newRootCmd(stdout, stderr)
	cmd.SetArgs(rewriteAliases(args))
	err := cmd.Execute()
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			errorf(stderr, "%v", ee.err)
		}
		return ee.code
	}
	errorf(stderr, "%v", err)
	return exitUsage
}

// rewriteAliases turns rpmkeys-style "-K", "-Kv", "--checksig" into the
// checksig command.
func rewriteAliases(args []string) []string {
	if len(args) == 0 {
		return args
	}
	switch args[0] {
	case "-K", "--checksig":
		return append([]string{"checksig"}, args[1:]...)
	case "-Kv", "-vK":
		return append([]string{"checksig", "-v"}, args[1:]...)
	}
	return args
}
