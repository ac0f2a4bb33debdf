package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestVerifyJSONSchema: `verify --output json` (and its alias --json)
// writes one object valid against docs/schema/rpmpgp-verify-v1.json, with
// the verdict, the key ID and fingerprint in lower-case hex (NOKEY too)
// and lint codes (a SHA-1 signature is weak-hash).
func TestVerifyJSONSchema(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("gpg"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("gpg not found")
		}
		t.Skip("gpg not found")
	}
	sch := compileSchema(t, filepath.Join(testutil.RepoRoot(), "docs", "schema", "rpmpgp-verify-v1.json"))
	keys := filepath.Join(testutil.Fixtures(), "keys")
	home, dir := t.TempDir(), t.TempDir()
	data := filepath.Join(dir, "repomd.xml")
	if err := os.WriteFile(data, []byte("<repomd/>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gpg := func(args ...string) {
		cmd := exec.Command("gpg", append([]string{"--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", ""}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gpg %v: %v\n%s", args, err, out)
		}
	}
	gpg("--import", filepath.Join(keys, "rsa2048.secret.asc"))
	gpg("--armor", "--detach-sign", "--digest-algo", "SHA256", "-o", data+".sha256.asc", data)
	gpg("--armor", "--detach-sign", "--digest-algo", "SHA1", "-o", data+".sha1.asc", data)
	type verifyOut struct {
		Verdict        string `json:"verdict"`
		KeyID          string `json:"key_id"`
		KeyFingerprint string `json:"key_fingerprint"`
		Lints          []struct {
			Code string `json:"code"`
		} `json:"lints"`
	}
	tests := []struct {
		flag, key, sig string
		rc             int
		want           verifyOut
		lint           string
	}{
		{"--output=json", "rsa2048.asc", ".sha256.asc", 0, verifyOut{Verdict: "OK", KeyID: "b87ce62b9606154f", KeyFingerprint: "87c557a75b43c4da554b920ab87ce62b9606154f"}, ""},
		{"--json", "rsa2048.asc", ".sha1.asc", 1, verifyOut{Verdict: "NOTTRUSTED", KeyID: "b87ce62b9606154f", KeyFingerprint: "87c557a75b43c4da554b920ab87ce62b9606154f"}, "weak-hash"},
		{"-ojson", "rsa4096.asc", ".sha256.asc", 1, verifyOut{Verdict: "NOKEY", KeyID: "b87ce62b9606154f", KeyFingerprint: "87c557a75b43c4da554b920ab87ce62b9606154f"}, ""},
	}
	for _, tt := range tests {
		out, stderr, rc := exitCode(t, rpmpgpCmd(t, "verify", tt.flag, "--no-system-keys", "--keyring", filepath.Join(keys, tt.key), data+tt.sig, data))
		if rc != tt.rc {
			t.Errorf("%s %s: rc %d, want %d\n%s%s", tt.key, tt.sig, rc, tt.rc, out, stderr)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(out)))
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", tt.key, tt.sig, err, out)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s %s: invalid: %v\n%s", tt.key, tt.sig, err, out)
		}
		var got verifyOut
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		lint := ""
		if len(got.Lints) > 0 {
			lint = got.Lints[0].Code
		}
		got.Lints = nil
		if got.Verdict != tt.want.Verdict || got.KeyID != tt.want.KeyID || got.KeyFingerprint != tt.want.KeyFingerprint || lint != tt.lint {
			t.Errorf("%s %s: %+v lint %q, want %+v lint %q", tt.key, tt.sig, got, lint, tt.want, tt.lint)
		}
	}
}
