package plugin

import (
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/resident"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/server"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// EnvBackendLogLevel names the environment variable that sets a backend's
// log level (trace, debug, info, warn, error, off; default info). Backends
// inherit the host's environment.
const EnvBackendLogLevel = "RPMPGP_BACKEND_LOG_LEVEL"

// Serve runs b as an rpmpgp backend plugin and never returns normally; it
// is the last call of a backend's main, after the process-wide tuning
// (internal/tuning):
//
//	func main() {
//		tuning.GC()
//		go tuning.WarmProto(tuning.BackendService, tuning.StartupMethods...)
//		plugin.Serve(gocrypto.New())
//	}
//
// It logs through hclog to the process's real stderr in JSON, which the host
// relays with the right levels (go-plugin owns stdout for the handshake).
// Run by hand instead of by rpmpgp, the binary prints a hint and exits 1.
//
// A backend served by Serve cannot be resident (LoadConfig.Resident): a
// resident instance needs a new backend for every session, which
// [ServeFunc] gives; started as one, it exits with an error and the host
// starts it normally.
func Serve(b core.Backend) {
	closeInherited()
	serve(b, nil)
}

// ServeFunc is [Serve] for a backend built by newBackend, which may fail
// (a missing library, an impossible FIPS mode): on error it writes the
// error to stderr, where the host quotes it in the start-up error, and
// exits with status 1. A normal start calls newBackend once; a resident
// instance once at its start and once more for every session, so that no
// keys, policy or FIPS mode of one session reach the next. A backend that
// implements [io.Closer] is closed when its session ends (a resident
// instance) or when Serve returns after the host stopped the plugin.
func ServeFunc(newBackend func() (core.Backend, error)) {
	closeInherited()
	b, err := newBackend()
	if err != nil {
		fmt.Fprintf(os.Stderr, "rpmpgp backend: %v\n", err)
		os.Exit(1)
	}
	serve(b, newBackend)
}

// serve is Serve and ServeFunc: b is the first backend, newBackend (nil
// for Serve) makes the others.
func serve(b core.Backend, newBackend func() (core.Backend, error)) {
	nameProcess()
	closeExecFD() // unsets its variable
	level := hclog.LevelFromString(os.Getenv(EnvBackendLogLevel))
	if level == hclog.NoLevel {
		level = hclog.Info
	}
	logger := hclog.New(&hclog.LoggerOptions{
		Name:       "rpmpgp-backend",
		Level:      level,
		Output:     os.Stderr,
		JSONFormat: true,
	})
	if base, ok := os.LookupEnv(resident.EnvInstance); ok {
		os.Exit(serveResident(base, b, newBackend, logger))
	}
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig:  wire.Handshake,
		VersionedPlugins: wire.Plugins(server.New(b, logger, fdpass.Open())),
		GRPCServer:       wire.NewGRPCServer,
		Logger:           logger,
	})
	closeBackend(b)
}

// serveResident runs a resident instance at base (resident.Serve) and
// returns its exit status.
func serveResident(base string, first core.Backend, newBackend func() (core.Backend, error), logger hclog.Logger) int {
	os.Unsetenv(resident.EnvInstance)
	closeBackend(first)
	if newBackend == nil {
		fmt.Fprintln(os.Stderr, "rpmpgp backend: this backend cannot be resident (it is served by plugin.Serve, not plugin.ServeFunc)")
		return 1
	}
	idle, err := resident.IdleFromEnv()
	if err == nil {
		err = resident.Serve(resident.ServeConfig{
			Base: base,
			Idle: idle,
			NewSession: func(fds *fdpass.Receiver) (pb.BackendServer, func(), error) {
				b, err := newBackend()
				if err != nil {
					return nil, nil, err
				}
				return server.New(b, logger, fds), func() { closeBackend(b) }, nil
			},
			Logger: logger,
		})
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "rpmpgp backend: resident: %v\n", err)
		return 1
	}
	return 0
}

// closeBackend closes b if it is an io.Closer.
func closeBackend(b core.Backend) {
	if c, ok := b.(io.Closer); ok {
		_ = c.Close()
	}
}

// closeInherited closes the descriptors a resident instance's host named
// in $RPMPGP_BACKEND_INHERITED_FDS (those it had from its own caller,
// spawn.InheritedFDs) and unsets the variable, before the backend is
// made: the instance outlives the host and must not hold its caller's
// locks or pipes. Only a resident start sets it.
func closeInherited() {
	if list, ok := os.LookupEnv(spawn.EnvInheritedFDs); ok {
		os.Unsetenv(spawn.EnvInheritedFDs)
		spawn.CloseInheritedFDs(list)
	}
}
