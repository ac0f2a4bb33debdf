package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestKeysListJSONSchema: `keys list --output json` of an fs keystore with
// two keys, of the same keys selected by fingerprint, and of empty openpgp
// and rpmdb keystores is one object valid against
// docs/schema/rpmpgp-keys-v1.json, with the keys in key-ID order and
// lower-case hex fingerprints and key IDs.
func TestKeysListJSONSchema(t *testing.T) {
	t.Parallel()
	sch := compileSchema(t, filepath.Join(testutil.RepoRoot(), "docs", "schema", "rpmpgp-keys-v1.json"))
	fx := testutil.Fixtures()
	root := t.TempDir()
	if out, stderr, rc := rpmpgpOut(t, "keys", "import", "--root", root, "--keystore", "fs",
		filepath.Join(fx, "keys", "ed25519.asc"), filepath.Join(fx, "keys", "rsa2048.asc")); rc != 0 || out != "" || stderr != "" {
		t.Fatalf("keys import: rc %d, stdout %q, stderr %q", rc, out, stderr)
	}
	dir := filepath.Join(root, "var", "lib", "rpm", "pubkeys")
	rsa := jsonKey{
		Fingerprint: "87c557a75b43c4da554b920ab87ce62b9606154f", KeyID: "b87ce62b9606154f",
		UserID: "rpmpgp test rsa2048 <rsa2048@rpmpgp.invalid>", Created: 1704067200,
		Source: filepath.Join(dir, "gpg-pubkey-87c557a75b43c4da554b920ab87ce62b9606154f.key"),
	}
	ed := jsonKey{
		Fingerprint: "db960bd77a1939bbf2df0db4f3042b09e56d935b", KeyID: "f3042b09e56d935b",
		UserID: "rpmpgp test ed25519 <ed25519@rpmpgp.invalid>", Created: 1704067200,
		Source: filepath.Join(dir, "gpg-pubkey-db960bd77a1939bbf2df0db4f3042b09e56d935b.key"),
	}
	for _, tc := range []struct {
		args []string
		want jsonKeyList
	}{
		{[]string{"--keystore", "fs", "--output", "json"}, jsonKeyList{"rpmpgp-keys/v1", "fs", dir, []jsonKey{rsa, ed}}},
		{[]string{"--keystore", "fs", "-o", "json", "DB960BD77A1939BBF2DF0DB4F3042B09E56D935B"}, jsonKeyList{"rpmpgp-keys/v1", "fs", dir, []jsonKey{ed}}},
		{[]string{"--keystore", "openpgp", "-o", "json"}, jsonKeyList{"rpmpgp-keys/v1", "openpgp", dir, []jsonKey{}}},
		{[]string{"-o", "json"}, jsonKeyList{"rpmpgp-keys/v1", "rpmdb", filepath.Join(root, "var", "lib", "rpm"), []jsonKey{}}},
	} {
		out, stderr, rc := rpmpgpOut(t, append([]string{"keys", "list", "--root", root}, tc.args...)...)
		if rc != 0 || stderr != "" {
			t.Fatalf("%v: rc %d, stderr %q", tc.args, rc, stderr)
		}
		validateDoc(t, sch, "keys list", []byte(out))
		var got jsonKeyList
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if g, w := mustJSON(t, got), mustJSON(t, tc.want); g != w {
			t.Errorf("%v:\n%s\nwant:\n%s", tc.args, g, w)
		}
	}
}

// mustJSON is v as compact JSON.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
