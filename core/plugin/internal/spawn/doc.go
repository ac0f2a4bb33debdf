// Package spawn is the part of starting a backend process that needs
// neither go-plugin nor gRPC: the search path and discovery of
// rpmpgp-backend-* binaries (discover.go), the trust checks of a binary and
// its directories (trust.go), the identity of an opened binary (fileid.go),
// the private socket directory (socketdir.go), the environment a backend
// inherits (env.go) and the command that executes a checked binary through
// its descriptor (command.go). Package launch starts processes with it
// after reading the configuration; package early starts one with it
// before the host's own initialisation is over (core/plugin/early), which
// is why nothing here may import a package with costly initialisation.
package spawn
