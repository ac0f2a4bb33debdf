package rpm

import (
	"errors"
	"io"
	"slices"
)

// readChunk is how much a buffer grows per read: buffers grow only as bytes
// actually arrive, never to what a length field claims.
const readChunk = 64 << 10

// readAppend reads exactly n bytes from r and appends them to buf. It mirrors
// lib/header.c:Freadall and returns, as rpm reports it, the "read returned"
// value: n when all bytes arrived, 0 when the input ended early (Freadall
// returns the last Fread result, 0, even after a partial read) and -1 on an
// I/O error (returned as err; io.EOF is not an error here).
func readAppend(r io.Reader, buf []byte, n int64) ([]byte, int64, error) {
	var got int64
	for got < n {
		want := min(n-got, readChunk)
		buf = slices.Grow(buf, int(want))
		k, err := io.ReadFull(r, buf[len(buf):len(buf)+int(want)])
		buf = buf[:len(buf)+k]
		got += int64(k)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return buf, 0, nil
			}
			return buf, -1, err
		}
	}
	return buf, n, nil
}

// skipN reads and discards exactly n bytes, with readAppend's return values.
func skipN(r io.Reader, n int64) (int64, error) {
	k, err := io.CopyN(io.Discard, r, n)
	if k == n {
		return n, nil
	}
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return 0, nil
	}
	return -1, err
}
