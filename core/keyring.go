package core

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/rpmpgp/rpmpgp/internal/readlimit"
)

// maxKeyFile bounds one key file read into memory (rpm reads whole files
// too, rpmioSlurp); real certificate files are a few KiB.
const maxKeyFile = 16 << 20

// maxKeyFiles bounds the number of files read from one keyring directory.
const maxKeyFiles = 10000

// maxKeyringBytes bounds all key files of one LoadKeyring together (a
// distribution's keyring is well under a MiB). The files travel to the
// backend with Init, so host and backend each hold them: 16 MiB keeps a
// directory of large files within about 100 MiB across both (issue 13).
const maxKeyringBytes = 16 << 20

// KeyEntry is one key of a [Keyring]: a primary key or one of its subkeys,
// looked up by key ID as rpm's keyring does (rpmio/rpmkeyring.cc).
type KeyEntry struct {
	// Key is the key or subkey (Kind KindKey or KindSubkey); its Packet is the
	// whole certificate.
	Key *Params
	// Primary is the certificate's primary key (== Key for a primary).
	Primary *Params
	// Source says where the certificate came from.
	Source string
}

// ImportResult reports the import of one certificate (or one armor block
// that failed before it yielded a certificate).
type ImportResult struct {
	// Source is the file (or name) the certificate came from.
	Source string `json:"source"`
	// Index is rpm's 1-based "key N" number: the armor block in the file.
	Index int `json:"index"`
	// Fingerprint of the primary key, when it was parsed.
	Fingerprint []byte `json:"fingerprint,omitempty"`
	// RC is OK when the certificate was imported (or merged, or already
	// present), FAIL when refused, NOTTRUSTED when the backend's
	// pgpPubKeyLint said so (rpmtsImportPubkey returns that code).
	RC RC `json:"rc"`
	// Lint is the backend's explanation (a warning when RC is OK).
	Lint string `json:"lint,omitempty"`
	// Err is rpm's message for a refused import, e.g.
	// "key 1 not an armored public key." or "key 1 import failed.".
	Err string `json:"error,omitempty"`
}

// OK reports whether the certificate is in the keyring after the import.
func (r ImportResult) OK() bool { return r.RC == RCOK && r.Err == "" }

// Keyring holds certificates for signature verification. It mirrors rpm's
// rpmKeyring: entries are keyed by key ID, subkeys are separate entries,
// and importing a certificate whose fingerprint is already present merges
// the two (rpm 6 pgpPubkeyMerge; a backend without Merge keeps the old one,
// like rpm 4.18). Safe for concurrent use.
type Keyring struct {
	backend Backend
	mu      sync.RWMutex
	certs   []*keyringCert
	version uint64
}

// keyringVersions numbers keyring states process-wide, so that a version
// names one state of one keyring.
var keyringVersions atomic.Uint64

// KeyringCert is one certificate of a [Keyring] as the backend parsed it:
// the primary key and the subkeys offered for verification, each with
// Packet set to the whole certificate.
type KeyringCert struct {
	Primary *Params
	Subkeys []*Params
	Source  string
}

type keyringCert struct {
	primary *Params
	subkeys []*Params
	source  string
}

// NewKeyring returns an empty keyring whose certificates are parsed by b.
func NewKeyring(b Backend) *Keyring { return &Keyring{backend: b, version: keyringVersions.Add(1)} }

// NewKeyringFrom returns a keyring holding certs as they are (no parsing,
// no lint): the certificates of another keyring's [Keyring.Snapshot], made
// by the same kind of backend, e.g. on the other side of a plugin boundary.
func NewKeyringFrom(b Backend, certs []KeyringCert) *Keyring {
	k := NewKeyring(b)
	for _, c := range certs {
		if c.Primary == nil {
			continue
		}
		k.certs = append(k.certs, &keyringCert{primary: c.Primary, subkeys: c.Subkeys, source: c.Source})
	}
	return k
}

// Snapshot returns the keyring's certificates in import order and a version
// that is unique to this state of this keyring in the process: it changes
// whenever a certificate is added or merged. The Params are shared, not
// copied; they must not be modified.
func (k *Keyring) Snapshot() ([]KeyringCert, uint64) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := make([]KeyringCert, len(k.certs))
	for i, c := range k.certs {
		out[i] = KeyringCert{Primary: c.primary, Subkeys: c.subkeys, Source: c.source}
	}
	return out, k.version
}

