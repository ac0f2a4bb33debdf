package resident

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// EnvInstance names the variable that starts a backend as a resident
// instance: the path of its files without suffix, DIR/NAME ([Dir],
// [Name]).
const EnvInstance = spawn.EnvInstance

// EnvIdle names the variable that sets how long an instance waits without
// a session before it exits (a Go duration; default [DefaultIdle]).
const EnvIdle = "RPMPGP_RESIDENT_IDLE"

// DefaultIdle is how long an instance waits without a session before it
// exits.
const DefaultIdle = 60 * time.Second

// MaxLifetime is how long an instance serves sessions: past it, it exits
// between two sessions, so that what it read once at its start (OpenSSL's
// configuration, its libraries) is not older than that.
const MaxLifetime = 10 * time.Minute

// ReadyPrefix starts the line an instance writes on its standard output
// once its record is written; the host that started it waits for it.
const ReadyPrefix = "rpmpgp-resident-ready pid "

// IdleFromEnv returns the idle time $RPMPGP_RESIDENT_IDLE sets, else
// [DefaultIdle]; a value that is not a positive duration is an error.
func IdleFromEnv() (time.Duration, error) {
	v := os.Getenv(EnvIdle)
	if v == "" {
		return DefaultIdle, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("$%s = %q: expected a positive duration such as \"60s\"", EnvIdle, v)
	}
	return d, nil
}

// ServeConfig configures [Serve].
type ServeConfig struct {
	// Base is the instance's path without suffix (from [EnvInstance]).
	Base string
	// Idle is how long to wait without a session before exiting.
	Idle time.Duration
	// NewSession makes the service of each session.
	NewSession NewSession
	// Logger receives the instance's log; after the start it writes to
	// /dev/null unless it has its own output.
	Logger hclog.Logger
}

// Serve runs a resident instance and returns when it exits: it listens
// on the descriptor socket Base.fd, serves go-plugin's gRPC server in its
// reattachable mode (ServeConfig.Test: no handshake on stdout, no
// shutdown by a host) on a socket in Base's directory, writes the record
// Base.rec, writes the ready line on stdout and then puts /dev/null on
// its standard descriptors, so that nothing it writes can block on or be
// killed by (SIGPIPE) the pipes of a host that has gone. The process must
// already lead its own session (the host starts it with setsid). It exits
// after cfg.Idle without a session, holding the instance's lock so that
// no host attaches meanwhile, and removes its record and sockets.
func Serve(cfg ServeConfig) error {
	logger := cfg.Logger
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	// Deferred first, so run last: the lock is released after the record
	// and the sockets are gone.
	defer func() {
		if lk := exitLock.Load(); lk != nil {
			lk.Close()
		}
	}()
	fdPath := cfg.Base + SuffixFD
	_ = os.Remove(fdPath) // an instance that died left it
	ln, err := net.ListenUnix("unixpacket", &net.UnixAddr{Name: fdPath, Net: "unixpacket"})
	if err != nil {
		return fmt.Errorf("descriptor socket: %w", err)
	}
	// Removed below only while the record is this instance's: an
	// instance that outlived its record (replaced after it seemed dead)
	// must not remove its successor's socket.
	ln.SetUnlinkOnClose(false)
	defer ln.Close()
	sw := &switcher{newSession: cfg.NewSession, logger: logger, since: time.Now()}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	attach := make(chan *goplugin.ReattachConfig, 1)
	closed := make(chan struct{})
	go goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig:  wire.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{wire.ProtocolVersion: {wire.PluginName: &switchPlugin{sw: sw}}},
		GRPCServer:       newGRPCServer,
		Logger:           logger,
		Test:             &goplugin.ServeTestConfig{Context: ctx, ReattachConfigCh: attach, CloseCh: closed},
	})
	var rc *goplugin.ReattachConfig
	select {
	case rc = <-attach:
	case <-closed:
		return errors.New("the plugin server ended before it listened")
	}
	rec := Record{PID: os.Getpid(), Network: rc.Addr.Network(), Addr: rc.Addr.String()}
	if err := WriteRecord(cfg.Base+SuffixRecord, rec); err != nil {
		cancel()
		<-closed
		return err
	}
	defer func() {
		if r, err := ReadRecord(cfg.Base + SuffixRecord); err == nil && r.PID == rec.PID {
			_ = os.Remove(fdPath)
			_ = os.Remove(cfg.Base + SuffixRecord)
		}
	}()
	// SIGTERM (how a user stops an instance) and SIGINT end it cleanly.
	// SIGPIPE is ignored: nothing it writes may kill it once the host that
	// started it is gone.
	signal.Ignore(syscall.SIGPIPE)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	if _, err := fmt.Fprintf(os.Stdout, "%s%d\n", ReadyPrefix, rec.PID); err != nil {
		cancel()
		<-closed
		return err
	}
	if err := detach(); err != nil {
		logger.Warn("detaching from the host's standard descriptors", "error", err)
	}
	go sw.accept(ln)
	go waitIdle(sw, cfg.Idle, cfg.Base+SuffixLock, cancel, logger)
	<-closed
	sw.closeAll()
	return nil
}

// waitIdle cancels the instance once it has had no session for idle and
// holds its lock (kept until the process exits).
func waitIdle(sw *switcher, idle time.Duration, lockPath string, cancel func(), logger hclog.Logger) {
	start := time.Now()
	tick := max(min(idle/4, time.Second), 10*time.Millisecond)
	// done: idle for long enough, or past MaxLifetime and between
	// sessions.
	done := func() bool {
		d := sw.idleFor()
		return d >= idle || d > 0 && time.Since(start) >= MaxLifetime
	}
	for {
		time.Sleep(tick)
		if !done() {
			continue
		}
		lk, err := TryLock(lockPath)
		if err != nil {
			continue // a host is attaching
		}
		if !done() {
			lk.Close()
			continue
		}
		logger.Debug("idle: exiting", "idle", idle)
		exitLock.Store(lk) // held until Serve has cleaned up
		cancel()
		return
	}
}

// exitLock is the instance's lock, held by an instance that exits idle
// until it has removed its record and sockets.
var exitLock atomic.Pointer[os.File]

// detach puts /dev/null on descriptors 0, 1 and 2.
func detach() error {
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer null.Close()
	for fd := range 3 {
		if err := syscall.Dup3(int(null.Fd()), fd, 0); err != nil {
			return err
		}
	}
	return nil
}

// newGRPCServer is the backend's gRPC server (wire.NewGRPCServer) that
// refuses go-plugin's Shutdown: a host ends its session by closing its
// connections and never stops a resident instance.
func newGRPCServer(opts []grpc.ServerOption) *grpc.Server {
	refuse := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		if strings.HasSuffix(info.FullMethod, "/Shutdown") {
			return nil, status.Error(codes.PermissionDenied, "a resident backend is not shut down by a host")
		}
		return h(ctx, req)
	}
	return wire.NewGRPCServer(append(opts, grpc.ChainUnaryInterceptor(refuse)))
}

// switchPlugin registers the backend service of a switcher.
type switchPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	sw *switcher
}

// GRPCServer implements goplugin.GRPCPlugin.
func (p *switchPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	s.RegisterService(p.sw.serviceDesc(), pb.UnimplementedBackendServer{})
	return nil
}

// GRPCClient implements goplugin.GRPCPlugin (never called in a backend).
func (p *switchPlugin) GRPCClient(context.Context, *goplugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, errors.New("rpmpgp: resident: no client side")
}
