package plugin

import (
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// ProtocolVersion is the version of the rpmpgp backend protocol this package
// speaks (core/plugin/proto/backend.proto, package rpmpgp.backend.v1). Host
// and backend negotiate it through go-plugin's VersionedPlugins; a backend
// built for another version is refused with go-plugin's "incompatible API
// version" error.
const ProtocolVersion = wire.ProtocolVersion

// PluginName is the name under which a backend binary serves its backend.
const PluginName = wire.PluginName

// Handshake is the go-plugin handshake of rpmpgp backends. The magic cookie
// is a UX feature (running a backend binary by hand prints a hint instead of
// hanging), not a security measure.
var Handshake = wire.Handshake
