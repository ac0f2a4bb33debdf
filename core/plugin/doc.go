// Package plugin runs rpmpgp crypto backends as separate processes. It is
// the only package that knows go-plugin and gRPC: backends and the CLI see
// only [core.Backend].
//
// # Backend side
//
// A backend binary is named rpmpgp-backend-<name> and its main is one call:
//
//	func main() { plugin.Serve(gocrypto.New()) }
//
// # Host side
//
// [Open] finds a backend ([SearchPath]: $RPMPGP_PLUGIN_DIR, the configured
// directories, the executable's directory), optionally checks its pinned
// SHA-256 ([LoadConfig.Checksums], cached in [LoadConfig.CacheDir]), starts
// it and returns a [*Client], which implements [core.Backend],
// [core.BulkUpdater] and io.Closer. [Discover] lists the installed
// backends. [CloseAll] and [CloseOnSignal] end every backend process.
//
// # Isolation
//
// Verdicts are data; every failure is a Go error naming the backend and the
// operation. A backend that crashes, exits or hangs during a call fails
// that call with [ErrBackendFailed] and is restarted (with the last Init
// options) for the next one. An answer no correct backend gives (an
// unknown result code, a key ID of the wrong length, ...) fails with
// [ErrProtocol]. Backend processes die with the host even when it is killed
// with SIGKILL (Pdeathsig).
//
// # Integrity
//
// The binary is opened once, hashed through that descriptor and executed
// through /proc/self/fd/N, so the checked bytes are the bytes that run.
//
// # Wire protocol
//
// core/plugin/proto/backend.proto, protocol version [ProtocolVersion];
// digests are handles held by the backend process, bulk data streams in
// chunks of 1 MiB and crosses the process boundary once.
package plugin