// LoadKeyring builds a keyring from files and directories (every regular
// file in a directory, sorted; armored or binary, several certificates per
// file): [ReadKeyFiles], then [ImportKeyFiles]. Certificates that cannot be
// used are reported in the results, not silently dropped. The error is for
// unreadable paths.
func LoadKeyring(b Backend, paths ...string) (*Keyring, []ImportResult, error) {
	files, err := ReadKeyFiles(paths...)
	if err != nil {
		return nil, nil, err
	}
	return ImportKeyFiles(b, files)
}

// ReadKeyFiles reads the key files of [LoadKeyring]'s paths, at most
// 16 MiB in all; no file is read further than the bound left.
func ReadKeyFiles(paths ...string) ([]KeyFile, error) {
	var files []KeyFile
	total := 0
	for _, p := range paths {
		names, err := keyFiles(p)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			data, err := readKeyFile(name, maxKeyringBytes-total)
			if err != nil {
				return nil, err
			}
			if total += len(data); total > maxKeyringBytes {
				return nil, fmt.Errorf("keyring: more than %d MiB of key files (at %s)", maxKeyringBytes>>20, name)
			}
			files = append(files, KeyFile{Source: name, Data: data})
		}
	}
	return files, nil
}

// ImportKeyFiles imports files into a new keyring: in one call when b
// declares a key import batch path ([Capabilities.Keys]) that takes them,
// else certificate by certificate.
func ImportKeyFiles(b Backend, files []KeyFile) (*Keyring, []ImportResult, error) {
	if ki := b.Capabilities().Keys; ki != nil && len(files) > 0 {
		certs, results, err := ki.ImportKeys(files)
		if !errors.Is(err, ErrNotSupported) {
			if err != nil {
				return nil, nil, fmt.Errorf("keyring: %w", err)
			}
			return NewKeyringFrom(b, certs), results, nil
		}
	}
	kr := NewKeyring(b)
	var all []ImportResult
	for _, f := range files {
		all = append(all, kr.Add(f.Data, f.Source)...)
	}
	return kr, all, nil
}

func keyFiles(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	ents, err := os.ReadDir(p)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	var out []string
	for _, e := range ents {
		if e.Type().IsRegular() || e.Type()&os.ModeSymlink != 0 {
			full := filepath.Join(p, e.Name())
			if st, err := os.Stat(full); err == nil && st.Mode().IsRegular() {
				out = append(out, full)
			}
		}
		if len(out) > maxKeyFiles {
			return nil, fmt.Errorf("keyring: %s: more than %d files", p, maxKeyFiles)
		}
	}
	sort.Strings(out)
	return out, nil
}

// ReadKeyFile reads one key file (armored or binary certificates), at most
// 16 MiB. The bound is enforced by reading, not by stat, so /dev/zero or a
// FIFO cannot make it read forever. An rpm database file is refused with a
// hint: its keys are read through the keystore (--dbpath), never by
// scanning the file for armor.
func ReadKeyFile(path string) ([]byte, error) { return readKeyFile(path, maxKeyFile) }

// readKeyFile is ReadKeyFile reading at most budget+1 bytes when budget is
// below maxKeyFile (the caller then sees more than its budget).
func readKeyFile(path string, budget int) ([]byte, error) {
	f, err := readlimit.Open(path) // a FIFO without data does not block
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("keyring: %s: is a directory", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, int64(min(maxKeyFile, budget))+1))
	if err != nil {
		return nil, fmt.Errorf("keyring: %s: %w", path, err)
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("keyring: %s: larger than the %d MiB limit for a key file", path, maxKeyFile>>20)
	}
	if db := rpmdbFormat(data); db != "" {
		return nil, fmt.Errorf("keyring: %s is an rpm database (%s), not a key file: to use the keys rpm imported into it, give its directory with --dbpath (and --keystore rpmdb)", path, db)
	}
	return data, nil
}

// rpmdbFormat recognises the rpm database formats by their magic numbers:
// SQLite ("SQLite format 3\0", lib/backend/sqlite.c), ndb ("RpmP",
// lib/backend/ndb/rpmpkg.c PKGDB_MAGIC) and the Berkeley DB hash/btree
// meta page (magic at offset 12, lib/backend/bdb_ro.c).
func rpmdbFormat(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("SQLite format 3\x00")):
		return "sqlite"
	case bytes.HasPrefix(data, []byte("RpmP")):
		return "ndb"
	case len(data) >= 16:
		for _, m := range []uint32{0x00061561, 0x00053162} {
			if binary.LittleEndian.Uint32(data[12:]) == m || binary.BigEndian.Uint32(data[12:]) == m {
				return "bdb"
			}
		}
	}
	return ""
}

