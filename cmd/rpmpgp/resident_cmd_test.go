package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestResidentListStop: `resident list` (text and JSON, valid against
// docs/schema/rpmpgp-resident-v1.json) shows the instance a command left
// with its recorded pid and socket, running; `resident stop NAME` stops
// it (exit 0, one line naming it and its pid) and it is gone; a record
// whose process was killed is listed stale, and `resident stop` reports
// it, signals nothing and exits 0.
func TestResidentListStop(t *testing.T) {
	sch := compileSchema(t, filepath.Join(testutil.RepoRoot(), "docs", "schema", "rpmpgp-resident-v1.json"))
	r := newResidentRun(t, "RPMPGP_RESIDENT_IDLE=10m")
	pkg := filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa2048.rpm")
	key := filepath.Join(testutil.Fixtures(), "keys", "rsa2048.asc")
	start := func() (string, int) {
		t.Helper()
		if rc, stdout, stderr := runExit(t, r.cmd("--resident", "checksig", "--no-system-keys", "--keyring", key, pkg)); rc != 0 || stderr != "" {
			t.Fatalf("checksig --resident: rc %d, stdout %q, stderr %q", rc, stdout, stderr)
		}
		for name, pid := range r.records() {
			return name, pid
		}
		t.Fatal("no instance")
		return "", 0
	}
	name, pid := start()
	dir := filepath.Join(r.runtime, "rpmpgp")
	out, stderr, rc := exitCode(t, r.cmd("resident", "list", "--json"))
	if rc != 0 || stderr != "" {
		t.Fatalf("list --json: rc %d, stderr %q", rc, stderr)
	}
	validateDoc(t, sch, "resident list --json", []byte(out))
	var rep residentReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Instances) != 1 || rep.Schema != "rpmpgp-resident/v1" || rep.Dir != dir {
		t.Fatalf("list --json:\n%s\nwant one instance in %s", out, dir)
	}
	in := rep.Instances[0]
	if in.Name != name || in.PID != pid || filepath.Dir(in.Addr) != dir || in.State != "running" || in.Reason != "" || in.Age == nil || in.Written == "" {
		t.Fatalf("list --json: %+v; want %s pid %d running", in, name, pid)
	}
	rc, stdout, stderr := runExit(t, r.cmd("resident", "list"))
	line := regexp.MustCompile(`\A` + regexp.QuoteMeta(fmt.Sprintf("%s pid %d addr %s age ", name, pid, in.Addr)) + `[0-9]+s running\n\z`)
	if rc != 0 || stderr != "" || !line.MatchString(stdout) {
		t.Fatalf("list: rc %d, stdout %q, stderr %q; want 0, %v", rc, stdout, stderr, line)
	}
	rc, stdout, stderr = runExit(t, r.cmd("resident", "stop", name))
	if want := fmt.Sprintf("stopped %s (pid %d)\n", name, pid); rc != 0 || stdout != want || stderr != "" {
		t.Fatalf("stop %s: rc %d, stdout %q, stderr %q; want 0, %q", name, rc, stdout, stderr, want)
	}
	if testutil.ProcessAlive(pid) {
		t.Fatalf("instance %d runs after the stop", pid)
	}
	if recs := r.records(); len(recs) != 0 {
		t.Fatalf("records after the stop: %v", recs)
	}

	// Killed: its record is stale, and stays.
	name, pid = start()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if !testutil.WaitGone(pid, 5*time.Second) {
		t.Fatalf("instance %d did not die", pid)
	}
	out, _, rc = exitCode(t, r.cmd("resident", "list", "-o", "json"))
	validateDoc(t, sch, "resident list -o json, stale", []byte(out))
	rep = residentReport{}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	why := fmt.Sprintf("process %d is gone", pid)
	if rc != 0 || len(rep.Instances) != 1 || rep.Instances[0].State != "stale" || rep.Instances[0].Reason != why {
		t.Fatalf("list -o json of a killed instance: rc %d\n%s\nwant it stale: %s", rc, out, why)
	}
	rc, stdout, stderr = runExit(t, r.cmd("resident", "stop"))
	if want := fmt.Sprintf("not running %s (pid %d): stale record: %s\n", name, pid, why); rc != 0 || stdout != want || stderr != "" {
		t.Fatalf("stop of a stale record: rc %d, stdout %q, stderr %q; want 0, %q", rc, stdout, stderr, want)
	}
	if recs := r.records(); len(recs) != 1 || recs[name] != pid {
		t.Fatalf("records after stop: %v; want the stale one left", recs)
	}
}

// TestResidentLine: the line of each state of `resident list`.
func TestResidentLine(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	rec := plugin.ResidentInstance{Name: "gocrypto-0123456789abcdef"}
	rec.Record.PID, rec.Record.Addr = 42, "/run/user/0/rpmpgp/plugin1"
	rec.Written = now.Add(-90 * time.Second)
	for _, tc := range []struct {
		state plugin.ResidentState
		why   string
		want  string
	}{
		{plugin.ResidentRunning, "", "gocrypto-0123456789abcdef pid 42 addr /run/user/0/rpmpgp/plugin1 age 1m30s running"},
		{plugin.ResidentStale, "process 42 is gone", "gocrypto-0123456789abcdef pid 42 addr /run/user/0/rpmpgp/plugin1 age 1m30s stale record: process 42 is gone"},
		{plugin.ResidentUnchecked, "process 42: too many open files", "gocrypto-0123456789abcdef pid 42 addr /run/user/0/rpmpgp/plugin1 age 1m30s unchecked: process 42: too many open files"},
		{plugin.ResidentInvalid, "record has mode 0644, want 0600", "gocrypto-0123456789abcdef age 1m30s invalid record: record has mode 0644, want 0600"},
	} {
		in := rec
		in.State, in.Why = tc.state, tc.why
		if got := residentLine(in, now); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.state, got, tc.want)
		}
	}
}
