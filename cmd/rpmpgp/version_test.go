package main

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestEveryBinaryReportsTheBuildVersion checks that rpmpgp and every backend
// report the version linked into the build (internal/version), so that one
// -ldflags setting, as the Makefile passes to all binaries, names them all.
func TestEveryBinaryReportsTheBuildVersion(t *testing.T) {
	out, err := rpmpgpCmd(t, "--version").Output()
	if err != nil {
		t.Fatalf("rpmpgp --version: %v", err)
	}
	if got, want := string(out), "rpmpgp version "+testVersion+"\n"; got != want {
		t.Errorf("rpmpgp --version = %q, want %q", got, want)
	}
	out, err = rpmpgpCmd(t, "backends", "--json").Output()
	if err != nil {
		t.Fatalf("rpmpgp backends --json: %v", err)
	}
	var rep backendsReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("rpmpgp backends --json: %v\n%s", err, out)
	}
	var names []string
	for _, in := range rep.Backends {
		names = append(names, in.Name)
		if in.Describe == nil {
			t.Errorf("backend %s: %s", in.Name, in.Error)
			continue
		}
		if in.Describe.Version != testVersion {
			t.Errorf("backend %s reports version %q, want %q", in.Name, in.Describe.Version, testVersion)
		}
	}
	want := []string{"gocrypto", "internal-legacy"}
	if hasOpenSSL {
		want = append(want, "openssl")
	}
	for _, n := range want {
		if !slices.Contains(names, n) {
			t.Errorf("backend %s not listed (got %v)", n, names)
		}
	}
}
