package launch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// checksumCacheFile is the cache's file name inside Launcher.CacheDir.
const checksumCacheFile = "checksums.json"

// maxCacheEntries bounds the cache (one entry per binary path).
const maxCacheEntries = 64

// cacheEntry is one cached hash.
type cacheEntry struct {
	spawn.FileID
	SHA256 string `json:"sha256"`
}

// checksumCache is the file format of the cache.
type checksumCache struct {
	Version int                   `json:"version"`
	Entries map[string]cacheEntry `json:"entries"`
}

// hashFile returns the SHA-256 of the open file f whose identity is id,
// from the cache in cacheDir when the cache knows this exact file
// (cached=true), else by reading f (then the cache is updated). cacheDir ""
// disables the cache. The cache is only trusted when the current user owns
// it and nobody else can write it.
func hashFile(f *os.File, path string, id spawn.FileID, cacheDir string) (sum []byte, cached bool, err error) {
	cacheDir = cleanCacheDir(cacheDir)
	if cacheDir != "" {
		if c, err := readCache(cacheDir); err == nil {
			if e, ok := c.Entries[path]; ok && e.FileID == id {
				if sum, err := hex.DecodeString(e.SHA256); err == nil && len(sum) == sha256.Size {
					return sum, true, nil
				}
			}
		}
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, id.Size)); err != nil {
		return nil, false, fmt.Errorf("hashing %s: %w", path, err)
	}
	sum = h.Sum(nil)
	// The file must not have changed while it was read.
	fi, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	if now, err := spawn.IDOf(fi); err != nil || now != id {
		return nil, false, fmt.Errorf("%s changed while it was being hashed", path)
	}
	if cacheDir != "" {
		// A cache that cannot be written only costs time.
		_ = writeCache(cacheDir, path, cacheEntry{FileID: id, SHA256: hex.EncodeToString(sum)})
	}
	return sum, false, nil
}

// cleanCacheDir makes dir absolute; relative cache directories are refused
// ("" is returned) so the cache never depends on the working directory.
func cleanCacheDir(dir string) string {
	if dir == "" || !filepath.IsAbs(dir) {
		return ""
	}
	return filepath.Clean(dir)
}

// readCache reads a trusted cache file.
func readCache(dir string) (*checksumCache, error) {
	f, err := os.Open(filepath.Join(dir, checksumCacheFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := trusted(fi); err != nil {
		return nil, err
	}
	var c checksumCache
	if err := json.NewDecoder(io.LimitReader(f, 1<<20)).Decode(&c); err != nil {
		return nil, err
	}
	if c.Version != 1 {
		return nil, fmt.Errorf("checksum cache version %d", c.Version)
	}
	return &c, nil
}

// trusted refuses a cache file that another user could have written.
func trusted(fi os.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return errors.New("no stat information")
	}
	if !fi.Mode().IsRegular() || int(st.Uid) != os.Geteuid() || fi.Mode().Perm()&0o022 != 0 {
		return errors.New("checksum cache is not a private file of this user")
	}
	return nil
}

// writeCache records e for path, atomically (temporary file + rename).
func writeCache(dir, path string, e cacheEntry) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	c, err := readCache(dir)
	if err != nil {
		c = &checksumCache{Version: 1}
	}
	if c.Entries == nil {
		c.Entries = map[string]cacheEntry{}
	}
	c.Entries[path] = e
	for p := range c.Entries {
		if len(c.Entries) <= maxCacheEntries {
			break
		}
		if p != path {
			delete(c.Entries, p)
		}
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, checksumCacheFile+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, checksumCacheFile))
}

// DefaultCacheDir returns the default cache directory
// ([Launcher].CacheDir):
// $XDG_CACHE_HOME/rpmpgp, else ~/.cache/rpmpgp; "" if neither is known.
func DefaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "rpmpgp")
}

// ParseChecksum decodes a configured hex SHA-256.
func ParseChecksum(s string) ([]byte, error) {
	sum, err := hex.DecodeString(s)
	if err != nil || len(sum) != sha256.Size {
		return nil, fmt.Errorf("configured checksum %q is not a hex SHA-256 (64 hex digits)", s)
	}
	return sum, nil
}
