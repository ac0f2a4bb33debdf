// Command floor is the least a command whose backend is a go-plugin
// process can do: a host that starts its plugin (this same binary),
// completes go-plugin's handshake over gRPC, makes one call (go-plugin's
// own health check, ClientProtocol.Ping), kills the plugin and exits. It
// reads no package, no key and no configuration.
//
// make bench (internal/cmd/bench) builds it as the Makefile builds the
// gocrypto backend and times it beside `rpmkeys --checksig` in the rounds
// of the one-package start-up: no command that starts a go-plugin backend
// per command can be faster on that machine, so the row shows how much of
// rpmpgp's start-up is go-plugin's own (issue 16). It uses the go-plugin,
// gRPC and hclog versions of rpmpgp's go.mod.
//
// Run by hand, it exits 0 after the call, or 1 with the error.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// handshake makes the host's start of this binary serve the plugin.
var handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "RPMPGP_BENCH_FLOOR_PLUGIN",
	MagicCookieValue: "go-plugin floor",
}

// empty is a gRPC plugin with no service of its own: go-plugin's health,
// broker, controller and stdio services are all it serves.
type empty struct{ goplugin.Plugin }

// GRPCServer registers nothing.
func (empty) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error { return nil }

// GRPCClient returns the connection; nothing dispenses it.
func (empty) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return c, nil
}

var plugins = map[string]goplugin.Plugin{"empty": empty{}}

func main() {
	if os.Getenv(handshake.MagicCookieKey) == handshake.MagicCookieValue {
		goplugin.Serve(&goplugin.ServeConfig{
			HandshakeConfig: handshake,
			Plugins:         plugins,
			GRPCServer:      goplugin.DefaultGRPCServer,
			Logger:          hclog.New(&hclog.LoggerOptions{Output: io.Discard, Level: hclog.Off}),
		})
		return
	}
	if err := host(); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

// host starts this binary as the plugin, pings it once and kills it, as
// rpmpgp ends its backend (SIGKILL, the parent-death signal as a net).
func host() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	// A private directory for the plugin's socket, removed at the end
	// (rpmpgp makes one too): a plugin killed with SIGKILL leaves its
	// socket behind.
	dir, err := os.MkdirTemp("", "rpmpgp-floor-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), goplugin.EnvUnixSocketDir+"="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	c := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  handshake,
		Plugins:          plugins,
		Cmd:              cmd,
		SkipHostEnv:      true, // cmd.Env has it, the socket directory last
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Output: io.Discard, Level: hclog.Off}),
	})
	rc, err := c.Client()
	if err != nil {
		c.Kill()
		return err
	}
	err = rc.Ping()
	_ = cmd.Process.Kill()
	return err
}
