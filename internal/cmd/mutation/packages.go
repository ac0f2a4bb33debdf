package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// Package is a seed package and the certificates that verify it.
type Package struct {
	// Name is short and stable: it names the package's mutants in reports
	// and in the exceptions file.
	Name string
	// Path is the file, Keys the certificate files (absolute paths).
	Path string
	Keys []string
	// Origin says how the package was made.
	Origin string
	Data   []byte
}

// seed describes a seed package relative to its root.
type seed struct {
	name, file, origin string
	keys               []string
	corpus             bool // under $RPMPGP_CORPUS/rpm-testsuite, not testdata/
}

// seeds are the packages mutated: rpmsign 4.18 signatures of both kinds
// (RSA 268, EdDSA 267), our generator's header+payload signatures (1002,
// 1005, the only way to reach rpm 4.18's legacy signature code) and rpm's
// own test-suite package made by rpmbuild and signed by rpmsign (268+1002,
// a larger main header and a compressed payload).
var seeds = []seed{
	{name: "rs-rsa2048", file: "rpms/rpmsign-rsa2048.rpm", keys: []string{"keys/rsa2048.asc"}, origin: "rpmbuild + rpmsign 4.18 (RSA, tag 268)"},
	{name: "rs-ed25519", file: "rpms/rpmsign-ed25519.rpm", keys: []string{"keys/ed25519.asc"}, origin: "rpmbuild + rpmsign 4.18 (EdDSA, tag 267)"},
	{name: "go-legacy-rsa", file: "rpms/go-legacy-rsa.rpm", keys: []string{"keys/rsa2048.asc"}, origin: "mkfixtures (RSA, tags 268 + 1002)"},
	{name: "go-legacy-dsa", file: "rpms/go-legacy-dsa.rpm", keys: []string{"keys/dsa2048.asc"}, origin: "mkfixtures (DSA, tags 267 + 1005)"},
	{name: "hello-signed", file: "RPMS/hello-2.0-1.x86_64-signed.rpm", keys: []string{"keys/rpm.org-rsa-2048-test.pub"}, corpus: true, origin: "rpm test suite: rpmbuild + rpmsign (RSA, tags 268 + 1002)"},
}

// loadPackages reads the seeds from testdata (and the corpus, when
// corpusDir is not empty).
func loadPackages(testdata, corpusDir string, only map[string]bool) ([]*Package, error) {
	var out []*Package
	for _, s := range seeds {
		if len(only) > 0 && !only[s.name] {
			continue
		}
		root := testdata
		if s.corpus {
			if corpusDir == "" {
				continue
			}
			root = filepath.Join(corpusDir, "rpm-testsuite")
		}
		p := &Package{Name: s.name, Path: filepath.Join(root, s.file), Origin: s.origin}
		for _, k := range s.keys {
			p.Keys = append(p.Keys, filepath.Join(root, k))
		}
		data, err := os.ReadFile(p.Path)
		if err != nil {
			return nil, fmt.Errorf("seed %s: %w", s.name, err)
		}
		p.Data = data
		out = append(out, p)
	}
	return out, nil
}
