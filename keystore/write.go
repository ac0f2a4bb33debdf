package keystore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Lock holds rpm's locks for a keystore write: the transaction lock
// (rpmtxnBegin(RPMTXN_WRITE): a write fcntl lock on %{_dbpath}/.rpm.lock,
// lib/rpmlock.cc) and, for openpgp, the keyring's "writelock"
// (keystore.cc acquire_write_lock: flock(LOCK_EX|LOCK_NB)). Both are taken
// without waiting: a running rpm makes the write fail, never hang.
type Lock struct {
	files []*os.File
}

// Unlock releases the locks.
func (l *Lock) Unlock() {
	for _, f := range l.files {
		_ = f.Close() // closing drops fcntl and flock locks
	}
	l.files = nil
}

// LockForWrite takes the locks a write to s needs.
func (s Store) LockForWrite() (*Lock, error) {
	if !s.Writable() {
		return nil, ErrReadOnly
	}
	l := &Lock{}
	if err := os.MkdirAll(s.LockDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", s.LockDir, err)
	}
	tx, err := os.OpenFile(filepath.Join(s.LockDir, ".rpm.lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("rpm transaction lock: %w", err)
	}
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: 0, Len: 0}
	if err := syscall.FcntlFlock(tx.Fd(), syscall.F_SETLK, &lk); err != nil {
		tx.Close()
		return nil, fmt.Errorf("can't create transaction lock on %s (rpm is running?): %w", tx.Name(), err)
	}
	l.files = append(l.files, tx)
	if s.Kind == KindOpenPGP {
		if err := os.MkdirAll(s.Dir, 0o755); err != nil {
			l.Unlock()
			return nil, fmt.Errorf("failed to create keyring directory %s: %w", s.Dir, err)
		}
		wl, err := os.OpenFile(filepath.Join(s.Dir, "writelock"), os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			l.Unlock()
			return nil, fmt.Errorf("can't create writelock for keyring at %s: %w", s.Dir, err)
		}
		if err := syscall.Flock(int(wl.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			wl.Close()
			l.Unlock()
			return nil, fmt.Errorf("can't acquire writelock for keyring at %s: %w", s.Dir, err)
		}
		l.files = append(l.files, wl)
	}
	return l, nil
}

// Path returns where the certificate with fingerprint fp (hex) is stored:
// fs: gpg-pubkey-<fp>.key (keystore_fs::import_key); openpgp:
// <fp[0:2]>/<fp[2:]> (keystore_openpgp_cert_d::import_key).
func (s Store) Path(fp string) (string, error) {
	fp = strings.ToLower(fp)
	if !isHex(fp) || (len(fp) != 40 && len(fp) != 64) {
		return "", fmt.Errorf("fingerprint %q: expected 40 or 64 hex digits", fp)
	}
	switch s.Kind {
	case KindFS:
		return filepath.Join(s.Dir, "gpg-pubkey-"+fp+".key"), nil
	case KindOpenPGP:
		return filepath.Join(s.Dir, fp[:2], fp[2:]), nil
	}
	return "", ErrReadOnly
}

// Put stores an armored certificate under its fingerprint, replacing the
// previous version atomically: the data goes to a temporary file in the
// same directory, is synced, and is renamed over the old one (rpm writes
// "<file>.new" and renames it; here the directory is synced too). On any
// error the keystore is unchanged. The caller holds the write lock.
func (s Store) Put(fp string, armored []byte) error {
	path, err := s.Path(fp)
	if err != nil {
		return err
	}
	if err := writeAtomic(path, armored); err != nil {
		return fmt.Errorf("failed to import key: %w", err)
	}
	if s.Kind == KindFS {
		// keystore_fs::import_key: remove the other files of this key, such
		// as rpm 4's gpg-pubkey-<short keyid>-<time>.key.
		return s.removeOthers(fp, filepath.Base(path))
	}
	return nil
}

// Delete removes the certificate with fingerprint fp and reports whether
// one was there (keystore_fs::delete_key, keystore_openpgp_cert_d::delete_key,
// which also removes the fan-out directory when it is empty).
func (s Store) Delete(fp string) (bool, error) {
	path, err := s.Path(fp)
	if err != nil {
		return false, err
	}
	found := false
	if s.Kind == KindFS {
		found, err = s.removeMatching(strings.ToLower(fp), "")
		if err != nil {
			return found, err
		}
	} else {
		err := os.Remove(path)
		switch {
		case err == nil:
			found = true
		case !errors.Is(err, os.ErrNotExist):
			return false, err
		}
		_ = os.Remove(filepath.Dir(path)) // only if empty
	}
	if found {
		syncDir(s.Dir)
	}
	return found, nil
}

// removeOthers removes the fs files of key fp except keep, including rpm 4
// short-key-ID names (gpg-pubkey-<last 8 hex>-<time>.key).
func (s Store) removeOthers(fp, keep string) error {
	_, err := s.removeMatching(strings.ToLower(fp), keep)
	return err
}

func (s Store) removeMatching(fp, keep string) (bool, error) {
	found := false
	for _, id := range []string{fp, fp[len(fp)-8:]} {
		matches, err := filepath.Glob(filepath.Join(s.Dir, "gpg-pubkey-"+id+"*.key"))
		if err != nil {
			return found, err
		}
		for _, m := range matches {
			base := filepath.Base(m)
			if base == keep {
				continue
			}
			if id != fp && !strings.HasPrefix(base, "gpg-pubkey-"+id+"-") {
				continue
			}
			if err := os.Remove(m); err != nil {
				return found, err
			}
			found = true
		}
	}
	return found, nil
}

// writeAtomic writes data to path through a synced temporary file and a
// rename, then syncs the directory.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("failed to create keyring directory %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".new*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	ok = true
	syncDir(dir)
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
