package launch

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"testing"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-plugin/runner"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// TestEarlyEnvIsANormalStart: a process started early gets the environment
// a normal start gives (newCommand, then go-plugin's handshake variables),
// and checkHandshake accepts what go-plugin adds for the runner that
// adopts it. A go-plugin that changed what it adds fails here, and at run
// time makes the host discard what it started early.
func TestEarlyEnvIsANormalStart(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	t.Setenv(spawn.EnvExecFD, "7") // inherited host-only variables are dropped
	// Inherited go-plugin variables: rpmpgp's own win, as exec.Cmd keeps
	// the last of duplicates.
	t.Setenv(spawn.EnvUnixSocketDir, "/shared")
	t.Setenv("PLUGIN_MIN_PORT", "1")
	const bin = "/bin/true"
	f, err := os.Open(bin)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	c := newCommand(bin, f)
	defer c.Release()
	if c.SockDir == "" || c.NoChannel != nil || c.ByPath {
		t.Fatalf("newCommand: socket directory %q, channel error %v, by path %v", c.SockDir, c.NoChannel, c.ByPath)
	}
	handshake := func(with func(*goplugin.ClientConfig)) []string {
		cfg := &goplugin.ClientConfig{HandshakeConfig: wire.Handshake, VersionedPlugins: wire.Plugins(nil), SkipHostEnv: true,
			Logger: hclog.NewNullLogger(), AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC}}
		var env []string
		with(cfg)
		if cfg.Cmd == nil {
			cfg.RunnerFunc = func(_ hclog.Logger, cmd *exec.Cmd, tmpDir string) (runner.Runner, error) {
				env = cmd.Env
				_ = os.Remove(tmpDir)
				return nil, errors.New("not started")
			}
		}
		pc := goplugin.NewClient(cfg)
		defer pc.Kill()
		if _, err := pc.Start(); err == nil {
			t.Fatal("started")
		}
		if cfg.Cmd != nil {
			env = cfg.Cmd.Env
		}
		return env
	}
	// A normal start: go-plugin appends its variables to newCommand's.
	normal := handshake(func(cfg *goplugin.ClientConfig) {
		cmd := exec.Command("/nonexistent/rpmpgp-backend")
		cmd.Env = slices.Clone(c.Cmd.Env)
		cfg.Cmd = cmd
	})
	// What exec.Cmd passes of it (Environ: duplicates removed).
	passed := (&exec.Cmd{Path: "/nonexistent", Env: normal}).Environ()
	if got := spawn.EarlyEnv(os.Environ(), c.SockDir); !slices.Equal(got, passed) {
		t.Errorf("normal start's environment\n%q\nearly start's\n%q", passed, got)
	}
	if !slices.Contains(passed, spawn.EnvUnixSocketDir+"="+c.SockDir) || slices.Contains(passed, spawn.EnvUnixSocketDir+"=/shared") {
		t.Errorf("socket directory in %q; want %s", passed, c.SockDir)
	}
	// An adoption: what go-plugin adds for the runner passes.
	if err := checkHandshake(handshake(func(*goplugin.ClientConfig) {})); err != nil {
		t.Error(err)
	}
	if err := checkHandshake([]string{"RPMPGP_BACKEND_PLUGIN=x"}); err == nil {
		t.Error("checkHandshake accepted another cookie")
	}
}
