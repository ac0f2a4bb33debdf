package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestConfigJSONSchema validates rpmpgp config --output json, with settings
// from a flag, the environment, a file and defaults, against its schema.
func TestConfigJSONSchema(t *testing.T) {
	sch := compileSchema(t, filepath.Join(testutil.RepoRoot(), "docs", "schema", "rpmpgp-config-v1.json"))
	conf := filepath.Join(t.TempDir(), "c.toml")
	if err := os.WriteFile(conf, []byte("backend = \"internal-legacy\"\n[plugins.checksums]\ngocrypto = \""+string(bytes.Repeat([]byte("0"), 64))+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := rpmpgpCmd(t, "config", "--config", conf, "--fips", "off", "-o", "json")
	cmd.Env = append(cmd.Env, "RPMPGP_ROOT=/", "RPMPGP_PLUGIN_DIR=/nonexistent")
	out, stderr, rc := exitCode(t, cmd)
	if rc != 0 {
		t.Fatalf("rc %d: %s", rc, stderr)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(out)))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("invalid: %v\n%s", err, out)
	}
	// plugin_dir: $RPMPGP_PLUGIN_DIR's directories, searched first, are
	// its value and source (the schema's description of value and source).
	plugins := "{\n      \"key\": \"plugin_dir\",\n      \"value\": \"/nonexistent\",\n      \"source\": \"env\",\n      \"from\": \"RPMPGP_PLUGIN_DIR\"\n    }"
	for _, want := range []string{`"source": "flag"`, `"source": "env"`, `"line": 3`, `"source": "default"`, plugins} {
		if !bytes.Contains([]byte(out), []byte(want)) {
			t.Errorf("no %s in\n%s", want, out)
		}
	}
}
