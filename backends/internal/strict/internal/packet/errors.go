package packet

import "fmt"

// ContextError is an error with an optional cause, like anyhow's
// Error::context: Error() is the message alone and Unwrap the cause.
type ContextError struct {
	Msg   string
	Cause error
}

// Error is the message alone.
func (e *ContextError) Error() string { return e.Msg }

// Unwrap is the cause.
func (e *ContextError) Unwrap() error { return e.Cause }

// Wrapf adds context msg to cause (nil cause: a plain message).
func Wrapf(cause error, format string, args ...any) error {
	return &ContextError{Msg: fmt.Sprintf(format, args...), Cause: cause}
}
