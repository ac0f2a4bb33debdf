// Package filelist reads a list of paths (checksig --files-from) one entry
// at a time, so that a consumer can start on the first path before the
// list ends and memory does not grow with the list.
//
// The separator is the first NUL or newline byte of the list: NUL for the
// output of `find -print0` or `xargs -0` producers, else newline. Empty
// entries are skipped. A NUL in a newline-separated list (a path cannot
// hold one) and an entry longer than [MaxEntry] are errors, never a
// silently split or truncated path.
package filelist

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// MaxEntry bounds one entry: 64 KiB, far above PATH_MAX (4096 on Linux).
const MaxEntry = 64 << 10

// Reader yields the entries of a list.
type Reader struct {
	r       *bufio.Reader
	sep     byte
	decided bool
	n       int
}

// NewReader reads a list from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 64<<10)}
}

// Next returns the next entry, or io.EOF after the last one. It reads no
// further than the end of the entry it returns, so it returns as soon as
// the producer has written the entry and its separator (or closed the
// list).
func (l *Reader) Next() (string, error) {
	var b []byte
	for {
		c, err := l.r.ReadByte()
		if errors.Is(err, io.EOF) {
			if len(b) > 0 {
				l.n++
				return string(b), nil
			}
			return "", io.EOF
		}
		if err != nil {
			return "", fmt.Errorf("after entry %d: %w", l.n, err)
		}
		if !l.decided && (c == '\n' || c == 0) {
			l.decided, l.sep = true, c
		}
		if l.decided && c == l.sep {
			if len(b) == 0 {
				continue
			}
			l.n++
			return string(b), nil
		}
		if c == 0 {
			return "", fmt.Errorf("entry %d: a NUL byte in a newline-separated list", l.n+1)
		}
		if len(b) >= MaxEntry {
			return "", fmt.Errorf("entry %d: longer than %d bytes", l.n+1, MaxEntry)
		}
		b = append(b, c)
	}
}
