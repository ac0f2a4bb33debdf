// Package ndb reads rpm's ndb package database (Packages.db) without
// locking it: the header blobs of the packages with a given name.
package ndb

import (
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"io"
	"os"
)

// The ndb package database (Packages.db), as lib/backend/ndb/rpmpkg.c of
// rpm 4.16-4.20 and 6.0 writes it: a 32-byte header, slot pages (16-byte
// slots: magic "Slot", package index, block offset, block count), then
// blobs in 16-byte blocks, each framed by a 16-byte head ("BlbS", package
// index, generation, length) and a 12-byte tail (adler32, length, "BlbE").
// All integers are little endian (le2h).
// Magic is the first 4 bytes of a Packages.db, read little endian.
const Magic = ndbMagic

const (
	ndbMagic      = 'R' | 'p'<<8 | 'm'<<16 | 'P'<<24 // PKGDB_MAGIC
	ndbVersion    = 0                                // PKGDB_VERSION
	ndbHeaderSize = 32                               // PKGDB_HEADER_SIZE
	ndbSlotMagic  = 'S' | 'l'<<8 | 'o'<<16 | 't'<<24 // SLOT_MAGIC
	ndbSlotSize   = 16                               // SLOT_SIZE
	ndbBlkSize    = 16                               // BLK_SIZE
	ndbPageSize   = 4096                             // PAGE_SIZE
	ndbSlotStart  = ndbHeaderSize / ndbSlotSize      // SLOT_START
	ndbHeadMagic  = 'B' | 'l'<<8 | 'b'<<16 | 'S'<<24 // BLOBHEAD_MAGIC
	ndbTailMagic  = 'B' | 'l'<<8 | 'b'<<16 | 'E'<<24 // BLOBTAIL_MAGIC
	ndbHeadSize   = 16                               // BLOBHEAD_SIZE
	ndbTailSize   = 12                               // BLOBTAIL_SIZE

	// ndbMaxSlotPages bounds the slot area (rpm grows it one page per 256
	// packages; 4096 pages is a million packages).
	ndbMaxSlotPages = 4096
	// ndbIndexPeek is how much of each blob is read to find its name: the
	// header's il, dl and up to this many index bytes.
	ndbIndexPeek = 64 << 10
)

// Record is one package header blob (il, dl, index, data; no magic).
type Record struct {
	// Num is the package index (pkgidx).
	Num uint32
	// Blob is the header as rpm stored it.
	Blob []byte
}

// Limits on what is read.
const (
	// MaxHeader bounds one header read in full.
	MaxHeader = 16 << 20
)

type ndbSlot struct {
	pkgidx, blkoff, blkcnt uint32
}

// Read returns the header blobs of the packages called name in the ndb
// Packages.db at path. It takes no lock (rpm's readers take flock(LOCK_SH),
// which would stall a writing rpm): it reads the generation before and
// after and retries when rpm wrote in between.
func Read(path, name string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	var lastErr error
	for range 3 {
		gen, recs, err := readOnce(f, st.Size(), name)
		if err != nil {
			lastErr = err
			continue
		}
		gen2, _, err := ndbHeader(f)
		if err == nil && gen2 == gen {
			return recs, nil
		}
		lastErr = fmt.Errorf("database changed while it was read")
	}
	return nil, fmt.Errorf("%s: %w", path, lastErr)
}

func ndbHeader(r io.ReaderAt) (generation, slotnpages uint32, err error) {
	var hdr [ndbHeaderSize]byte
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return 0, 0, fmt.Errorf("reading the header: %w", err)
	}
	if le(hdr[0:]) != ndbMagic {
		return 0, 0, fmt.Errorf("not an ndb package database (bad magic)")
	}
	if v := le(hdr[4:]); v != ndbVersion {
		// rpmpkgReadHeader: "rpmpkg: Version mismatch."
		return 0, 0, fmt.Errorf("ndb version %d, expected %d", v, ndbVersion)
	}
	return le(hdr[8:]), le(hdr[12:]), nil
}

func readOnce(r io.ReaderAt, size int64, want string) (uint32, []Record, error) {
	gen, slotnpages, err := ndbHeader(r)
	if err != nil {
		return 0, nil, err
	}
	// rpmpkgReadSlots: the file is a whole number of blocks.
	if size%ndbBlkSize != 0 {
		return 0, nil, fmt.Errorf("size %d is not a multiple of %d", size, ndbBlkSize)
	}
	if slotnpages == 0 || slotnpages > ndbMaxSlotPages || int64(slotnpages)*ndbPageSize > size {
		return 0, nil, fmt.Errorf("bad slot page count %d", slotnpages)
	}
	fileblks := uint64(size / ndbBlkSize)
	minblkoff := uint64(slotnpages) * (ndbPageSize / ndbBlkSize)
	var slots []ndbSlot
	seen := map[uint32]bool{}
	page := make([]byte, ndbPageSize)
	for p := uint32(0); p < slotnpages; p++ {
		if _, err := r.ReadAt(page, int64(p)*ndbPageSize); err != nil {
			return 0, nil, fmt.Errorf("reading slot page %d: %w", p, err)
		}
		o := 0
		if p == 0 {
			o = ndbSlotStart * ndbSlotSize
		}
		for ; o < ndbPageSize; o += ndbSlotSize {
			s := page[o : o+ndbSlotSize]
			if le(s) != ndbSlotMagic {
				return 0, nil, fmt.Errorf("bad slot magic in page %d", p)
			}
			blkoff := le(s[8:])
			if blkoff == 0 {
				continue // free slot
			}
			sl := ndbSlot{pkgidx: le(s[4:]), blkoff: blkoff, blkcnt: le(s[12:])}
			// rpmpkgReadSlots: "truncated database", "bad entry".
			if uint64(sl.blkoff)+uint64(sl.blkcnt) > fileblks {
				return 0, nil, fmt.Errorf("truncated database (package %d)", sl.pkgidx)
			}
			if sl.pkgidx == 0 || sl.blkcnt == 0 || uint64(sl.blkoff) < minblkoff {
				return 0, nil, fmt.Errorf("bad slot entry (package %d)", sl.pkgidx)
			}
			// rpmpkgHashSlots fails on a package index used twice.
			if seen[sl.pkgidx] {
				return 0, nil, fmt.Errorf("package %d has two slots", sl.pkgidx)
			}
			seen[sl.pkgidx] = true
			slots = append(slots, sl)
		}
	}
	var out []Record
	for _, sl := range slots {
		name, err := ndbBlobName(r, sl)
		if err != nil {
			return 0, nil, fmt.Errorf("package %d: %w", sl.pkgidx, err)
		}
		if name != want {
			continue
		}
		blob, err := ndbReadBlob(r, sl)
		if err != nil {
			return 0, nil, fmt.Errorf("package %d: %w", sl.pkgidx, err)
		}
		out = append(out, Record{Num: sl.pkgidx, Blob: blob})
	}
	return gen, out, nil
}

