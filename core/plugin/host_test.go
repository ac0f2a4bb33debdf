package plugin

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// envHostMode makes the test binary act as an rpmpgp host (hostMain): it
// opens the test backend, prints "pid <backend pid>" and waits to be
// killed. Its value is the plugin directory; envHostSignals=1 installs
// CloseOnSignal.
const (
	envHostMode    = "RPMPGP_PLUGIN_TEST_HOST"
	envHostSignals = "RPMPGP_PLUGIN_TEST_HOST_SIGNALS"
)

func hostMain() int {
	if os.Getenv(envHostSignals) != "" {
		defer CloseOnSignal()()
	}
	c, err := Open("test", LoadConfig{Dirs: []string{os.Getenv(envHostMode)}})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	p := osProcess(c)
	if p == nil {
		fmt.Println("error: no backend process")
		return 1
	}
	fmt.Printf("pid %d socket %s\n", c.PID(), p.Socket())
	time.Sleep(time.Minute)
	return 0
}

// startHost runs the test binary as a host and returns it with the pid of
// its backend.
func startHost(t *testing.T, signals bool) (*exec.Cmd, int) {
	t.Helper()
	cmd, pid, _ := startHostSocket(t, signals)
	return cmd, pid
}

// startHostSocket is startHost that also returns the Unix socket path the
// backend listened on.
func startHostSocket(t *testing.T, signals bool) (*exec.Cmd, int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), envHostMode+"="+testBinDir, EnvPluginDir+"=")
	if signals {
		cmd.Env = append(cmd.Env, envHostSignals+"=1")
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading host output: %v", err)
	}
	var pid int
	var sock string
	if n, err := fmt.Sscanf(strings.TrimSpace(line), "pid %d socket %s", &pid, &sock); n != 2 || err != nil || pid <= 0 {
		t.Fatalf("host said %q", line)
	}
	if !testutil.ProcessAlive(pid) {
		t.Fatalf("backend %d is not running", pid)
	}
	return cmd, pid, sock
}

// TestNoOrphanAfterHostKill proves Pdeathsig: a backend dies with a host
// killed by SIGKILL, and leaves no socket file behind (it was removed as
// soon as the host connected).
func TestNoOrphanAfterHostKill(t *testing.T) {
	host, pid, sock := startHostSocket(t, false)
	if !strings.Contains(sock, "plugin") {
		t.Fatalf("socket path %q", sock)
	}
	if _, err := os.Stat(sock); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("socket %s still exists once connected: %v", sock, err)
	}
	if err := host.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = host.Wait()
	if !testutil.WaitGone(pid, 5*time.Second) {
		t.Fatalf("backend %d survived its SIGKILLed host", pid)
	}
	if _, err := os.Stat(sock); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("socket %s left behind: %v", sock, err)
	}
}

// TestCloseOnSignal: SIGTERM closes the backends, then the host dies of
// the signal.
func TestCloseOnSignal(t *testing.T) {
	host, pid := startHost(t, true)
	if err := host.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := host.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok {
		t.Fatalf("host ended with %v, want death by SIGTERM", err)
	}
	if ws := ee.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("host ended with %v, want death by SIGTERM", err)
	}
	if !testutil.WaitGone(pid, 5*time.Second) {
		t.Fatalf("backend %d survived SIGTERM of its host", pid)
	}
}
