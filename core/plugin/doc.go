// Package plugin runs rpmpgp crypto backends as separate processes. It is
// the only package that knows go-plugin and gRPC: backends and the CLI see
// only [core.Backend].
//
// # Backend side
//
// A backend binary is named rpmpgp-backend-<name> and its main ends in
// one call, after the process-wide tuning the binaries' mains apply
// (internal/tuning):
//
//	func main() {
//		tuning.GC()
//		go tuning.WarmProto(tuning.BackendService, tuning.StartupMethods...)
//		plugin.Serve(gocrypto.New())
//	}
//
// # Host side
//
// [Open] finds a backend ([SearchPath]: $RPMPGP_PLUGIN_DIR, the configured
// directories, the executable's directory), optionally checks its pinned
// SHA-256 ([LoadConfig.Checksums], cached in [LoadConfig.CacheDir]), starts
// it and returns a [*Client], which implements [core.Backend] (declaring
// both batch paths and the bulk digest update, [core.BulkUpdater], in its
// [core.Capabilities]) and io.Closer. [Discover] lists the installed backends. [CloseAll] and
// [CloseOnSignal] end every backend process; [Client.Abandon] ends one
// without waiting, for a program about to exit.
//
// # Batched calls
//
// Per-call overhead (~0.1 ms) would dominate call-by-call verification, so
// the backend process runs core's own logic next to its crypto: ImportKeys
// builds a keyring in one call ([Client.InitImport] even in the Init call,
// which saves a round trip on the start-up path), and VerifyPackages runs
// [github.com/rpmpgp/rpmpgp/core/verify.Verifier] on a batch of packages
// whose open descriptors the host passes over a socket pair inherited by
// the backend (SCM_RIGHTS). The backend reads
// each package through its descriptor with pread: package bytes never cross
// the boundary, and they are the bytes of the file the host opened.
//
// # Isolation
//
// Verdicts are data; every failure is a Go error naming the backend and the
// operation. A backend that crashes, exits or hangs during a call fails
// that call with [ErrBackendFailed] and is restarted (with the last Init
// options) for the next one; the packages of a VerifyPackages batch it had
// not answered are sent again one per call, so that only a package that
// breaks a process gets the error. An answer no correct backend gives (an
// unknown result code, a key ID of the wrong length, ...) fails with
// [ErrProtocol]. Backend processes die with the host even when it is killed
// with SIGKILL (Pdeathsig).
//
// # Integrity
//
// The binary is opened once, hashed through that descriptor and executed
// through /proc/self/fd/N, where N is that descriptor as the child
// inherits it, so the checked bytes are the bytes that run; the backend
// closes N when it starts.
//
// # Wire protocol
//
// core/plugin/proto/backend.proto, protocol version [ProtocolVersion];
// digests are handles held by the backend process; bulk data of the
// call-by-call path streams in chunks of 1 MiB and crosses the process
// boundary once.
//
// # Layout
//
// This package is the public face: [Serve], [Open], [Client], the
// handshake and the errors. The work is done in internal packages, one
// responsibility each:
//
//   - internal/launch: the search path, discovery, SHA-256 pinning with its
//     cache, and the start of a process through /proc/self/fd;
//   - internal/supervise: one process kept usable for the calls (restart
//     with the last Init options, deadlines, failure and exit reasons);
//   - internal/fdpass: the SCM_RIGHTS descriptor channel;
//   - internal/calls: the host side of the call-by-call path (one call per
//     rpmpgp.h function, remote digest handles, bulk digest updates);
//   - internal/batch: the host side of the batch paths (key import,
//     package flow, keyring versions per process);
//   - internal/server: the backend side of both paths;
//   - internal/wire: handshake, protocol version, message limits;
//   - internal/convert and internal/pb: the wire types and their checked
//     conversion to and from core's types (pb is generated from proto/).
package plugin
