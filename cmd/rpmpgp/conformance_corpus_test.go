package main

import "testing"

// TestConformanceMissingCorpus: a corpus that was asked for and is missing
// fails the run (255) instead of running nothing.
func TestConformanceMissingCorpus(t *testing.T) {
	want := "error: corpus /nonexistent not found (set --corpus or RPMPGP_CORPUS to the shared corpus)\n"
	for name, env := range map[string][]string{
		"flag":        nil,
		"environment": {"RPMPGP_CORPUS=/nonexistent"},
	} {
		args := []string{"conformance", "--plugin-dir", binDir}
		if env == nil {
			args = append(args, "--corpus", "/nonexistent")
		}
		cmd := rpmpgpCmd(t, args...)
		cmd.Env = append(cmd.Env, env...)
		rc, stdout, stderr := runExit(t, cmd)
		if rc != exitConfig || stdout != "" || stderr != want {
			t.Errorf("%s: rc %d, stdout %q, stderr %q; want 255, %q", name, rc, stdout, stderr, want)
		}
	}
}
