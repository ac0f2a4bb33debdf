package plugin

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/calls"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/testbackend"
)

// testData is n bytes of a fixed pattern.
func testData(n int) []byte {
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(i*7 + i>>11)
	}
	return data
}

// newDigests returns one digest of each of SHA-256, SHA-1 and SHA-512 of c.
func newDigests(t *testing.T, c *Client) []core.Digest {
	t.Helper()
	var ds []core.Digest
	for _, a := range []core.HashAlgo{core.HashSHA256, core.HashSHA1, core.HashSHA512} {
		d, err := c.NewDigest(a)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	return ds
}

// checkSums finalises the digests of newDigests and compares them with
// the sums of data.
func checkSums(t *testing.T, ds []core.Digest, data []byte) {
	t.Helper()
	s256, s1, s512 := sha256.Sum256(data), sha1.Sum(data), sha512.Sum512(data)
	for i, want := range [][]byte{s256[:], s1[:], s512[:]} {
		got, err := ds[i].Final()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%v digest = %x, %v; want %x", ds[i].Algo(), got, err, want)
		}
	}
}

// readChars is this process's rchar (proc(5) /proc/pid/io): the bytes its
// read calls returned.
func readChars(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "rchar: "); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no rchar in /proc/self/io")
	return 0
}

// writeTemp writes data to a new file and opens it.
func writeTemp(t *testing.T, data []byte) *os.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestDigestFileByDescriptor: a regular file goes to the backend process as
// a descriptor, which hashes it from the current offset to its end into
// every digest (after the bytes written before); the host reads none of
// it (its rchar grows by far less than the file), and the file offset ends
// at the end, as after a read.
func TestDigestFileByDescriptor(t *testing.T) {
	// Not parallel: the host's read counter must see only this test.
	c := openTest(t, LoadConfig{})
	data := testData(48<<20 + 777)
	f := writeTemp(t, data)
	const skip = 1000 // already read by the caller
	if _, err := f.Seek(skip, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	ds := newDigests(t, c)
	prefix := []byte("buffered prefix")
	for _, d := range ds {
		if _, err := d.Write(prefix); err != nil {
			t.Fatal(err)
		}
	}
	before := readChars(t)
	n, err := core.UpdateDigests(c, ds, f)
	read := readChars(t) - before
	if err != nil || n != int64(len(data)-skip) {
		t.Fatalf("UpdateDigests = %d, %v; want %d", n, err, len(data)-skip)
	}
	if read > 4<<20 {
		t.Errorf("the host read %d bytes of a %d-byte file: it was streamed", read, len(data))
	}
	if off, err := f.Seek(0, io.SeekCurrent); err != nil || off != int64(len(data)) {
		t.Errorf("offset after the update: %d, %v; want %d", off, err, len(data))
	}
	checkSums(t, ds, append(prefix, data[skip:]...))
	// An empty rest is an update of nothing.
	d, err := c.NewDigest(core.HashSHA256)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := core.UpdateDigests(c, []core.Digest{d}, f); n != 0 || err != nil {
		t.Errorf("at the end of the file: %d, %v", n, err)
	}
	empty := sha256.Sum256(nil)
	if got, err := d.Final(); err != nil || !bytes.Equal(got, empty[:]) {
		t.Errorf("digest of nothing = %x, %v; want %x", got, err, empty)
	}
}

// TestDigestFileShrinks: a regular file truncated while the backend reads
// it fails the update with ErrDataChanged (never a digest of fewer bytes),
// and the digests are unusable; the process stays.
func TestDigestFileShrinks(t *testing.T) {
	t.Parallel()
	c := openTest(t, LoadConfig{})
	pid := pidOf(t, c)
	path := filepath.Join(t.TempDir(), "sparse")
	w, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	const size = 8 << 30 // sparse: seconds to hash, no disk
	if err := w.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := c.NewDigest(core.HashSHA256)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := core.UpdateDigests(c, []core.Digest{d}, f)
		done <- err
	}()
	// Once the backend reads (the shared offset moves), cut the file at
	// the offset: whenever it sees the end, it has hashed less than size.
	for {
		off, err := f.Seek(0, io.SeekCurrent)
		if err != nil {
			t.Fatal(err)
		}
		if off > 0 {
			if err := w.Truncate(off); err != nil {
				t.Fatal(err)
			}
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the update ended before the file was cut: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	err = <-done
	if !errors.Is(err, calls.ErrDataChanged) || !strings.Contains(err.Error(), `backend "test": UpdateDigests: the data changed while it was read: the backend hashed `) ||
		!strings.HasSuffix(err.Error(), " bytes, the file had 8589934592 left") {
		t.Fatalf("UpdateDigests of a shrinking file: %v", err)
	}
	if _, err := d.Final(); !errors.Is(err, calls.ErrDataChanged) {
		t.Errorf("Final after the failed update: %v", err)
	}
	if got := pidOf(t, c); got != pid || c.Restarts() != 0 {
		t.Errorf("process %d, restarts %d; want %d, 0", got, c.Restarts(), pid)
	}
}

// TestDigestFilePipe: a pipe goes as a descriptor too; the backend reports
// while it waits for a slow writer, so pauses longer than the call timeout
// are not a hang.
func TestDigestFilePipe(t *testing.T) {
	t.Parallel()
	const timeout = time.Second
	c := openTest(t, LoadConfig{CallTimeout: timeout})
	data := testData(3<<20 + 5)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		defer w.Close()
		for i, part := range [][]byte{data[:1<<20], data[1<<20 : 2<<20], data[2<<20:]} {
			if i > 0 {
				time.Sleep(timeout * 3 / 2)
			}
			if _, err := w.Write(part); err != nil {
				return
			}
		}
	}()
	ds := newDigests(t, c)
	n, err := core.UpdateDigests(c, ds, r)
	if err != nil || n != int64(len(data)) {
		t.Fatalf("UpdateDigests of a pipe = %d, %v; want %d", n, err, len(data))
	}
	checkSums(t, ds, data)
	if c.Restarts() != 0 {
		t.Errorf("restarts %d", c.Restarts())
	}
}

// TestDigestFileSocket: a socket (standard input of a socket-activated
// service) goes as a descriptor too; the host reads none of it.
func TestDigestFileSocket(t *testing.T) {
	// Not parallel: the host's read counter must see only this test.
	c := openTest(t, LoadConfig{})
	data := testData(8<<20 + 5)
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	r, w := os.NewFile(uintptr(fds[0]), "reader"), os.NewFile(uintptr(fds[1]), "writer")
	defer r.Close()
	go func() {
		defer w.Close()
		_, _ = w.Write(data)
	}()
	ds := newDigests(t, c)
	before := readChars(t)
	n, err := core.UpdateDigests(c, ds, r)
	read := readChars(t) - before
	if err != nil || n != int64(len(data)) {
		t.Fatalf("UpdateDigests of a socket = %d, %v; want %d", n, err, len(data))
	}
	if read > 2<<20 {
		t.Errorf("the host read %d bytes of %d from the socket: it was streamed", read, len(data))
	}
	checkSums(t, ds, data)
}

// TestDigestFileStreamFallback: without a descriptor channel (an in-memory
// backend), a file is streamed and hashes the same.
func TestDigestFileStreamFallback(t *testing.T) {
	t.Parallel()
	c := memClient(t, testbackend.New())
	data := testData(3<<20 + 5)
	f := writeTemp(t, data)
	ds := newDigests(t, c)
	n, err := core.UpdateDigests(c, ds, f)
	if err != nil || n != int64(len(data)) {
		t.Fatalf("UpdateDigests = %d, %v; want %d", n, err, len(data))
	}
	checkSums(t, ds, data)
}
