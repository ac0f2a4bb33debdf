// Package version holds the version that every rpmpgp binary reports:
// `rpmpgp --version` and the Version of each backend's Describe. The
// Makefile sets it at link time for all binaries of a build with the same
// flag, so they report the same string:
//
//	-ldflags '-X github.com/rpmpgp/rpmpgp/internal/version.Version=...'
package version

// Version is the build's version: `git describe` in a Makefile build,
// "dev" when nothing was set at link time.
var Version = "dev"
