package main

import (
	"bufio"
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

// checksigSchemaFile is the JSON Schema of `checksig --output json`.
func checksigSchemaFile() string {
	return filepath.Join(testutil.RepoRoot(), "docs", "schema", "rpmpgp-checksig-v2.json")
}

// compileSchema compiles the JSON Schema at path.
func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(path)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	return sch
}

// ndjsonLine is the part of a checksig JSON line the test looks at.
type ndjsonLine struct {
	Type    string `json:"type"`
	Schema  string `json:"schema"`
	Path    string `json:"path"`
	Summary string `json:"summary"`
	Error   *struct {
		Code string `json:"code"`
	} `json:"error"`
	Items []struct {
		Name           string `json:"name"`
		Verdict        string `json:"verdict"`
		KeyID          string `json:"key_id"`
		KeyFingerprint string `json:"key_fingerprint"`
		Lints          []struct {
			Code string `json:"code"`
		} `json:"lints"`
	} `json:"items"`
	Packages int `json:"packages"`
	Imports  []struct {
		Source   string `json:"source"`
		Imported bool   `json:"imported"`
		Lints    []struct {
			Code string `json:"code"`
		} `json:"lints"`
	} `json:"key_imports"`
}

// TestChecksigJSONSchema: `checksig --output json` over every fixture
// package (and a file that is no package) with each backend is NDJSON: one
// line per package in input order, then one summary, every line valid
// against docs/schema/rpmpgp-checksig-v2.json; NOKEY items carry their key
// ID; the weak-crypto packages and refused keys carry lint codes.
func TestChecksigJSONSchema(t *testing.T) {
	t.Parallel()
	sch := compileSchema(t, checksigSchemaFile())
	fx := testutil.Fixtures()
	pkgs, err := filepath.Glob(filepath.Join(fx, "rpms", "*.rpm"))
	if err != nil || len(pkgs) == 0 {
		t.Fatalf("no fixture packages: %v", err)
	}
	notRPM := filepath.Join(t.TempDir(), "notrpm.txt")
	if err := os.WriteFile(notRPM, []byte("not a package\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	files := append(slices.Clone(pkgs), notRPM)
	backends := []string{"gocrypto", "internal-legacy"}
	if hasOpenSSL {
		backends = append(backends, "openssl")
	}
	for _, backend := range backends {
		for _, verbose := range []bool{false, true} {
			args := []string{"--backend", backend, "checksig", "--output", "json", "--at", "2026-01-01T00:00:00Z", "--keyring", filepath.Join(fx, "keys")}
			if verbose {
				args = append(args, "-v")
			}
			out, _, code := exitCode(t, rpmpgpCmd(t, append(args, files...)...))
			if code < 1 || code > len(files) {
				t.Fatalf("%s: exit %d", backend, code)
			}
			var lines []ndjsonLine
			sc := bufio.NewScanner(strings.NewReader(out))
			sc.Buffer(nil, 1<<20)
			for n := 1; sc.Scan(); n++ {
				inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(sc.Bytes()))
				if err != nil {
					t.Fatalf("%s line %d: %v", backend, n, err)
				}
				if err := sch.Validate(inst); err != nil {
					t.Errorf("%s -v=%v line %d invalid: %v\n%s", backend, verbose, n, err, sc.Bytes())
				}
				var l ndjsonLine
				if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
					t.Fatal(err)
				}
				lines = append(lines, l)
			}
			if len(lines) != len(files)+1 {
				t.Fatalf("%s: %d lines for %d packages", backend, len(lines), len(files))
			}
			codes := map[string]bool{}
			for i, f := range files {
				l := lines[i]
				if l.Type != "package" || l.Path != f {
					t.Errorf("%s line %d: %s %s, want package %s", backend, i+1, l.Type, l.Path, f)
				}
				for _, it := range l.Items {
					if it.Verdict == "NOKEY" && len(it.KeyID) != 16 {
						t.Errorf("%s %s %s: NOKEY without a key ID", backend, filepath.Base(f), it.Name)
					}
					if it.Verdict == "NOTFOUND" && !verbose {
						t.Errorf("%s %s %s: NOTFOUND item without -v", backend, filepath.Base(f), it.Name)
					}
					for _, li := range it.Lints {
						codes[filepath.Base(f)+" "+li.Code] = true
					}
				}
			}
			if e := lines[len(files)-1].Error; e == nil || e.Code != "not-rpm" {
				t.Errorf("%s: the text file: error %+v, want not-rpm", backend, e)
			}
			sum := lines[len(files)]
			if sum.Type != "summary" || sum.Schema != checksigSchema || sum.Packages != len(files) {
				t.Errorf("%s: summary %+v", backend, sum)
			}
			if backend == "internal-legacy" {
				continue
			}
			for _, want := range []string{"go-rsa-sha1.rpm weak-hash", "go-expired-sig.rpm expired", "go-future-sig.rpm not-yet-valid", "go-revoked-key.rpm revoked", "go-nosign.rpm no-signing-key"} {
				if !codes[want] {
					t.Errorf("%s: no lint %s", backend, want)
				}
			}
			refused := map[string]string{}
			for _, imp := range sum.Imports {
				if !imp.Imported && len(imp.Lints) > 0 {
					refused[filepath.Base(imp.Source)] = imp.Lints[0].Code
				}
			}
			for k, want := range map[string]string{"rsa1024.asc": "weak-key", "dsa1024.asc": "weak-key", "sha1selfsig.asc": "weak-hash"} {
				if refused[k] != want {
					t.Errorf("%s: refused import of %s: code %q, want %q", backend, k, refused[k], want)
				}
			}
		}
	}
}
