package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	goplugin "github.com/hashicorp/go-plugin"
)

// TestFloorRuns builds the floor program and runs it as make bench does:
// it must start itself as a go-plugin plugin, answer the health check and
// exit 0, or the bench's floor row measures a failure.
func TestFloorRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := filepath.Join(t.TempDir(), "floor")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).CombinedOutput()
	if err != nil {
		t.Fatalf("floor: %v\n%s", err, out)
	}
	if len(out) != 0 {
		t.Errorf("floor printed %q, want nothing", out)
	}
	// Started as the plugin by hand (the cookie set, no host), it must
	// serve: go-plugin prints its handshake line "1|1|unix|...|grpc|".
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), handshake.MagicCookieKey+"="+handshake.MagicCookieValue, "PLUGIN_PROTOCOL_VERSIONS=1",
		goplugin.EnvUnixSocketDir+"="+t.TempDir()) // its socket is removed with it
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line := make([]byte, 9)
	if _, err := io.ReadFull(stdout, line); err != nil {
		t.Fatalf("reading the handshake: %v", err)
	}
	if got := string(line); got != "1|1|unix|" {
		t.Errorf("handshake starts %q, want %q", got, "1|1|unix|")
	}
}