// ndbBlobHead checks a blob's head (rpmpkgReadBlob) and returns its length.
func ndbBlobHead(r io.ReaderAt, sl ndbSlot) (uint32, error) {
	if uint64(sl.blkcnt)*ndbBlkSize < ndbHeadSize+ndbTailSize {
		return 0, fmt.Errorf("blob too small")
	}
	var head [ndbHeadSize]byte
	if _, err := r.ReadAt(head[:], int64(sl.blkoff)*ndbBlkSize); err != nil {
		return 0, fmt.Errorf("reading blob head: %w", err)
	}
	if le(head[0:]) != ndbHeadMagic || le(head[4:]) != sl.pkgidx {
		return 0, fmt.Errorf("bad blob head")
	}
	n := le(head[12:])
	if uint64(sl.blkcnt) != (ndbHeadSize+uint64(n)+ndbTailSize+ndbBlkSize-1)/ndbBlkSize {
		return 0, fmt.Errorf("blob length %d does not match %d blocks", n, sl.blkcnt)
	}
	return n, nil
}

// ndbBlobName reads only the head and index of a blob and returns the
// header's RPMTAG_NAME, so that finding a few headers by name does not
// read every package header in full.
func ndbBlobName(r io.ReaderAt, sl ndbSlot) (string, error) {
	n, err := ndbBlobHead(r, sl)
	if err != nil {
		return "", err
	}
	base := int64(sl.blkoff)*ndbBlkSize + ndbHeadSize
	if n < 8 {
		return "", fmt.Errorf("header blob of %d bytes", n)
	}
	var ildl [8]byte
	if _, err := r.ReadAt(ildl[:], base); err != nil {
		return "", err
	}
	il, dl := uint64(be(ildl[0:])), uint64(be(ildl[4:]))
	if 8+16*il+dl != uint64(n) {
		return "", fmt.Errorf("header size 8 + 16*%d + %d does not match blob length %d", il, dl, n)
	}
	peek := min(16*il, ndbIndexPeek)
	idx := make([]byte, peek)
	if _, err := r.ReadAt(idx, base+8); err != nil {
		return "", err
	}
	for i := uint64(0); i+16 <= peek; i += 16 {
		if be(idx[i:]) != 1000 { // RPMTAG_NAME
			continue
		}
		if be(idx[i+4:]) != 6 { // RPM_STRING_TYPE
			return "", fmt.Errorf("corrupt header: name is not a string")
		}
		off := uint64(be(idx[i+8:]))
		if off >= dl {
			return "", fmt.Errorf("name offset %d outside the data (%d bytes)", off, dl)
		}
		// Names are short; read at most 256 bytes and require the NUL.
		buf := make([]byte, min(256, dl-off))
		if _, err := r.ReadAt(buf, base+8+16*int64(il)+int64(off)); err != nil {
			return "", err
		}
		for j, c := range buf {
			if c == 0 {
				return string(buf[:j]), nil
			}
		}
		return "", fmt.Errorf("corrupt header: unterminated name")
	}
	// Every package header has a name (hdrblobVerifyInfo cannot tell a
	// damaged index from a legitimate one; a missing name can).
	return "", fmt.Errorf("corrupt header: no name")
}

// ndbReadBlob reads a whole blob and checks its tail and adler32 checksum
// (rpmpkgVerifyblob: the checksum covers the head and every byte up to the
// tail).
func ndbReadBlob(r io.ReaderAt, sl ndbSlot) ([]byte, error) {
	n, err := ndbBlobHead(r, sl)
	if err != nil {
		return nil, err
	}
	if n > MaxHeader {
		return nil, fmt.Errorf("header of %d bytes (limit %d)", n, MaxHeader)
	}
	all := make([]byte, int(sl.blkcnt)*ndbBlkSize)
	if _, err := r.ReadAt(all, int64(sl.blkoff)*ndbBlkSize); err != nil {
		return nil, fmt.Errorf("reading blob: %w", err)
	}
	tail := all[len(all)-ndbTailSize:]
	if le(tail[4:]) != n || le(tail[8:]) != ndbTailMagic {
		return nil, fmt.Errorf("bad blob tail")
	}
	if adler32.Checksum(all[:len(all)-ndbTailSize]) != le(tail[0:]) {
		return nil, fmt.Errorf("blob checksum (adler32) mismatch")
	}
	return all[ndbHeadSize : ndbHeadSize+int(n)], nil
}

func le(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }
func be(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
