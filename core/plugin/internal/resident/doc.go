// Package resident keeps a backend process running for later rpmpgp
// commands of the same user, which attach to it instead of starting one
// (issue #16; the setting resident, off by default).
//
// An instance lives in the user's runtime directory,
// $XDG_RUNTIME_DIR/rpmpgp (dir.go), under a name made of the backend's
// name and a hash of the binary's identity, its pin, the host's key (the
// FIPS mode) and the environment variables that can change what a backend
// does (name.go). It has four files there, all private to the user: the
// go-plugin socket (plugin*, go-plugin's name), the descriptor socket
// NAME.fd, the record NAME.rec (record.go: pid and go-plugin address) and
// the lock NAME.lock (lock.go), which a host holds for its whole session
// and the backend takes before it exits idle, so that one session at a
// time uses an instance and none finds it going away.
//
// The backend side is [Serve] (serve.go): go-plugin's reattachable server
// (ServeConfig.Test), detached from the host that started it, with a fresh
// core.Backend, digest handles and keyrings for every session
// (session.go). A session is one connection to the descriptor socket,
// checked with SO_PEERCRED (peer.go) on both sides. The host side is in
// core/plugin/internal/launch (resident.go). A user lists instances with
// [List] (instance.go: record, process and socket checked, nothing
// signalled) and stops them with [Stop] (stop.go: the lock taken as a host
// takes it, then the same checks, then SIGTERM through a pidfd): rpmpgp
// resident list and stop.
package resident
