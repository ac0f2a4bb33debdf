package plugin

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestHungHandshake: a backend that never completes the go-plugin handshake
// (it sleeps, or prints half of its handshake line and sleeps) fails Open
// after the one start-up deadline (the call timeout) with an error saying
// so, and neither it nor the child it started outlives the failure: the
// process group is killed.
func TestHungHandshake(t *testing.T) {
	t.Setenv(EnvPluginDir, "")
	for name, handshake := range map[string]string{
		"silent":    "",
		"half line": "printf '%s|%s|unix|' " + strconv.Itoa(1) + " " + strconv.Itoa(ProtocolVersion),
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			pids := filepath.Join(dir, "pids")
			// The shell records its pid and its child's, then waits on the
			// child (an hour) instead of answering. The child keeps no pipe
			// of go-plugin's open, so that only the group kill ends it.
			script := fmt.Sprintf("#!/bin/sh\n%s\nsleep 3600 </dev/null >/dev/null 2>&1 &\necho $$ $! > %s.tmp && mv %s.tmp %s\nwait\n", handshake, pids, pids, pids)
			path := filepath.Join(dir, BinaryPrefix+"hung")
			if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			c, err := Open("hung", LoadConfig{Dirs: []string{dir}, CallTimeout: 2 * time.Second})
			if err == nil {
				c.Close()
				t.Fatal("Open of a backend that never completes its handshake succeeded")
			}
			want := fmt.Sprintf(`backend "hung": starting %s: handshake deadline of 2s expired: the backend did not complete the plugin handshake and was killed (searched %q`, path, dir)
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Open = %v\nwant prefix %s", err, want)
			}
			data, err := os.ReadFile(pids)
			if err != nil {
				t.Fatalf("the backend did not record its pids: %v", err)
			}
			var shell, child int
			if n, err := fmt.Sscanf(string(data), "%d %d", &shell, &child); n != 2 || err != nil {
				t.Fatalf("pids file %q", data)
			}
			// Open has returned: the backend was killed and reaped, its
			// child killed with the group (reaped by init, or a zombie).
			if testutil.ProcessAlive(shell) {
				t.Errorf("backend process %d still runs after Open failed", shell)
			}
			if !testutil.WaitGone(child, 5*time.Second) {
				t.Errorf("the backend's child %d outlived the failed start: the process group was not killed", child)
			}
		})
	}
}
