// Package preload is the Go half of librpmpgp-preload.so (capi/): it starts
// the configured backend out of process the way the rpmpgp CLI does
// (internal/settings, core/plugin) and answers rpm 4.18's rpmpgp.h calls
// with it. It knows nothing of cgo; capi/ turns its answers into the C
// structures rpm sees.
//
// The backend is started on the first call, never at load time: most
// processes that load the library (every program rpm execs inherits
// LD_PRELOAD) make no OpenPGP call. A backend that cannot be started or
// initialised makes every call fail closed, and the reason is written to
// stderr once per process.
package preload
