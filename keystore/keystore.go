// Package keystore finds the OpenPGP certificates rpm trusts, where and the
// way rpm 6 finds them (lib/keystore.cc, lib/rpmts.cc getKeystore and
// loadKeyring), and manages the writable keystores.
//
// Three kinds, chosen like rpm's %_keyring macro:
//   - rpmdb: gpg-pubkey headers in the package database at
//     <root>/<dbpath> (read-only here; see package keystore/rpmdb);
//   - fs: armored files <root>/<keyringpath>/*.key, named
//     gpg-pubkey-<fingerprint>.key;
//   - openpgp: the openpgp-cert-d layout <root>/<keyringpath>/<fp[0:2]>/<fp[2:]>.
//
// The defaults are rpm's: %_dbpath /var/lib/rpm, %_keyringpath
// %{_dbpath}/pubkeys/, %_keyring rpmdb.
package keystore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/keystore/rpmdb"
)

// Kind is a keystore kind: the values of rpm's %_keyring macro.
type Kind string

// Keystore kinds.
const (
	KindRPMDB   Kind = "rpmdb"
	KindFS      Kind = "fs"
	KindOpenPGP Kind = "openpgp"
)

// Defaults, from rpm's macros (macros.in): %_keyring rpmdb (rpm 4.18 and
// rpm 6.0; lib/rpmts.cc getKeystore also falls back to rpmdb),
// %_dbpath %{_var}/lib/rpm, %_keyringpath %{_dbpath}/pubkeys/.
const (
	DefaultKind   = KindRPMDB
	DefaultDBPath = "/var/lib/rpm"
	keyringSubdir = "pubkeys"
)

// ParseKind parses a --keystore value.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(s); k {
	case KindRPMDB, KindFS, KindOpenPGP:
		return k, nil
	case "":
		return DefaultKind, nil
	}
	return "", fmt.Errorf("keystore %q: expected rpmdb, fs or openpgp", s)
}

// Options selects a keystore; the zero value is rpm's default keystore of
// the running system.
type Options struct {
	// Root is rpm's --root ("" or "/" for the running system). Every path
	// below is taken inside it.
	Root string
	// DBPath is %_dbpath (default /var/lib/rpm).
	DBPath string
	// Kind is %_keyring (default rpmdb).
	Kind Kind
	// KeyringPath is %_keyringpath (default <dbpath>/pubkeys).
	KeyringPath string
}

// Store is a resolved keystore.
type Store struct {
	// Kind is the keystore kind.
	Kind Kind
	// Dir is the directory that holds it, root included: the database
	// directory for rpmdb, the keyring directory otherwise.
	Dir string
	// LockDir is the directory of rpm's transaction lock (.rpm.lock,
	// %_rpmlock_path = %{_dbpath}/.rpm.lock), root included.
	LockDir string
}

// Resolve applies the defaults and the root.
func (o Options) Resolve() (Store, error) {
	kind, err := ParseKind(string(o.Kind))
	if err != nil {
		return Store{}, err
	}
	root := o.Root
	if root == "" {
		root = "/"
	}
	if !filepath.IsAbs(root) {
		// rpmtsSetRootDir refuses a relative root.
		return Store{}, fmt.Errorf("root %q: must be an absolute path", o.Root)
	}
	dbpath := o.DBPath
	if dbpath == "" {
		dbpath = DefaultDBPath
	}
	if !filepath.IsAbs(dbpath) {
		return Store{}, fmt.Errorf("dbpath %q: must be an absolute path", o.DBPath)
	}
	krpath := o.KeyringPath
	if krpath == "" {
		krpath = filepath.Join(dbpath, keyringSubdir)
	}
	if !filepath.IsAbs(krpath) {
		return Store{}, fmt.Errorf("keyringpath %q: must be an absolute path", o.KeyringPath)
	}
	s := Store{Kind: kind, LockDir: filepath.Join(root, dbpath)}
	if kind == KindRPMDB {
		s.Dir = filepath.Join(root, dbpath)
	} else {
		s.Dir = filepath.Join(root, krpath)
	}
	return s, nil
}

// String describes the store, e.g. "rpmdb /var/lib/rpm".
func (s Store) String() string { return fmt.Sprintf("%s keystore %s", s.Kind, s.Dir) }

// Writable reports whether rpmpgp writes to this kind of store.
func (s Store) Writable() bool { return s.Kind != KindRPMDB }

// ErrReadOnly is returned for writes to the rpmdb keystore.
var ErrReadOnly = errors.New("the rpmdb keystore is read-only here: gpg-pubkey headers are written by rpm itself (use 'rpmkeys --import', or choose --keystore fs or openpgp)")

// Load returns the keystore's certificates as key files, in rpm's load
// order. A keystore that does not exist yet (no database, no directory)
// holds no keys, as in rpm; one that cannot be read is an error.
func (s Store) Load() ([]core.KeyFile, error) {
	switch s.Kind {
	case KindRPMDB:
		_, keys, err := rpmdb.ReadKeys(s.Dir)
		if errors.Is(err, rpmdb.ErrNoDatabase) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		out := make([]core.KeyFile, 0, len(keys))
		for _, k := range keys {
			out = append(out, core.KeyFile{Source: "rpmdb:" + k.NEVR, Data: k.Cert})
		}
		return out, nil
	case KindFS, KindOpenPGP:
		names, err := s.files()
		if err != nil {
			return nil, err
		}
		var out []core.KeyFile
		total := 0
		for _, n := range names {
			data, err := core.ReadKeyFile(n)
			if err != nil {
				return nil, err
			}
			if total += len(data); total > maxStoreBytes {
				return nil, fmt.Errorf("%s: more than %d MiB of keys", s, maxStoreBytes>>20)
			}
			out = append(out, core.KeyFile{Source: n, Data: data})
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown keystore kind %q", s.Kind)
}

// Limits on a directory keystore.
const (
	maxStoreFiles = 10000
	maxStoreBytes = 256 << 20
)

// files lists the key files like rpm's globs (keystore.cc
// load_keys_from_glob): "%{_keyringpath}/*.key" for fs and
// "%{_keyringpath}/*/*" for openpgp; sorted (rpmGlob sorts); hidden files
// are not matched by glob(3); only regular files are read.
func (s Store) files() ([]string, error) {
	var pattern string
	switch s.Kind {
	case KindFS:
		pattern = filepath.Join(s.Dir, "*.key")
	case KindOpenPGP:
		pattern = filepath.Join(s.Dir, "*", "*")
	}
	if _, err := os.Stat(s.Dir); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		rel, _ := filepath.Rel(s.Dir, m)
		if hidden(rel) {
			continue
		}
		st, err := os.Stat(m)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		if s.Kind == KindOpenPGP && !isCertDName(rel) {
			continue
		}
		out = append(out, m)
		if len(out) > maxStoreFiles {
			return nil, fmt.Errorf("%s: more than %d files", s, maxStoreFiles)
		}
	}
	sort.Strings(out)
	return out, nil
}

func hidden(rel string) bool {
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

// isCertDName reports whether rel is "<2 hex>/<38 or 62 hex>": a
// certificate of the openpgp-cert-d layout (not the writelock, not a
// ".new" file left by an interrupted write).
func isCertDName(rel string) bool {
	dir, file := filepath.Split(rel)
	dir = strings.TrimSuffix(dir, string(filepath.Separator))
	return len(dir) == 2 && isHex(dir) && (len(file) == 38 || len(file) == 62) && isHex(file)
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return s != ""
}
