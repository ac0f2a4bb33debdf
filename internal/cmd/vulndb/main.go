// Command vulndb provides govulncheck with a real Go vulnerability database
// without reaching vuln.go.dev (make vulncheck): CI and the developers'
// machines reach only the Go module proxy.
//
// The module golang.org/x/vulndb carries the database's OSV entries
// (data/osv/GO-*.json) and the generator that lays them out as a v1
// database (cmd/indexdb: index/db.json, index/modules.json,
// index/vulns.json, ID/GO-*.json), which `govulncheck -db file:///dir`
// reads. vulndb downloads the pinned module version through the proxy, runs
// that version's indexdb on it, checks the result, and prints the database's
// file URL. The database is cached per module version under the user cache
// directory, so only the first run for a version builds it (about a
// minute); bump the pinned version (Makefile VULNDB) to get newer entries.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	module := flag.String("module", "", "golang.org/x/vulndb@VERSION to build the database from (required)")
	cache := flag.String("cache", "", "cache directory (default: <user cache dir>/rpmpgp/vulndb)")
	goCmd := flag.String("go", "go", "the go command")
	flag.Parse()
	if err := run(*module, *cache, *goCmd); err != nil {
		fmt.Fprintf(os.Stderr, "vulndb: %v\n", err)
		os.Exit(1)
	}
}

func run(module, cache, goCmd string) error {
	path, version, ok := strings.Cut(module, "@")
	if !ok || path != "golang.org/x/vulndb" || version == "" || strings.ContainsAny(version, `/\`) {
		return fmt.Errorf("-module %q: want golang.org/x/vulndb@VERSION", module)
	}
	if cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("no cache directory: %w", err)
		}
		cache = filepath.Join(dir, "rpmpgp", "vulndb")
	}
	db, err := ensure(cache, version, func(out string) error { return build(goCmd, module, out) })
	if err != nil {
		return err
	}
	fmt.Println((&url.URL{Scheme: "file", Path: db}).String())
	return nil
}

// ensure returns the database directory of the vulndb version under cache,
// building it with gen into a temporary directory and renaming it into
// place when it is missing, so that an interrupted build never looks done.
func ensure(cache, version string, gen func(out string) error) (string, error) {
	db, err := filepath.Abs(filepath.Join(cache, version))
	if err != nil {
		return "", err
	}
	if check(db) == nil {
		return db, nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	tmp, err := os.MkdirTemp(cache, ".build-")
	if err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := gen(tmp); err != nil {
		return "", err
	}
	if err := check(tmp); err != nil {
		return "", fmt.Errorf("generated database: %w", err)
	}
	if err := os.RemoveAll(db); err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	if err := os.Rename(tmp, db); err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	return db, nil
}

// build downloads module through the module proxy and runs the same
// version's indexdb over its OSV entries, writing the database to out.
func build(goCmd, module, out string) error {
	dl := exec.Command(goCmd, "mod", "download", "-json", module)
	dl.Stderr = os.Stderr
	js, err := dl.Output()
	if err != nil {
		return fmt.Errorf("go mod download %s: %w", module, err)
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(js, &info); err != nil {
		return fmt.Errorf("go mod download %s: %w", module, err)
	}
	if info.Error != "" || info.Dir == "" {
		return fmt.Errorf("go mod download %s: %s", module, info.Error)
	}
	_, version, _ := strings.Cut(module, "@")
	gen := exec.Command(goCmd, "run", "golang.org/x/vulndb/cmd/indexdb@"+version,
		"-vulns", filepath.Join(info.Dir, "data", "osv"), "-out", out)
	gen.Stdout, gen.Stderr = os.Stderr, os.Stderr
	if err := gen.Run(); err != nil {
		return fmt.Errorf("indexdb: %w", err)
	}
	return nil
}

// minModules is the least number of modules a real database indexes (the
// x/vulndb of 2026-11 indexes several thousand); fewer means something
// went wrong, and an almost empty database would pass every scan.
const minModules = 1000

// check verifies that dir holds a v1 database that govulncheck can use: the
// index files parse, the module index is not nearly empty and names the
// standard library, and every indexed entry is present.
func check(dir string) error {
	var meta struct {
		Modified string `json:"modified"`
	}
	if err := readJSON(filepath.Join(dir, "index", "db.json"), &meta); err != nil {
		return err
	}
	var mods []struct {
		Path  string `json:"path"`
		Vulns []struct {
			ID string `json:"id"`
		} `json:"vulns"`
	}
	if err := readJSON(filepath.Join(dir, "index", "modules.json"), &mods); err != nil {
		return err
	}
	if len(mods) < minModules {
		return fmt.Errorf("%s: %d modules indexed, want at least %d", dir, len(mods), minModules)
	}
	stdlib := false
	for _, m := range mods {
		stdlib = stdlib || m.Path == "stdlib"
		for _, v := range m.Vulns {
			if strings.ContainsAny(v.ID, `/\`) || v.ID == "" {
				return fmt.Errorf("%s: bad vulnerability ID %q", dir, v.ID)
			}
			if _, err := os.Stat(filepath.Join(dir, "ID", v.ID+".json")); err != nil {
				return fmt.Errorf("%s: indexed entry missing: %w", dir, err)
			}
		}
	}
	if !stdlib {
		return errors.New(dir + ": no standard library entries")
	}
	return nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
