package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestOutputTextOrJSON: every command with a text-or-json --output refuses
// another value with the same usage error, byte for byte (exit 254, one
// line and the hint of the command), before it reads anything; "" is
// refused where the default is text and accepted where it is "" (the
// default, text).
func TestOutputTextOrJSON(t *testing.T) {
	for _, tc := range []struct {
		args []string
		help string // the command of the hint
	}{
		{[]string{"backends", "-o", "yaml"}, "rpmpgp backends"},
		{[]string{"conformance", "-o", "yaml"}, "rpmpgp conformance"},
		{[]string{"policy", "-o", "yaml"}, "rpmpgp policy"},
		{[]string{"policy", "-o", ""}, "rpmpgp policy"},
		{[]string{"policy", "-o", "yaml", "extra"}, ""},
		{[]string{"lint-key", "-o", "yaml", "/nonexistent"}, "rpmpgp lint-key"},
		{[]string{"lint-key", "--output", "", "/nonexistent"}, "rpmpgp lint-key"},
		{[]string{"verify", "-o", "yaml", "/nonexistent.sig", "/nonexistent"}, "rpmpgp verify"},
		{[]string{"config", "-o", "yaml"}, "rpmpgp config"},
		{[]string{"config", "-o", ""}, "rpmpgp config"},
		{[]string{"keys", "list", "--output", "JSON"}, "rpmpgp keys list"},
		{[]string{"resident", "list", "-o", "yaml"}, "rpmpgp resident list"},
	} {
		var stdout, stderr bytes.Buffer
		rc := run(tc.args, &stdout, &stderr)
		if tc.help == "" {
			// policy takes no arguments: that usage error comes first.
			if rc != exitUsage || strings.Contains(stderr.String(), "--output") {
				t.Errorf("%q: rc %d, stderr %q", tc.args, rc, stderr.String())
			}
			continue
		}
		value := ""
		for i, a := range tc.args {
			if a == "-o" || a == "--output" {
				value = tc.args[i+1]
			}
		}
		want := `error: --output "` + value + "\": expected text or json\nrpmpgp: hint: see '" + tc.help + " --help'\n"
		if rc != exitUsage || stdout.Len() != 0 || stderr.String() != want {
			t.Errorf("%q: rc %d, stdout %q, stderr %q; want rc %d, stderr %q", tc.args, rc, stdout.String(), stderr.String(), exitUsage, want)
		}
	}
}

// TestOutputDefaultAccepted: the flag's own default passes the check, ""
// only where it is the default.
func TestOutputDefaultAccepted(t *testing.T) {
	root := newRootCmd(&bytes.Buffer{}, &bytes.Buffer{})
	for _, tc := range []struct {
		path    []string
		emptyOK bool
	}{
		{[]string{"backends"}, true},
		{[]string{"conformance"}, true},
		{[]string{"verify"}, true},
		{[]string{"keys", "list"}, true},
		{[]string{"resident", "list"}, true},
		{[]string{"policy"}, false},
		{[]string{"lint-key"}, false},
		{[]string{"config"}, false},
	} {
		c, _, err := root.Find(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range textOrJSON {
			if err := checkTextOrJSON(c, v); err != nil {
				t.Errorf("%v: %q refused: %v", tc.path, v, err)
			}
		}
		if err := checkTextOrJSON(c, ""); (err == nil) != tc.emptyOK {
			t.Errorf("%v: \"\" gives %v, want accepted %v", tc.path, err, tc.emptyOK)
		}
	}
}

// TestOutputCompletion: completing --output offers the values the check
// accepts (checksig its own).
func TestOutputCompletion(t *testing.T) {
	for cmd, want := range map[string]string{"config": "text\njson\n", "keys list": "text\njson\n", "checksig": "rpm6\nrpm4\njson\n"} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"__completeNoDesc"}, strings.Fields(cmd)...)
		if rc := run(append(args, "--output", ""), &stdout, &stderr); rc != 0 || !strings.HasPrefix(stdout.String(), want+":") {
			t.Errorf("%s: rc %d, completions %q, want %q then the directive", cmd, rc, stdout.String(), want)
		}
	}
}
