package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ReadPackageDir lists the .rpm files of dir (not recursive, sorted) as
// package cases without expectations, each verified against keyring (key
// files imported in order, as rpmkeys --import). The report shows only the
// cases where verifiers disagree.
func ReadPackageDir(dir string, keyring []string) ([]Case, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var ring []string
	for _, k := range keyring {
		abs, err := filepath.Abs(k)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(abs); err != nil {
			return nil, fmt.Errorf("keyring: %w", err)
		}
		ring = append(ring, abs)
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	var cases []Case
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".rpm") {
			continue
		}
		cases = append(cases, Case{
			ID: e.Name(), Source: SourceDir, Kind: KindPackage,
			File: absDir, Input: filepath.Join(absDir, e.Name()),
			Keyring: ring,
		})
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].ID < cases[j].ID })
	if len(cases) == 0 {
		return nil, fmt.Errorf("%s: no .rpm files", dir)
	}
	return cases, nil
}
