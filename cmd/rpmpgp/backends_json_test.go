package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// validateDoc checks that out is one JSON document valid against sch.
func validateDoc(t *testing.T, sch *jsonschema.Schema, what string, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("%s: %v\n%s", what, err, out)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s: invalid: %v\n%s", what, err, out)
	}
}

// TestBackendsJSONSchema: `backends --output json`, -o json and the alias
// --json write the same object, valid against
// docs/schema/rpmpgp-backends-v1.json, listing the backends built into
// ./bin with the selected one marked; a selected backend that cannot start
// (FIPS required from gocrypto) is an entry with an error, exit 255, still
// valid. -o with another value is a usage error (254).
func TestBackendsJSONSchema(t *testing.T) {
	t.Parallel()
	sch := compileSchema(t, filepath.Join(testutil.RepoRoot(), "docs", "schema", "rpmpgp-backends-v1.json"))
	var first string
	for _, args := range [][]string{{"--output", "json"}, {"-o", "json"}, {"--json"}} {
		out, stderr, rc := exitCode(t, rpmpgpCmd(t, append([]string{"--backend", "internal-legacy", "backends"}, args...)...))
		if rc != 0 || stderr != "" {
			t.Fatalf("%v: rc %d, stderr %q", args, rc, stderr)
		}
		validateDoc(t, sch, "backends "+args[0], []byte(out))
		if first == "" {
			first = out
		} else if out != first {
			t.Errorf("%v differs from --output json:\n%s\nwant:\n%s", args, out, first)
		}
	}
	var rep backendsReport
	if err := json.Unmarshal([]byte(first), &rep); err != nil {
		t.Fatal(err)
	}
	if want := []string{binDir}; rep.Schema != "rpmpgp-backends/v1" || !slices.Equal(rep.Searched, want) {
		t.Errorf("schema %q searched %v, want rpmpgp-backends/v1 %v", rep.Schema, rep.Searched, want)
	}
	var names, selected []string
	for _, b := range rep.Backends {
		names = append(names, b.Name)
		if b.Selected {
			selected = append(selected, b.Name)
		}
		if b.Describe == nil || b.Describe.Name != b.Name || b.Path != filepath.Join(binDir, "rpmpgp-backend-"+b.Name) {
			t.Errorf("backend %s: path %s, describe %+v, error %q", b.Name, b.Path, b.Describe, b.Error)
		}
	}
	want := []string{"gocrypto", "internal-legacy"}
	if hasOpenSSL {
		want = []string{"gocrypto", "internal-legacy", "openssl"}
	}
	if !slices.Equal(names, want) || !slices.Equal(selected, []string{"internal-legacy"}) {
		t.Errorf("backends %v selected %v, want %v selected [internal-legacy]", names, selected, want)
	}

	out, _, rc := exitCode(t, rpmpgpCmd(t, "--backend", "gocrypto", "--fips", "require", "backends", "-o", "json"))
	if rc != exitConfig {
		t.Errorf("--fips require, gocrypto: rc %d, want %d", rc, exitConfig)
	}
	validateDoc(t, sch, "backends --fips require", []byte(out))
	var refused backendsReport
	if err := json.Unmarshal([]byte(out), &refused); err != nil {
		t.Fatal(err)
	}
	for _, b := range refused.Backends {
		if b.Name == "gocrypto" && (b.Describe != nil || b.Error == "") {
			t.Errorf("--fips require: gocrypto has describe %+v, error %q; want only an error", b.Describe, b.Error)
		}
	}

	// No backend at all: 255 and the same error line in both formats; JSON
	// still writes its (valid) document.
	// rpmpgp alone in a directory (its own directory is searched too).
	empty := t.TempDir()
	lone := filepath.Join(t.TempDir(), "rpmpgp")
	data, err := os.ReadFile(filepath.Join(binDir, "rpmpgp"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lone, data, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json"} {
		cmd := rpmpgpCmd(t, "--plugin-dir", empty, "backends", "-o", format)
		cmd.Path, cmd.Args[0] = lone, lone
		out, stderr, rc := exitCode(t, cmd)
		if want := "error: no backends found in " + empty + ", " + filepath.Dir(lone); rc != exitConfig || !strings.HasPrefix(stderr, want) {
			t.Errorf("no backends, %s: rc %d, stderr %q; want %d, %q", format, rc, stderr, exitConfig, want)
		}
		if format == "json" {
			validateDoc(t, sch, "backends, none found", []byte(out))
		}
	}

	out, stderr, rc := exitCode(t, rpmpgpCmd(t, "backends", "-o", "yaml"))
	if want := "error: --output \"yaml\": expected text or json\nrpmpgp: hint: see 'rpmpgp backends --help'\n"; rc != exitUsage || out != "" || stderr != want {
		t.Errorf("-o yaml: rc %d, stdout %q, stderr %q; want %d, %q", rc, out, stderr, exitUsage, want)
	}
}
