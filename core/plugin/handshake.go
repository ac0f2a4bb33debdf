package plugin

import (
	"context"
	"errors"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// ProtocolVersion is the version of the rpmpgp backend protocol this package
// speaks (core/plugin/proto/backend.proto, package rpmpgp.backend.v1). Host
// and backend negotiate it through go-plugin's VersionedPlugins; a backend
// built for another version is refused with go-plugin's "incompatible API
// version" error.
const ProtocolVersion = 1

// PluginName is the name under which a backend binary serves its backend.
const PluginName = "backend"

// Handshake is the go-plugin handshake of rpmpgp backends. The magic cookie
// is a UX feature (running a backend binary by hand prints a hint instead of
// hanging), not a security measure.
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "RPMPGP_BACKEND_PLUGIN",
	MagicCookieValue: "a7d1b2f0-rpmpgp-backend-6c3e",
}

// Message size limits. Bulk data never travels as one message: digest
// updates are cut into chunks of chunkSize. The receive limit is raised
// above gRPC's default of 4 MiB so that large certificates (keyrings with
// many signatures) still fit in one request; larger requests are refused by
// the client before sending.
const (
	// chunkSize is the largest data chunk of DigestWrite and UpdateDigests.
	chunkSize = 1 << 20
	// maxMessageSize is the server's grpc.MaxRecvMsgSize.
	maxMessageSize = 64 << 20
	// maxRequestData bounds the byte payload of one unary request, leaving
	// room for the rest of the message.
	maxRequestData = maxMessageSize - 64<<10
)

// pluginSets returns the VersionedPlugins of both sides; impl is nil on the
// host.
func pluginSets(impl core.Backend, logger hclog.Logger, fds *fdReceiver) map[int]goplugin.PluginSet {
	return map[int]goplugin.PluginSet{
		ProtocolVersion: {PluginName: &grpcPlugin{impl: impl, logger: logger, fds: fds}},
	}
}

// grpcPlugin adapts a core.Backend to go-plugin (gRPC only).
type grpcPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	impl   core.Backend
	logger hclog.Logger
	fds    *fdReceiver
}

var _ goplugin.GRPCPlugin = (*grpcPlugin)(nil)

// GRPCServer registers the backend service.
func (p *grpcPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	if p.impl == nil {
		return errors.New("rpmpgp: plugin: no backend to serve")
	}
	pb.RegisterBackendServer(s, newServer(p.impl, p.logger, p.fds))
	return nil
}

// GRPCClient returns the generated client stub; *Client wraps it.
func (p *grpcPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return pb.NewBackendClient(c), nil
}

// newGRPCServer is the go-plugin GRPCServer factory of backends: it raises
// the receive limit deliberately (see maxMessageSize).
func newGRPCServer(opts []grpc.ServerOption) *grpc.Server {
	return grpc.NewServer(append(opts, grpc.MaxRecvMsgSize(maxMessageSize))...)
}
