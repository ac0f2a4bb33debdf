package resident

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// File name suffixes of an instance's files in [Dir].
const (
	SuffixRecord = ".rec"
	SuffixLock   = ".lock"
	SuffixFD     = ".fd"
)

// maxRecord bounds a record file.
const maxRecord = 4 << 10

// recordMagic is the first line of a record.
const recordMagic = "rpmpgp-resident 1"

// Record is what an instance's record file says: its process and the
// address of its go-plugin socket.
type Record struct {
	PID     int
	Network string
	Addr    string
}

// WriteRecord writes r to path atomically (a private file renamed into
// place), mode 0600.
func WriteRecord(path string, r Record) error {
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	_ = os.Remove(tmp)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "%s\npid %d\nnetwork %s\naddr %s\n", recordMagic, r.PID, r.Network, r.Addr)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("writing the record %s: %w", path, err)
	}
	return nil
}

// ErrNoRecord is wrapped when an instance has no record (none runs).
var ErrNoRecord = errors.New("no record")

// ReadRecord reads the record at path: a regular file (not a symbolic
// link) of this user, mode 0600, at most 4 KiB, in the format of
// [WriteRecord]. A missing record wraps [ErrNoRecord].
func ReadRecord(path string) (Record, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if errors.Is(err, os.ErrNotExist) {
		return Record{}, fmt.Errorf("%s: %w", path, ErrNoRecord)
	}
	if err != nil {
		return Record{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Record{}, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case !fi.Mode().IsRegular():
		return Record{}, fmt.Errorf("record %s is not a regular file", path)
	case !ok || int(st.Uid) != os.Geteuid():
		return Record{}, fmt.Errorf("record %s is not owned by this user", path)
	case fi.Mode().Perm() != 0o600:
		return Record{}, fmt.Errorf("record %s has mode %04o, want 0600", path, fi.Mode().Perm())
	}
	data, err := io.ReadAll(io.LimitReader(f, maxRecord+1))
	if err != nil {
		return Record{}, err
	}
	if len(data) > maxRecord {
		return Record{}, fmt.Errorf("record %s is larger than %d bytes", path, maxRecord)
	}
	return parseRecord(path, string(data))
}

// parseRecord parses the text of a record.
func parseRecord(path, text string) (Record, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	bad := func(why string) (Record, error) {
		return Record{}, fmt.Errorf("record %s: %s", path, why)
	}
	if len(lines) != 4 || lines[0] != recordMagic {
		return bad("not a record of this version")
	}
	var r Record
	for _, l := range lines[1:] {
		k, v, _ := strings.Cut(l, " ")
		switch k {
		case "pid":
			n, err := strconv.Atoi(v)
			if err != nil || n <= 1 {
				return bad("bad pid " + strconv.Quote(v))
			}
			r.PID = n
		case "network":
			r.Network = v
		case "addr":
			r.Addr = v
		default:
			return bad("unknown field " + strconv.Quote(k))
		}
	}
	if r.PID == 0 || r.Network != "unix" || r.Addr == "" {
		return bad("incomplete or not a Unix socket")
	}
	return r, nil
}
