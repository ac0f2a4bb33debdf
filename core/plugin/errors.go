package plugin

import (
	"errors"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/launch"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/supervise"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
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
	ErrBackendFailed = supervise.ErrBackendFailed
	// ErrProtocol is wrapped when a backend answers with values that no
	// correct backend returns (an unknown result code, a key ID of the wrong
	// length, a digest of the wrong size, ...).
	ErrProtocol = wire.ErrProtocol
	// ErrClosed is returned by every call on a closed Client.
	ErrClosed = supervise.ErrClosed
	// ErrNotFound is wrapped when no backend binary of the requested name
	// exists in the search path.
	ErrNotFound = spawn.ErrNotFound
	// ErrChecksumMismatch is wrapped when a backend binary does not have
	// its configured SHA-256 checksum; the binary was not run.
	ErrChecksumMismatch = launch.ErrChecksumMismatch
	// ErrNotPinned is wrapped when [LoadConfig.RequirePins] is set and the
	// backend has no checksum; the binary was not run.
	ErrNotPinned = errors.New("backend not pinned")
	// ErrUntrusted is wrapped when a backend binary or a directory above
	// it is owned by another user than root or the invoking user or is
	// writable by group or others (a root-owned sticky directory such as
	// /tmp is fine above one that passes), or when a plugin directory is
	// relative; the binary was not run.
	ErrUntrusted = spawn.ErrUntrusted
)

// ChecksumError is the error (wrapping [ErrChecksumMismatch]) for a backend
// binary whose SHA-256 is not the configured one. The binary was not run.
// Open reports it as `backend "gocrypto": checksum mismatch for /path:
// expected ..., got ...`.
type ChecksumError = launch.ChecksumError
