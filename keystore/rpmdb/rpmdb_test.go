package rpmdb

import (
	"database/sql"
	"encoding/binary"
	"errors"
	"hash/adler32"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// makeSQLiteDB makes an rpmdb with Debian's rpm: rsa2048 imported with
// rpmkeys, and an ordinary package that quotes the ed25519 key in its
// %description installed with --justdb.
func makeSQLiteDB(t *testing.T) string {
	t.Helper()
	keys := filepath.Join(testutil.Fixtures(), "keys")
	return testutil.MakeRPMDB(t, "", filepath.Join(t.TempDir(), "db"),
		[]string{filepath.Join(keys, "rsa2048.asc")}, filepath.Join(keys, "ed25519.asc"))
}

func run(t *testing.T, name string, args ...string) string { return testutil.Run(t, name, args...) }

// rpmQueryPubkeys is what rpm says the database holds.
func rpmQueryPubkeys(t *testing.T, db string) []string {
	out, err := exec.Command("rpm", "--dbpath", db, "-q", "gpg-pubkey", "--qf", "%{name}-%{version}-%{release}\n").Output()
	if err != nil {
		t.Fatalf("rpm -q gpg-pubkey: %v", err)
	}
	lines := strings.Fields(string(out))
	sort.Strings(lines)
	return lines
}

func nevrs(keys []Key) []string {
	var out []string
	for _, k := range keys {
		out = append(out, k.NEVR)
	}
	sort.Strings(out)
	return out
}

func TestReadKeysSQLiteMatchesRPM(t *testing.T) {
	db := makeSQLiteDB(t)
	backend, keys, err := ReadKeys(db)
	if err != nil {
		t.Fatal(err)
	}
	if backend != BackendSQLite {
		t.Errorf("backend %q, want sqlite", backend)
	}
	want := rpmQueryPubkeys(t, db)
	if got := nevrs(keys); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("keys %v, rpm -q gpg-pubkey says %v", got, want)
	}
	if len(keys) != 1 || !strings.HasPrefix(keys[0].NEVR, "gpg-pubkey-9606154f-") {
		t.Fatalf("want exactly the rsa2048 key (the quoted ed25519 key must not count), got %v", nevrs(keys))
	}
	if keys[0].Cert[0]&0x80 == 0 {
		t.Errorf("certificate does not start with a packet tag: % x", keys[0].Cert[:4])
	}
	// rpm itself lists both packages.
	if out := run(t, "rpm", "--dbpath", db, "-qa", "--qf", "%{name}\n"); !strings.Contains(out, "quoter") {
		t.Fatalf("quoter not installed: %s", out)
	}
}