// ImportFile imports a key file with `rpmkeys --import` semantics
// (lib/rpmchecksig.cc rpmcliImportPubkeys/doImport): every "-----BEGIN PGP "
// block must be a PUBLIC KEY BLOCK.
func (k *Keyring) ImportFile(path string) []ImportResult {
	data, err := ReadKeyFile(path)
	if err != nil {
		return []ImportResult{{Source: path, Index: 1, RC: RCFail, Err: err.Error()}}
	}
	return k.Import(data, path)
}

// AddFile adds the certificates of a key file: armored like ImportFile, or
// binary (one or more certificates back to back).
func (k *Keyring) AddFile(path string) ([]ImportResult, error) {
	data, err := ReadKeyFile(path)
	if err != nil {
		return nil, err
	}
	return k.Add(data, path), nil
}

const pgpMark = "-----BEGIN PGP "

// Add adds armored or binary certificates from data.
func (k *Keyring) Add(data []byte, source string) []ImportResult {
	if bytes.Contains(data, []byte(pgpMark)) {
		return k.Import(data, source)
	}
	return k.importBinary(data, source, 1)
}

// Import mirrors rpmkeys --import on one file's contents (doImport): split
// the armor blocks, require each to be a public key block, split it into
// certificates with CertLen and import each (rpmtsImportPubkey).
func (k *Keyring) Import(data []byte, source string) []ImportResult {
	// rpmcliImportPubkeys: files shorter than 64 bytes are refused.
	if len(data) < 64 {
		return []ImportResult{{Source: source, Index: 1, RC: RCFail, Err: "import read failed(0)."}}
	}
	var results []ImportResult
	text := string(data)
	start := strings.Index(text, pgpMark)
	keyno := 1
	for {
		block := ""
		if start >= 0 {
			block = text[start:]
		}
		kind, pkts, err := k.backend.ParseArmor([]byte(block))
		if err != nil || kind != ArmorPubKey || len(pkts) == 0 {
			r := ImportResult{Source: source, Index: keyno, RC: RCFail, Err: fmt.Sprintf("key %d not an armored public key.", keyno)}
			if err != nil {
				r.Lint = err.Error()
			}
			results = append(results, r)
		} else {
			results = append(results, k.importBinary(pkts, source, keyno)...)
		}
		if start < 0 || start+len(pgpMark) >= len(text) {
			break
		}
		next := strings.Index(text[start+len(pgpMark):], pgpMark)
		if next < 0 {
			break
		}
		start += len(pgpMark) + next
		keyno++
	}
	return results
}

func (k *Keyring) importBinary(pkts []byte, source string, keyno int) []ImportResult {
	var results []ImportResult
	for len(pkts) > 0 {
		n, err := k.backend.CertLen(pkts)
		if err != nil || n <= 0 || n > len(pkts) {
			r := ImportResult{Source: source, Index: keyno, RC: RCFail, Err: fmt.Sprintf("key %d import failed.", keyno)}
			if err != nil {
				r.Lint = err.Error()
			}
			return append(results, r)
		}
		results = append(results, k.importCert(pkts[:n], source, keyno))
		pkts = pkts[n:]
	}
	return results
}

