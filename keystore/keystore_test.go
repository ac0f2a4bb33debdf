package keystore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fpA = "87c557a75b43c4da554b920ab87ce62b9606154f"

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		o    Options
		kind Kind
		dir  string
	}{
		{Options{}, KindRPMDB, "/var/lib/rpm"},
		{Options{Root: "/r"}, KindRPMDB, "/r/var/lib/rpm"},
		{Options{Root: "/r", DBPath: "/db"}, KindRPMDB, "/r/db"},
		{Options{Kind: KindFS}, KindFS, "/var/lib/rpm/pubkeys"},
		{Options{Kind: KindOpenPGP, Root: "/r", KeyringPath: "/k"}, KindOpenPGP, "/r/k"},
		{Options{Kind: KindFS, DBPath: "/db"}, KindFS, "/db/pubkeys"},
	} {
		s, err := tc.o.Resolve()
		if err != nil {
			t.Fatalf("%+v: %v", tc.o, err)
		}
		if s.Kind != tc.kind || s.Dir != tc.dir {
			t.Errorf("%+v: %s %s, want %s %s", tc.o, s.Kind, s.Dir, tc.kind, tc.dir)
		}
	}
	for _, o := range []Options{{Kind: "gpg"}, {Root: "rel"}, {DBPath: "db"}, {KeyringPath: "k"}} {
		if _, err := o.Resolve(); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func TestPutDeleteLoad(t *testing.T) {
	for _, kind := range []Kind{KindFS, KindOpenPGP} {
		t.Run(string(kind), func(t *testing.T) {
			root := t.TempDir()
			s, err := Options{Root: root, Kind: kind}.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			files, err := s.Load()
			if err != nil || len(files) != 0 {
				t.Fatalf("missing keystore: %d files, %v", len(files), err)
			}
			lock, err := s.LockForWrite()
			if err != nil {
				t.Fatal(err)
			}
			// A second writer is refused while the lock is held.
			if _, err := s.LockForWrite(); err == nil && kind == KindOpenPGP {
				t.Error("second writelock granted")
			}
			if err := s.Put(fpA, []byte("v1")); err != nil {
				t.Fatal(err)
			}
			if err := s.Put(fpA, []byte("v2")); err != nil {
				t.Fatal(err)
			}
			lock.Unlock()
			files, err = s.Load()
			if err != nil || len(files) != 1 || string(files[0].Data) != "v2" {
				t.Fatalf("after put: %v %v", files, err)
			}
			want := map[Kind]string{KindFS: "gpg-pubkey-" + fpA + ".key", KindOpenPGP: filepath.Join(fpA[:2], fpA[2:])}[kind]
			if rel, _ := filepath.Rel(s.Dir, files[0].Source); rel != want {
				t.Errorf("stored as %s, want %s", rel, want)
			}
			// No temporary files are left behind.
			filepath.Walk(s.Dir, func(p string, info os.FileInfo, err error) error {
				if strings.Contains(filepath.Base(p), ".new") {
					t.Errorf("left behind: %s", p)
				}
				return nil
			})
			found, err := s.Delete(strings.ToUpper(fpA))
			if err != nil || !found {
				t.Fatalf("delete: %v %v", found, err)
			}
			if found, _ := s.Delete(fpA); found {
				t.Error("deleted twice")
			}
			if files, _ := s.Load(); len(files) != 0 {
				t.Errorf("after delete: %v", files)
			}
		})
	}
}

func TestFSPutRemovesRPM4Name(t *testing.T) {
	root := t.TempDir()
	s, _ := Options{Root: root, Kind: KindFS}.Resolve()
	os.MkdirAll(s.Dir, 0o755)
	old := filepath.Join(s.Dir, "gpg-pubkey-9606154f-65920080.key")
	other := filepath.Join(s.Dir, "gpg-pubkey-12345678-65920080.key")
	os.WriteFile(old, []byte("old"), 0o644)
	os.WriteFile(other, []byte("other"), 0o644)
	if err := s.Put(fpA, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("rpm 4 file of the same key kept: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another key's file removed: %v", err)
	}
}

func TestReadOnlyRPMDB(t *testing.T) {
	s, _ := Options{Root: t.TempDir()}.Resolve()
	if _, err := s.LockForWrite(); err != ErrReadOnly {
		t.Errorf("rpmdb write lock: %v", err)
	}
	if err := s.Put(fpA, nil); err != ErrReadOnly {
		t.Errorf("rpmdb put: %v", err)
	}
}

func TestOpenPGPIgnoresStrayFiles(t *testing.T) {
	root := t.TempDir()
	s, _ := Options{Root: root, Kind: KindOpenPGP}.Resolve()
	for _, p := range []string{"writelock", "87/notafingerprint", "87/." + fpA[2:] + ".new1", "trust-root"} {
		os.MkdirAll(filepath.Dir(filepath.Join(s.Dir, p)), 0o755)
		os.WriteFile(filepath.Join(s.Dir, p), []byte("x"), 0o644)
	}
	files, err := s.Load()
	if err != nil || len(files) != 0 {
		t.Errorf("stray files loaded: %v %v", files, err)
	}
}

// A write that fails leaves the keystore as it was: no partial file, no
// temporary file, the other keys untouched.
func TestFailedPutLeavesStoreUnchanged(t *testing.T) {
	root := t.TempDir()
	s, _ := Options{Root: root, Kind: KindFS}.Resolve()
	const fpB = "db960bd77a1939bbf2df0db4f3042b09e56d935b"
	if err := s.Put(fpB, []byte("kept")); err != nil {
		t.Fatal(err)
	}
	// The target name is taken by a non-empty directory: rename fails.
	blocker := filepath.Join(s.Dir, "gpg-pubkey-"+fpA+".key")
	os.MkdirAll(filepath.Join(blocker, "x"), 0o755)
	err := s.Put(fpA, []byte("new"))
	if err == nil || !strings.Contains(err.Error(), "failed to import key") {
		t.Fatalf("put over a directory: %v", err)
	}
	ents, _ := os.ReadDir(s.Dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "gpg-pubkey-"+fpA+".key gpg-pubkey-"+fpB+".key" {
		t.Errorf("keystore after a failed write: %v", names)
	}
	if data, _ := os.ReadFile(filepath.Join(s.Dir, "gpg-pubkey-"+fpB+".key")); string(data) != "kept" {
		t.Errorf("other key changed: %q", data)
	}
}