func TestReadKeysCorruptSQLiteIsAnError(t *testing.T) {
	dir := t.TempDir()
	data := append([]byte("SQLite format 3\x00"), make([]byte, 4096)...)
	for i := 16; i < len(data); i++ {
		data[i] = byte(i * 7)
	}
	if err := os.WriteFile(filepath.Join(dir, "rpmdb.sqlite"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, keys, err := ReadKeys(dir)
	if err == nil {
		t.Fatalf("corrupt database read as %d keys", len(keys))
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		file string
		data []byte
		want string // "" = error
	}{
		{"rpmdb.sqlite", []byte("not sqlite at all, just text"), ""},
		{"Packages.db", []byte("RpmQ0000"), ""},
		{"Packages", append(make([]byte, 12), 0x61, 0x15, 0x06, 0x00), ""}, // bdb: recognised, then refused by ReadKeys
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, tc.file), tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := ReadKeys(dir)
		if err == nil {
			t.Errorf("%s %q: no error", tc.file, tc.data)
		}
	}
	if _, _, err := ReadKeys(t.TempDir()); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("empty directory: %v, want ErrNoDatabase", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Packages"), append(make([]byte, 12), 0x61, 0x15, 0x06, 0x00), 0o644)
	if _, _, err := ReadKeys(dir); err == nil || !strings.Contains(err.Error(), "Berkeley DB") {
		t.Errorf("bdb: %v, want the Berkeley DB refusal", err)
	}
}

// sqliteBlobs reads every Packages blob of a real database (the fixture
// headers for the ndb files below).
func sqliteBlobs(t *testing.T, db string) map[string][]byte {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+filepath.Join(db, "rpmdb.sqlite")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query("SELECT hnum, blob FROM Packages")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var num string
		var blob []byte
		if err := rows.Scan(&num, &blob); err != nil {
			t.Fatal(err)
		}
		out[num] = blob
	}
	return out
}

// The ndb layout (lib/backend/ndb/rpmpkg.c), written independently of the
// reader in internal/ndb.
const (
	ndbMagic     = 'R' | 'p'<<8 | 'm'<<16 | 'P'<<24
	ndbSlotMagic = 'S' | 'l'<<8 | 'o'<<16 | 't'<<24
	ndbHeadMagic = 'B' | 'l'<<8 | 'b'<<16 | 'S'<<24
	ndbTailMagic = 'B' | 'l'<<8 | 'b'<<16 | 'E'<<24
	ndbPageSize  = 4096
	ndbSlotSize  = 16
	ndbSlotStart = 2 // 32-byte header / 16-byte slots
	ndbBlkSize   = 16
	ndbHeadSize  = 16
	ndbTailSize  = 12
)

// writeNDB lays out a Packages.db the way lib/backend/ndb/rpmpkg.c does:
// header, one slot page, then each blob in 16-byte blocks with its head and
// tail.
func writeNDB(t *testing.T, path string, blobs [][]byte) []byte {
	t.Helper()
	const slotPages = 1
	file := make([]byte, slotPages*ndbPageSize)
	lePut := func(b []byte, v uint32) { binary.LittleEndian.PutUint32(b, v) }
	lePut(file[0:], ndbMagic)
	lePut(file[4:], 0)
	lePut(file[8:], 7) // generation
	lePut(file[12:], slotPages)
	lePut(file[16:], uint32(len(blobs)+1))
	for o := ndbSlotStart * ndbSlotSize; o < ndbPageSize; o += ndbSlotSize {
		lePut(file[o:], ndbSlotMagic)
	}
	for i, b := range blobs {
		idx := uint32(i + 1)
		blkcnt := (ndbHeadSize + len(b) + ndbTailSize + ndbBlkSize - 1) / ndbBlkSize
		blkoff := len(file) / ndbBlkSize
		rec := make([]byte, blkcnt*ndbBlkSize)
		lePut(rec[0:], ndbHeadMagic)
		lePut(rec[4:], idx)
		lePut(rec[8:], 7)
		lePut(rec[12:], uint32(len(b)))
		copy(rec[ndbHeadSize:], b)
		tail := rec[len(rec)-ndbTailSize:]
		lePut(tail[4:], uint32(len(b)))
		lePut(tail[8:], ndbTailMagic)
		lePut(tail[0:], adler32.Checksum(rec[:len(rec)-ndbTailSize]))
		slot := file[(ndbSlotStart+i)*ndbSlotSize:]
		lePut(slot[4:], idx)
		lePut(slot[8:], uint32(blkoff))
		lePut(slot[12:], uint32(blkcnt))
		file = append(file, rec...)
	}
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestReadKeysNDB(t *testing.T) {
	db := makeSQLiteDB(t)
	blobs := sqliteBlobs(t, db)
	if len(blobs) != 2 {
		t.Fatalf("want 2 headers (gpg-pubkey and quoter), got %d", len(blobs))
	}
	var all [][]byte
	for _, k := range []string{"1", "2"} {
		all = append(all, blobs[k])
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "Packages.db")
	file := writeNDB(t, path, all)
	backend, keys, err := ReadKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := rpmQueryPubkeys(t, db)
	if backend != BackendNDB || strings.Join(nevrs(keys), " ") != strings.Join(want, " ") {
		t.Fatalf("ndb: %s %v, want ndb %v", backend, nevrs(keys), want)
	}

	// Corruptions are errors, never an empty keyring.
	for name, mutate := range map[string]func(b []byte) []byte{
		"index":     func(b []byte) []byte { b[ndbPageSize+ndbHeadSize+40] ^= 1; return b },
		"adler32":   func(b []byte) []byte { b[ndbPageSize+ndbHeadSize+len(all[0])-3] ^= 1; return b },
		"truncated": func(b []byte) []byte { return b[:len(b)-16] },
		"slotmagic": func(b []byte) []byte { b[ndbPageSize-16] = 'X'; return b },
		"version":   func(b []byte) []byte { b[4] = 1; return b },
		"headmagic": func(b []byte) []byte { b[ndbPageSize] = 'X'; return b },
	} {
		bad := mutate(append([]byte(nil), file...))
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, keys, err := ReadKeys(dir); err == nil {
			t.Errorf("%s: read %d keys from a corrupt database", name, len(keys))
		}
	}
}
