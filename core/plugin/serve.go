package plugin

import (
	"fmt"
	"os"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/server"
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
func Serve(b core.Backend) {
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
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig:  wire.Handshake,
		VersionedPlugins: wire.Plugins(server.New(b, logger, fdpass.Open())),
		GRPCServer:       wire.NewGRPCServer,
		Logger:           logger,
	})
}

// ServeFunc is [Serve] for a backend whose constructor can fail (a missing
// library, an impossible FIPS mode): on error it writes the error to stderr,
// where the host quotes it in the start-up error, and exits with status 1.
func ServeFunc(newBackend func() (core.Backend, error)) {
	b, err := newBackend()
	if err != nil {
		fmt.Fprintf(os.Stderr, "rpmpgp backend: %v\n", err)
		os.Exit(1)
	}
	Serve(b)
}
