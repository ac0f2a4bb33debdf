// Package spawn is the part of starting a backend process that needs
// neither go-plugin nor gRPC: the search path of rpmpgp-backend-* binaries
// (search.go), the trust checks of a binary and its directories
// (trust.go), the identity of an opened binary (fileid.go), the private
// socket directory (socketdir.go), the environment a backend inherits
// (env.go), the names host and backend agree on (consts.go) and the early
// start (early.go). Package launch starts processes with it after reading
// the configuration; package early (core/plugin/early) starts one with it
// from an init, before the host's own initialisation is over. That is why
// nothing here may import a package that Go initialises late or that is
// costly to initialise (strings, path/filepath, os/exec, net, regexp:
// tests in package early check its position).
package spawn
