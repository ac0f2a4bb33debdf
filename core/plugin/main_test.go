package plugin

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/launch"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/server"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/supervise"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/testbackend"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// testBinDir holds the test backend binary, rpmpgp-backend-test, built once
// by TestMain.
var testBinDir string

// testBackendPath is the test backend binary.
func testBackendPath() string { return filepath.Join(testBinDir, BinaryPrefix+"test") }

func TestMain(m *testing.M) {
	if os.Getenv(envHostMode) != "" {
		os.Exit(hostMain())
	}
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "rpmpgp-plugin-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	testBinDir = dir
	// Tests that need $RPMPGP_PLUGIN_DIR set it themselves (t.Setenv).
	os.Unsetenv(EnvPluginDir)
	if err := goBuild(testBackendPath(), "./internal/testbackend/cmd/rpmpgp-backend-test"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// goBuild builds pkg (relative to this package) into out.
func goBuild(out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
	}
	return nil
}

// openTest opens the test backend out of process with cfg (Dirs is set to
// the build directory) and closes it at the end of the test.
func openTest(t testing.TB, cfg LoadConfig) *Client {
	t.Helper()
	cfg.Dirs = append([]string{testBinDir}, cfg.Dirs...)
	c, err := Open("test", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// memClient serves impl in memory (gRPC over bufconn, with the server
// options of real backends) and returns a Client for it; every (re)start
// makes a new server.
func memClient(t testing.TB, impl core.Backend) *Client {
	t.Helper()
	start := func() (supervise.Process, error) {
		lis := bufconn.Listen(1 << 20)
		srv := wire.NewGRPCServer(nil)
		pb.RegisterBackendServer(srv, server.New(impl, nil, nil))
		go srv.Serve(lis)
		conn, err := grpc.NewClient("passthrough:///bufconn",
			grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(1<<31-1)))
		if err != nil {
			srv.Stop()
			return nil, err
		}
		return &memProcess{rpc: pb.NewBackendClient(conn), close: func() {
			conn.Close()
			srv.Stop()
		}}, nil
	}
	c := newClient(supervise.New("mem", "(memory)", 10*time.Second, nil, start))
	if err := c.sup.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// memProcess is an in-memory backend "process": it never exits by itself
// and has no descriptor channel.
type memProcess struct {
	rpc   pb.BackendClient
	close func()
	once  sync.Once
}

func (m *memProcess) RPC() pb.BackendClient    { return m.rpc }
func (m *memProcess) PID() int                 { return -1 }
func (m *memProcess) FDs() *fdpass.Sender      { return nil }
func (m *memProcess) Exited() bool             { return false }
func (m *memProcess) WaitExited(time.Duration) {}
func (m *memProcess) ExitReason() string       { return "" }
func (m *memProcess) SigKill()                 {}
func (m *memProcess) Kill()                    { m.Stop() }
func (m *memProcess) Stop()                    { m.once.Do(m.close) }
func (m *memProcess) Abandon()                 { m.Stop() }

// osProcess returns the running backend process of c (nil: none runs).
func osProcess(c *Client) *launch.Process {
	if inst := c.sup.Running(); inst != nil {
		if p, ok := inst.Process.(*launch.Process); ok {
			return p
		}
	}
	return nil
}

var _ = testbackend.New
