// Package rpmdb reads the OpenPGP certificates that rpm keeps in its
// package database as gpg-pubkey headers (rpm's "rpmdb" keystore,
// lib/keystore.cc keystore_rpmdb::load_keys). It only reads: writing
// gpg-pubkey headers is rpm's job.
//
// Each backend has its own bounded reader: sqlite (rpmdb.sqlite, through a
// pure-Go SQLite), ndb (Packages.db, package internal/ndb). Berkeley DB (Packages) is
// recognised and refused. Headers are parsed with core/rpm's header reader
// and a certificate is taken only from the RPMTAG_PUBKEYS entry of a header
// whose RPMTAG_NAME is "gpg-pubkey": text elsewhere in the database (for
// example a key quoted in an ordinary package's %description) is never
// looked at. A database that cannot be read is an error, never an empty
// keyring.
package rpmdb

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rpmpgp/rpmpgp/core/rpm"
	"github.com/rpmpgp/rpmpgp/keystore/rpmdb/internal/ndb"
)

// Limits on what is read from a database.
const (
	// maxPubkeyHeader bounds one gpg-pubkey header (real ones are a few KiB).
	maxPubkeyHeader = ndb.MaxHeader
	// maxPubkeys bounds the number of gpg-pubkey headers.
	maxPubkeys = 10000
)

// pubkeyName is the name of rpm's key pseudo-packages (makePubkeyHeader).
const pubkeyName = "gpg-pubkey"

// Backend names, as rpm's %_db_backend calls them.
const (
	BackendSQLite = "sqlite"
	BackendNDB    = "ndb"
	BackendBDB    = "bdb"
)

// ErrNoDatabase is returned when the directory holds no rpm database.
var ErrNoDatabase = errors.New("no rpm database")

// backendFiles maps each backend to its file in the database directory, in
// rpm's detection order (lib/backend/dbi.c: backends[] = sqlite, ndb,
// bdb_ro; dbDetectBackend tries each backend's path).
var backendFiles = []struct{ name, file string }{
	{BackendSQLite, "rpmdb.sqlite"},
	{BackendNDB, "Packages.db"},
	{BackendBDB, "Packages"},
}

// Key is one gpg-pubkey header's certificate.
type Key struct {
	// NEVR is the header's name-version-release, e.g.
	// "gpg-pubkey-9606154f-65920080" (rpm 4) or with the fingerprint as
	// version (rpm 6).
	NEVR string
	// Num is the header's package number in the database (hnum/pkgidx).
	Num uint32
	// Cert is the binary certificate (base64-decoded RPMTAG_PUBKEYS).
	Cert []byte
}

// record is one header blob read from a database.
type record struct {
	num  uint32
	blob []byte
}

// Detect returns the backend and database file in dir, like rpm's
// dbDetectBackend, and checks the file's magic: a file that is not what
// its name says is an error.
func Detect(dir string) (backend, path string, err error) {
	for _, b := range backendFiles {
		p := filepath.Join(dir, b.file)
		if _, err := os.Stat(p); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			return "", "", err
		}
		kind, err := sniffFile(p)
		if err != nil {
			return "", "", err
		}
		if kind != b.name {
			return "", "", fmt.Errorf("%s: not a %s database (unknown or corrupt format)", p, b.name)
		}
		return b.name, p, nil
	}
	return "", "", fmt.Errorf("%s: %w", dir, ErrNoDatabase)
}

// Sniff reports which rpm database format data starts with ("sqlite",
// "ndb", "bdb"), or "".
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("SQLite format 3\x00")):
		return BackendSQLite
	case len(data) >= 4 && binary.LittleEndian.Uint32(data) == ndb.Magic:
		return BackendNDB
	case len(data) >= 16 && isBDBMagic(data[12:16]):
		return BackendBDB
	}
	return ""
}

// isBDBMagic matches the Berkeley DB hash and btree magic numbers at offset
// 12 of the meta page, in either byte order.
func isBDBMagic(b []byte) bool {
	for _, m := range []uint32{0x00061561, 0x00053162} {
		if binary.LittleEndian.Uint32(b) == m || binary.BigEndian.Uint32(b) == m {
			return true
		}
	}
	return false
}

func sniffFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var head [100]byte
	n, err := io.ReadFull(f, head[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return Sniff(head[:n]), nil
}

// ReadKeys returns the certificates of the gpg-pubkey headers in the rpm
// database in dir, in package-number order, and the backend that held them.
// A header that is not a gpg-pubkey header is never read for keys; a
// PUBKEYS value that does not decode is skipped, as rpm skips it.
func ReadKeys(dir string) (string, []Key, error) {
	backend, path, err := Detect(dir)
	if err != nil {
		return "", nil, err
	}
	var recs []record
	switch backend {
	case BackendSQLite:
		recs, err = readSQLite(path)
	case BackendNDB:
		var nrecs []ndb.Record
		nrecs, err = ndb.Read(path, pubkeyName)
		for _, r := range nrecs {
			recs = append(recs, record{num: r.Num, blob: r.Blob})
		}
	default:
		return backend, nil, fmt.Errorf("%s: Berkeley DB rpm databases are not supported (rpm 4.16+ reads them only to convert them; run 'rpmdb --rebuilddb')", path)
	}
	if err != nil {
		return backend, nil, fmt.Errorf("rpmdb (%s): %w", backend, err)
	}
	keys, err := pubkeys(recs)
	if err != nil {
		return backend, nil, fmt.Errorf("rpmdb (%s) %s: %w", backend, path, err)
	}
	return backend, keys, nil
}

// pubkeys extracts the certificates of gpg-pubkey headers
// (keystore_rpmdb::load_keys: headerGet(RPMTAG_PUBKEYS), rpmBase64Decode,
// rpmPubkeyNew).
func pubkeys(recs []record) ([]Key, error) {
	var out []Key
	for _, r := range recs {
		h, err := rpm.ParseBlob(r.blob)
		if err != nil {
			return nil, fmt.Errorf("package %d: corrupt header: %w", r.num, err)
		}
		name, err := h.StringTag(rpm.TagName)
		if err != nil {
			return nil, fmt.Errorf("package %d: %w", r.num, err)
		}
		if name != pubkeyName {
			return nil, fmt.Errorf("package %d: the index calls it gpg-pubkey, its header says %q", r.num, name)
		}
		e, ok := h.Get(rpm.TagPubKeys)
		if !ok {
			continue // load_keys: no PUBKEYS, nothing to load
		}
		vals, err := e.StringArray()
		if err != nil {
			return nil, fmt.Errorf("package %d: PUBKEYS: %w", r.num, err)
		}
		nevr := name
		for _, t := range []rpm.Tag{rpm.TagVersion, rpm.TagRelease} {
			if v, err := h.StringTag(t); err == nil {
				nevr += "-" + v
			}
		}
		for _, v := range vals {
			cert, err := decodeBase64(v)
			if err != nil || len(cert) == 0 {
				continue
			}
			out = append(out, Key{NEVR: nevr, Num: r.num, Cert: cert})
		}
	}
	return out, nil
}

// decodeBase64 decodes like rpmio/rpmbase64.c:rpmBase64Decode, which skips
// whitespace between the characters.
func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			return -1
		}
		return r
	}, s)
	return base64.StdEncoding.DecodeString(s)
}
