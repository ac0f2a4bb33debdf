// Package wire is what host and backend process agree on before any call:
// the go-plugin handshake and protocol version, the gRPC plugin that
// carries the backend service, the message size limits, and the error of
// an answer no correct backend gives.
package wire

import (
	"context"
	"errors"
	"fmt"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// ProtocolVersion is the version of the rpmpgp backend protocol
// (core/plugin/proto/backend.proto, package rpmpgp.backend.v1). Host and
// backend negotiate it through go-plugin's VersionedPlugins; a backend
// built for another version is refused with go-plugin's "incompatible API
// version" error.
const ProtocolVersion = spawn.ProtocolVersion

// PluginName is the name under which a backend binary serves its backend.
const PluginName = "backend"

// Handshake is the go-plugin handshake of rpmpgp backends. The magic
// cookie is a UX feature (running a backend binary by hand prints a hint
// instead of hanging), not a security measure.
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   spawn.CookieKey,
	MagicCookieValue: spawn.CookieValue,
}

// EnvExecFD names the environment variable that tells a backend process
// which inherited descriptor is its own binary, the one the host executed
// through /proc/self/fd/N after checking it; the backend closes it.
const EnvExecFD = spawn.EnvExecFD

// Message size limits. Bulk data never travels as one message: digest
// updates are cut into chunks of ChunkSize. The receive limit is raised
// above gRPC's default of 4 MiB so that large certificates (keyrings with
// many signatures) still fit in one request; larger requests are refused by
// the client before sending.
const (
	// ChunkSize is the largest data chunk of DigestWrite and UpdateDigests.
	ChunkSize = 1 << 20
	// MaxMessageSize is the server's grpc.MaxRecvMsgSize.
	MaxMessageSize = 64 << 20
	// MaxRequestData bounds the byte payload of one unary request, leaving
	// room for the rest of the message.
	MaxRequestData = MaxMessageSize - 64<<10
)

// AnswersPerMessage is how many packages' answers a VerifyPackages
// message carries at most: one message for a whole batch of core's
// VerifyFiles (16 packages) costs less than several (measured: 1000 small
// packages ran ~8% faster than with 4 per message), and a process that dies
// loses at most these answers (those packages are verified again). Answers
// are sent before a large package, so that it does not hold them back.
const AnswersPerMessage = 16

// MaxKeyrings bounds the keyrings a backend process keeps for VerifyPackages;
// the oldest is dropped first (the host sends it again when it needs it).
const MaxKeyrings = 8

// ErrProtocol is wrapped when a backend answers with values that no correct
// backend returns (an unknown result code, a key ID of the wrong length, a
// digest of the wrong size, ...).
var ErrProtocol = errors.New("backend broke the protocol")

// ProtocolError wraps a validation failure of a backend's answer.
func ProtocolError(err error) error {
	return fmt.Errorf("%w: %w", ErrProtocol, err)
}

// Plugins returns the VersionedPlugins of both sides: srv is the backend
// service of a backend process, nil on the host.
func Plugins(srv pb.BackendServer) map[int]goplugin.PluginSet {
	return map[int]goplugin.PluginSet{
		ProtocolVersion: {PluginName: &grpcPlugin{srv: srv}},
	}
}

// grpcPlugin adapts the backend service to go-plugin (gRPC only).
type grpcPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	srv pb.BackendServer
}

var _ goplugin.GRPCPlugin = (*grpcPlugin)(nil)

// GRPCServer registers the backend service.
func (p *grpcPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	if p.srv == nil {
		return errors.New("rpmpgp: plugin: no backend to serve")
	}
	pb.RegisterBackendServer(s, p.srv)
	return nil
}

// GRPCClient returns the generated client stub.
func (p *grpcPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return pb.NewBackendClient(c), nil
}

// NewGRPCServer is the go-plugin GRPCServer factory of backends: it raises
// the receive limit deliberately (see MaxMessageSize).
func NewGRPCServer(opts []grpc.ServerOption) *grpc.Server {
	return grpc.NewServer(append(opts, grpc.MaxRecvMsgSize(MaxMessageSize))...)
}
