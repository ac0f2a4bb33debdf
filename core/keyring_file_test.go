package core

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadKeyFileBoundedByReading(t *testing.T) {
	_, err := ReadKeyFile("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "/dev/zero: larger than the 16 MiB limit") {
		t.Fatalf("/dev/zero: %v", err)
	}
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		buf := make([]byte, 1<<20)
		for range 20 {
			if _, err := f.Write(buf); err != nil {
				return
			}
		}
	}()
	if _, err := ReadKeyFile(fifo); err == nil || !strings.Contains(err.Error(), "larger than the 16 MiB limit") {
		t.Fatalf("fifo: %v", err)
	}
}

func TestReadKeyFileRefusesDatabases(t *testing.T) {
	dir := t.TempDir()
	for name, head := range map[string][]byte{
		"sqlite": []byte("SQLite format 3\x00rest"),
		"ndb":    []byte("RpmP\x00\x00\x00\x00"),
		"bdb":    append(make([]byte, 12), 0x61, 0x15, 0x06, 0x00),
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, append(head, []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----")...), 0o644)
		_, err := ReadKeyFile(p)
		if err == nil || !strings.Contains(err.Error(), "is an rpm database ("+name+")") || !strings.Contains(err.Error(), "--dbpath") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
