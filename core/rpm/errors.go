package rpm

import "errors"

// ErrNotRPM is wrapped by the [FormatError] returned when the input is not an
// RPM package at all: shorter than a lead, or without the lead magic. rpm's
// rpmLeadRead returns RPMRC_NOTFOUND for both, and lib/package.c:rpmpkgRead
// discards the message ("Avoid message spew on manifests"), so rpmkeys 4.18
// prints no "error:" line for such a file, only "<file>:" and exit status 1.
var ErrNotRPM = errors.New("not an rpm package")

// FormatError is a malformed-package error. Error() returns exactly the text
// rpm 4.18 prints after "error: <file>: " (rpmpkgVerifySigs logs
// "%s: %s\n" with this message), e.g.
// "tag[13]: BAD, tag 1028 type 0 offset 116 count 5 len 7" or
// "signature hdr magic: BAD". A few of rpm's messages end in "\n" (rpm then
// prints an empty line after them); the newline is kept in Msg.
//
// Exceptions: when NotRPM is true rpm prints no message at all (see
// [ErrNotRPM]); and when Err is an I/O error (not end of file) the message
// has rpm's shape but cannot reproduce the C library's text.
type FormatError struct {
	// Msg is rpm's message.
	Msg string
	// NotRPM is true when rpm would treat the input as "not a package"
	// (RPMRC_NOTFOUND from rpmLeadRead) and print no error line.
	NotRPM bool
	// Err is the underlying cause, if any: ErrNotRPM or an I/O error.
	Err error
}

// Error returns rpm's message.
func (e *FormatError) Error() string { return e.Msg }

// Unwrap returns the underlying cause, if any.
func (e *FormatError) Unwrap() error { return e.Err }
