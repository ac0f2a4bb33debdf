package plugin

import (
	"errors"
	"fmt"
)

// Errors of the plugin layer. Every error a [Client] returns names the
// backend and the operation: `backend "gocrypto": VerifySignature: ...`.
// None of them is ever a verdict: the caller must treat the item as not
// verified.
var (
	// ErrBackendFailed is wrapped by the error of a call during which the
	// backend process crashed, exited, hung (no answer within the call
	// timeout; the process is then killed) or lost its connection. The
	// Client starts a new process for the next call; digests of the old
	// process are gone.
	ErrBackendFailed = errors.New("backend process failed")
	// ErrProtocol is wrapped when a backend answers with values that no
	// correct backend returns (an unknown result code, a key ID of the wrong
	// length, a digest of the wrong size, ...).
	ErrProtocol = errors.New("backend broke the protocol")
	// ErrClosed is returned by every call on a closed Client.
	ErrClosed = errors.New("backend client is closed")
	// ErrNotFound is wrapped when no backend binary of the requested name
	// exists in the search path.
	ErrNotFound = errors.New("backend not found")
	// ErrChecksumMismatch is wrapped when a backend binary does not have
	// its configured SHA-256 checksum; the binary was not run.
	ErrChecksumMismatch = errors.New("checksum mismatch")
)

// protocolError wraps a validation failure of a backend's answer.
func protocolError(err error) error {
	return fmt.Errorf("%w: %w", ErrProtocol, err)
}
