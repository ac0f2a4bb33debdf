package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestPolicyJSONSchema: `policy --output json` (and -o json) for the
// built-in defaults, RPM_SEQUOIA_CRYPTO_POLICY="" and --policy FILE is one
// object valid against docs/schema/rpmpgp-policy-v1.json, with the source
// and the settings of the policy read.
func TestPolicyJSONSchema(t *testing.T) {
	t.Parallel()
	sch := compileSchema(t, filepath.Join(testutil.RepoRoot(), "docs", "schema", "rpmpgp-policy-v1.json"))
	file := filepath.Join(t.TempDir(), "p.config")
	if err := os.WriteFile(file, []byte("[hash_algorithms]\nsha1.collision_resistance = \"never\"\n[asymmetric_algorithms]\nrsa2048 = 2030-01-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	type src struct{ Kind, Var, Path, Text string }
	tests := []struct {
		args    []string
		env     string
		want    src
		setting string // key=value that must be there
	}{
		{[]string{"policy", "--output", "json"}, "RPM_SEQUOIA_CRYPTO_POLICY=", src{"env-empty", "RPM_SEQUOIA_CRYPTO_POLICY", "", `$RPM_SEQUOIA_CRYPTO_POLICY=""`}, "rsa1024=2014-02-01"},
		{[]string{"policy", "-o", "json", "--policy", file}, "", src{"explicit", "", file, file}, "rsa2048=2030-01-01"},
		{[]string{"policy", "-o", "json"}, "RPM_SEQUOIA_CRYPTO_POLICY=" + file, src{"env-file", "RPM_SEQUOIA_CRYPTO_POLICY", file, "$RPM_SEQUOIA_CRYPTO_POLICY=" + file}, "sha1.collision_resistance=never"},
	}
	for _, tt := range tests {
		cmd := rpmpgpCmd(t, tt.args...)
		if tt.env != "" {
			cmd.Env = append(cmd.Env, tt.env)
		}
		out, err := cmd.Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				t.Fatalf("%v: %v\n%s", tt.args, err, ee.Stderr)
			}
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%v: invalid: %v\n%s", tt.args, err, out)
		}
		var doc struct {
			Schema   string
			Source   src
			Settings []struct{ Section, Key, Value string }
		}
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Schema != "rpmpgp-policy/v1" || doc.Source != tt.want {
			t.Errorf("%v: schema %q source %+v, want %+v", tt.args, doc.Schema, doc.Source, tt.want)
		}
		found := false
		for _, s := range doc.Settings {
			found = found || s.Key+"="+s.Value == tt.setting
		}
		if !found || len(doc.Settings) < 40 {
			t.Errorf("%v: %d settings, %s found: %v", tt.args, len(doc.Settings), tt.setting, found)
		}
	}
}
