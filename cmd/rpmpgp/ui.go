package main

import (
	"fmt"
	"io"
	"strings"
)

// errorf prints "error: <msg>" the way rpm's rpmlog(RPMLOG_ERR) does.
func errorf(w io.Writer, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(w, "error: %s\n", strings.TrimRight(msg, "\n"))
}

// warningf prints "warning: <msg>".
func warningf(w io.Writer, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(w, "warning: %s\n", strings.TrimRight(msg, "\n"))
}

// hintf prints "rpmpgp: hint: <msg>" after an error.
func hintf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "rpmpgp: hint: %s\n", fmt.Sprintf(format, args...))
}
