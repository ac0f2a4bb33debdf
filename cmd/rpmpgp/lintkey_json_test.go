package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestLintKeyJSONSchema: `lint-key --output json` over the fixture key
// directory (public and secret key files) and a missing file, with each
// backend, is one object valid against
// docs/schema/rpmpgp-lint-key-v1.json, with the verdicts and codes of the
// lint-key rule.
func TestLintKeyJSONSchema(t *testing.T) {
	t.Parallel()
	sch := compileSchema(t, filepath.Join(testutil.RepoRoot(), "docs", "schema", "rpmpgp-lint-key-v1.json"))
	keys := filepath.Join(testutil.Fixtures(), "keys")
	missing := filepath.Join(t.TempDir(), "missing.asc")
	type want struct{ verdict, fingerprint, code string }
	cases := map[string]map[string]want{
		"gocrypto": {
			"expired.asc":        {"NOTTRUSTED", "f1106e0ff3634ed34e7a2a813049fb5af18f8d59", "expired"},
			"revoked.asc":        {"NOTTRUSTED", "b0ece23fb0c41a7184d27e34c5bcce0a4b48f4ae", "revoked"},
			"nosign.asc":         {"BAD", "b61d83a8e5793b6bcf401ea2b273bd1487b774e4", "no-signing-key"},
			"dsa1024.asc":        {"NOTTRUSTED", "51c438f73938e56676c1291a13747677a581f9a3", "weak-key"},
			"p256.asc":           {"OK", "455746962207113e5af331b461116671f38e9b05", ""},
			"ed25519.asc":        {"OK", "db960bd77a1939bbf2df0db4f3042b09e56d935b", ""},
			"rsa2048.secret.asc": {"BAD", "", ""},
		},
		"internal-legacy": {
			"expired.asc":    {"OK", "f1106e0ff3634ed34e7a2a813049fb5af18f8d59", ""},
			"nosign.asc":     {"OK", "b61d83a8e5793b6bcf401ea2b273bd1487b774e4", ""},
			"p256.asc":       {"BAD", "", ""},
			"v6-ed25519.asc": {"BAD", "", ""},
		},
	}
	if hasOpenSSL {
		cases["openssl"] = cases["gocrypto"] // the same strict rules
	}
	for backend, wants := range cases {
		out, _, code := exitCode(t, rpmpgpCmd(t, "--backend", backend, "lint-key", "-o", "json", "--at", "2026-01-01T00:00:00Z", keys, missing))
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(out)))
		if err != nil {
			t.Fatalf("%s: %v\n%s", backend, err, out)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: invalid: %v\n%s", backend, err, out)
		}
		var doc struct {
			Backend string `json:"backend"`
			Keys    []struct {
				Source, Fingerprint, Verdict, Refused string
				Lints                                 []struct{ Code string }
			}
			Errors []struct{ Source string }
			NotOK  int `json:"not_ok"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Backend != backend || len(doc.Errors) != 1 || doc.Errors[0].Source != missing {
			t.Errorf("%s: backend %q, errors %+v", backend, doc.Backend, doc.Errors)
		}
		if code != min(doc.NotOK, maxFailCount) || doc.NotOK < 2 {
			t.Errorf("%s: exit %d, not_ok %d", backend, code, doc.NotOK)
		}
		seen := map[string]bool{}
		for _, k := range doc.Keys {
			name := filepath.Base(k.Source)
			w, ok := wants[name]
			if !ok {
				continue
			}
			seen[name] = true
			if k.Verdict != w.verdict || k.Fingerprint != w.fingerprint {
				t.Errorf("%s %s: %s %q, want %s %q", backend, name, k.Verdict, k.Fingerprint, w.verdict, w.fingerprint)
			}
			if w.verdict == "BAD" && w.code == "" && k.Refused == "" {
				t.Errorf("%s %s: BAD without the refusal", backend, name)
			}
			if w.code != "" && (len(k.Lints) == 0 || k.Lints[0].Code != w.code) {
				t.Errorf("%s %s: lints %+v, want first code %s", backend, name, k.Lints, w.code)
			}
		}
		if len(seen) != len(wants) {
			t.Errorf("%s: saw %v of %d keys", backend, seen, len(wants))
		}
	}
}
