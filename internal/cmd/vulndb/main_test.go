package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeDB lays out a v1 database with n modules (the first one "stdlib"
// when withStdlib), one entry each.
func writeDB(t *testing.T, dir string, n int, withStdlib bool) {
	t.Helper()
	type vuln struct {
		ID string `json:"id"`
	}
	type mod struct {
		Path  string `json:"path"`
		Vulns []vuln `json:"vulns"`
	}
	var mods []mod
	for i := range n {
		p := fmt.Sprintf("example.com/m%d", i)
		if i == 0 && withStdlib {
			p = "stdlib"
		}
		mods = append(mods, mod{Path: p, Vulns: []vuln{{ID: fmt.Sprintf("GO-2026-%d", i)}}})
	}
	for _, d := range []string{"index", "ID"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := json.Marshal(mods)
	files := map[string]string{"index/db.json": `{"modified":"2026-11-05T00:00:00Z"}`, "index/modules.json": string(b)}
	for _, m := range mods {
		files["ID/"+m.Vulns[0].ID+".json"] = `{"id":"` + m.Vulns[0].ID + `"}`
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEnsureBuildsOnceAndCaches(t *testing.T) {
	cache := t.TempDir()
	calls := 0
	gen := func(out string) error { calls++; writeDB(t, out, minModules, true); return nil }
	db, err := ensure(cache, "v1", gen)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "v1"); db != want {
		t.Errorf("db = %q, want %q", db, want)
	}
	if db2, err := ensure(cache, "v1", gen); err != nil || db2 != db {
		t.Errorf("second ensure = %q, %v; want %q, nil", db2, err, db)
	}
	if calls != 1 {
		t.Errorf("generator ran %d times, want 1 (the second run is a cache hit)", calls)
	}
	left, _ := filepath.Glob(filepath.Join(cache, ".build-*"))
	if len(left) != 0 {
		t.Errorf("temporary build directories left behind: %v", left)
	}
}

func TestEnsureRejectsBadDatabases(t *testing.T) {
	for _, tc := range []struct {
		name string
		gen  func(t *testing.T, out string) error
		want string
	}{
		{"generator fails", func(t *testing.T, out string) error { return errors.New("boom") }, "boom"},
		{"nearly empty", func(t *testing.T, out string) error { writeDB(t, out, 3, true); return nil }, "3 modules indexed, want at least 1000"},
		{"no stdlib", func(t *testing.T, out string) error { writeDB(t, out, minModules, false); return nil }, "no standard library entries"},
		{"entry missing", func(t *testing.T, out string) error {
			writeDB(t, out, minModules, true)
			return os.Remove(filepath.Join(out, "ID", "GO-2026-7.json"))
		}, "indexed entry missing"},
		{"no index", func(t *testing.T, out string) error { return nil }, "db.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cache := t.TempDir()
			_, err := ensure(cache, "v1", func(out string) error { return tc.gen(t, out) })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ensure error = %v, want one containing %q", err, tc.want)
			}
			if _, err := os.Stat(filepath.Join(cache, "v1")); !os.IsNotExist(err) {
				t.Errorf("a rejected database was cached (stat: %v)", err)
			}
		})
	}
}

func TestRunRejectsOtherModules(t *testing.T) {
	for _, m := range []string{"", "golang.org/x/vulndb", "golang.org/x/vuln@v1.9.0", "golang.org/x/vulndb@../x"} {
		if err := run(m, t.TempDir(), "go"); err == nil || !strings.Contains(err.Error(), "want golang.org/x/vulndb@VERSION") {
			t.Errorf("run(%q) = %v, want a usage error", m, err)
		}
	}
}