// importCert mirrors rpmtsImportPubkey (lib/rpmts.cc): lint gate, then
// rpmPubkeyNew, then rpmKeyringModify(MERGE).
func (k *Keyring) importCert(cert []byte, source string, keyno int) ImportResult {
	res := ImportResult{Source: source, Index: keyno, RC: RCFail}
	failed := func(format string, args ...any) ImportResult {
		res.RC = RCFail
		res.Err = fmt.Sprintf("key %d import failed.", keyno)
		if format != "" {
			msg := fmt.Sprintf(format, args...)
			if res.Lint == "" {
				res.Lint = msg
			} else {
				res.Lint += "\n" + msg
			}
		}
		return res
	}
	lint, err := k.backend.LintKey(cert)
	if err != nil {
		return failed("%v", err)
	}
	res.Lint = lint.Lint
	if lint.RC != RCOK {
		// rpmtsImportPubkey returns the lint's code (FAIL or NOTTRUSTED).
		res.RC = lint.RC
		if res.RC == RCInvalid {
			res.RC = RCFail
		}
		res.Err = fmt.Sprintf("key %d import failed.", keyno)
		return res
	}
	if _, err := k.backend.KeyID(cert); err != nil {
		return failed("%v", err)
	}
	pr, err := k.backend.ParseCertificate(cert)
	if err != nil {
		return failed("%v", err)
	}
	if !pr.OK() {
		return failed("%s", pr.Lint)
	}
	fp, err := k.backend.Fingerprint(cert)
	if err != nil {
		return failed("%v", err)
	}
	primary := pr.Params
	primary.Packet = cert
	res.Fingerprint = fp
	if err := k.merge(primary, fp, source); err != nil {
		return failed("%v", err)
	}
	res.RC = RCOK
	return res
}

// merge adds a certificate or merges it into an existing one with the same
// fingerprint (rpmKeyringModify with RPMKEYRING_MERGE).
func (k *Keyring) merge(primary *Params, fp []byte, source string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	for i, c := range k.certs {
		if c.primary.KeyID != primary.KeyID {
			continue
		}
		merged, err := k.backend.Merge(c.primary.Packet, primary.Packet)
		if errors.Is(err, ErrNotSupported) {
			// rpm 4.x has no merge and one keyring entry per key ID: the
			// key is "already imported" and the old one stays
			// (rpmtsImportPubkey, rpmKeyringAddKey).
			return nil
		}
		if !bytes.Equal(c.primary.Fingerprint, fp) {
			// rpm 6: a key-ID collision is a different certificate.
			continue
		}
		if err != nil {
			return fmt.Errorf("merging with the certificate already in the keyring: %w", err)
		}
		if bytes.Equal(merged, c.primary.Packet) {
			return nil
		}
		pr, err := k.backend.ParseCertificate(merged)
		if err != nil {
			return err
		}
		if !pr.OK() {
			return fmt.Errorf("merged certificate does not parse: %s", pr.Lint)
		}
		pr.Params.Packet = merged
		nc, err := k.newCert(pr.Params, source)
		if err != nil {
			return err
		}
		k.certs[i] = nc
		k.version = keyringVersions.Add(1)
		return nil
	}
	nc, err := k.newCert(primary, source)
	if err != nil {
		return err
	}
	k.certs = append(k.certs, nc)
	k.version = keyringVersions.Add(1)
	return nil
}

func (k *Keyring) newCert(primary *Params, source string) (*keyringCert, error) {
	subs, err := k.backend.Subkeys(primary.Packet)
	if err != nil {
		// pgpPrtParamsSubkeys failing leaves the primary usable (rpmGetSubkeys).
		subs = nil
	}
	for _, s := range subs {
		s.Packet = primary.Packet
	}
	return &keyringCert{primary: primary, subkeys: subs, source: source}, nil
}

// Lookup returns every key and subkey with the given key ID, in import order
// (rpmKeyringVerifySig2's equal_range over the keyring multimap).
func (k *Keyring) Lookup(id KeyID) []KeyEntry {
	k.mu.RLock()
	defer k.mu.RUnlock()
	var out []KeyEntry
	for _, c := range k.certs {
		if c.primary.KeyID == id {
			out = append(out, KeyEntry{Key: c.primary, Primary: c.primary, Source: c.source})
		}
		for _, s := range c.subkeys {
			if s.KeyID == id {
				out = append(out, KeyEntry{Key: s, Primary: c.primary, Source: c.source})
			}
		}
	}
	return out
}

// Len returns the number of certificates.
func (k *Keyring) Len() int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return len(k.certs)
}

// Names returns the rpmdb names of the certificates ("gpg-pubkey-<v>-<r>"),
// sorted: rpm 6 uses the lower-case fingerprint, rpm 4.x the last 8 hex
// digits of the key ID; the release is the key creation time in hex.
func (k *Keyring) Names(rpm4 bool) []string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	var out []string
	for _, c := range k.certs {
		v := fmt.Sprintf("%x", c.primary.Fingerprint)
		if rpm4 {
			v = c.primary.KeyID.Short()
		}
		out = append(out, fmt.Sprintf("gpg-pubkey-%s-%x", v, c.primary.CreationTime))
	}
	sort.Strings(out)
	return out
}
