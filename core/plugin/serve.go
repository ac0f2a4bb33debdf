package plugin

import (
	"os"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-hclog"

	"github.com/rpmpgp/rpmpgp/core"
)

// EnvBackendLogLevel names the environment variable that sets a backend's
// log level (trace, debug, info, warn, error, off; default info). Backends
// inherit the host's environment.
const EnvBackendLogLevel = "RPMPGP_BACKEND_LOG_LEVEL"

// Serve runs b as an rpmpgp backend plugin and never returns normally; it is
// the whole body of a backend's main:
//
//	func main() { plugin.Serve(gocrypto.New()) }
//
// It logs through hclog to the process's real stderr in JSON, which the host
// relays with the right levels (go-plugin owns stdout for the handshake).
// Run by hand instead of by rpmpgp, the binary prints a hint and exits 1.
func Serve(b core.Backend) {
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
		HandshakeConfig:  Handshake,
		VersionedPlugins: pluginSets(b, logger),
		GRPCServer:       newGRPCServer,
		Logger:           logger,
	})
}
