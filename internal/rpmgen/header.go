// Package rpmgen writes RPM packages for tests and fixture generators.
//
// It encodes RPM headers exactly as rpm's lib/header.c headerExport lays out a
// freshly built header: the region entry (tag 62 HEADERSIGNATURES for the
// signature header, 63 HEADERIMMUTABLE for the main header) first, the other
// index entries sorted by tag, the data store in tag order with each value
// aligned to its type size, and the 16-byte region trailer at the end of the
// store. It also writes the 96-byte lead and assembles lead + signature header
// (padded to 8 bytes) + main header + payload.
//
// The most useful entry point is Resign, which takes a package made by
// rpmbuild and rebuilds its signature header with given signature and digest
// entries. The parser in this package is meant for trusted, generator-made
// input; it is bounded but it is not the verifier's parser.
package rpmgen

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// Type is an RPM header data type (rpmTagType).
type Type uint32

// RPM header data types.
const (
	TypeNull        Type = 0
	TypeChar        Type = 1
	TypeInt8        Type = 2
	TypeInt16       Type = 3
	TypeInt32       Type = 4
	TypeInt64       Type = 5
	TypeString      Type = 6
	TypeBin         Type = 7
	TypeStringArray Type = 8
	TypeI18NString  Type = 9
)

// Region tags and signature-header tags (rpmtag.h, RPMSIGTAG_*).
const (
	TagHeaderSignatures = 62   // region tag of the signature header
	TagHeaderImmutable  = 63   // region tag of the main header
	SigTagDSA           = 267  // RPMSIGTAG_DSA = RPMTAG_DSAHEADER: non-RSA v4 signature over the header
	SigTagRSA           = 268  // RPMSIGTAG_RSA = RPMTAG_RSAHEADER: RSA v4 signature over the header
	SigTagSHA1          = 269  // RPMSIGTAG_SHA1: SHA-1 hex of the main header
	SigTagLongSize      = 270  // RPMSIGTAG_LONGSIZE: 64-bit header+payload size
	SigTagSHA256        = 273  // RPMSIGTAG_SHA256: SHA-256 hex of the main header
	SigTagOpenPGP       = 278  // RPMSIGTAG_OPENPGP (rpm 6): string array of base64 signature packets over the header
	SigTagSHA3_256      = 279  // RPMSIGTAG_SHA3_256 (rpm 6): SHA3-256 hex of the main header
	SigTagReserved      = 999  // RPMSIGTAG_RESERVED (rpm 6 v6 packages)
	SigTagSize          = 1000 // RPMSIGTAG_SIZE: header+payload size
	SigTagPGP           = 1002 // RPMSIGTAG_PGP: RSA signature over header+payload
	SigTagMD5           = 1004 // RPMSIGTAG_MD5: MD5 of header+payload (16 bytes binary)
	SigTagGPG           = 1005 // RPMSIGTAG_GPG: non-RSA signature over header+payload
	SigTagPayloadSize   = 1007 // RPMSIGTAG_PAYLOADSIZE: uncompressed payload size
	SigTagReservedSpace = 1008 // RPMSIGTAG_RESERVEDSPACE: zero padding rpmsign shrinks
)

// SignatureTags are the signature-header tags that carry OpenPGP signatures.
var SignatureTags = []uint32{SigTagDSA, SigTagRSA, SigTagOpenPGP, SigTagPGP, SigTagGPG}

var headerMagic = []byte{0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0}

// Entry is one header tag with its value already encoded as it appears in the
// data store (big-endian numbers, NUL-terminated strings).
type Entry struct {
	Tag   uint32
	Type  Type
	Count uint32
	Data  []byte
}

func (t Type) align() int {
	switch t {
	case TypeInt16:
		return 2
	case TypeInt32:
		return 4
	case TypeInt64:
		return 8
	}
	return 1
}

// Bin returns a BIN entry.
func Bin(tag uint32, b []byte) Entry {
	return Entry{Tag: tag, Type: TypeBin, Count: uint32(len(b)), Data: append([]byte(nil), b...)}
}

// String returns a STRING entry.
func String(tag uint32, s string) Entry {
	return Entry{Tag: tag, Type: TypeString, Count: 1, Data: append([]byte(s), 0)}
}

// StringArray returns a STRING_ARRAY entry.
func StringArray(tag uint32, ss ...string) Entry {
	var b []byte
	for _, s := range ss {
		b = append(b, s...)
		b = append(b, 0)
	}
	return Entry{Tag: tag, Type: TypeStringArray, Count: uint32(len(ss)), Data: b}
}

// Int32 returns an INT32 entry.
func Int32(tag uint32, vs ...uint32) Entry {
	b := make([]byte, 4*len(vs))
	for i, v := range vs {
		binary.BigEndian.PutUint32(b[4*i:], v)
	}
	return Entry{Tag: tag, Type: TypeInt32, Count: uint32(len(vs)), Data: b}
}

// Int64 returns an INT64 entry.
func Int64(tag uint32, vs ...uint64) Entry {
	b := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.BigEndian.PutUint64(b[8*i:], v)
	}
	return Entry{Tag: tag, Type: TypeInt64, Count: uint32(len(vs)), Data: b}
}

// Strings returns the strings of a STRING, STRING_ARRAY or I18NSTRING entry.
func (e Entry) Strings() []string {
	var out []string
	rest := e.Data
	for i := uint32(0); i < e.Count; i++ {
		j := bytes.IndexByte(rest, 0)
		if j < 0 {
			break
		}
		out = append(out, string(rest[:j]))
		rest = rest[j+1:]
	}
	return out
}

// Uint32 returns the first value of an INT32 entry (0 if it has none).
func (e Entry) Uint32() uint32 {
	if e.Type != TypeInt32 || len(e.Data) < 4 {
		return 0
	}
	return binary.BigEndian.Uint32(e.Data)
}

// EncodeHeader encodes a header blob (magic, index, store) with the given
// region tag (TagHeaderSignatures or TagHeaderImmutable). Entries are sorted
// by tag; an entry carrying the region tag itself is not allowed.
func EncodeHeader(region uint32, entries []Entry) ([]byte, error) {
	es := append([]Entry(nil), entries...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Tag < es[j].Tag })
	for i, e := range es {
		if e.Tag <= region || e.Tag == TagHeaderSignatures || e.Tag == TagHeaderImmutable {
			return nil, fmt.Errorf("rpmgen: tag %d not allowed after region tag %d", e.Tag, region)
		}
		if i > 0 && es[i-1].Tag == e.Tag {
			return nil, fmt.Errorf("rpmgen: duplicate tag %d", e.Tag)
		}
		if e.Type > TypeI18NString || e.Type == TypeNull {
			return nil, fmt.Errorf("rpmgen: tag %d: bad type %d", e.Tag, e.Type)
		}
	}
	il := len(es) + 1
	var store []byte
	index := make([]byte, 0, 16*il)
	put := func(tag uint32, typ Type, off int32, count uint32) {
		var b [16]byte
		binary.BigEndian.PutUint32(b[0:], tag)
		binary.BigEndian.PutUint32(b[4:], uint32(typ))
		binary.BigEndian.PutUint32(b[8:], uint32(off))
		binary.BigEndian.PutUint32(b[12:], count)
		index = append(index, b[:]...)
	}
	var rest []byte
	for _, e := range es {
		if a := e.Type.align(); len(store)%a != 0 {
			store = append(store, make([]byte, a-len(store)%a)...)
		}
		var b [16]byte
		binary.BigEndian.PutUint32(b[0:], e.Tag)
		binary.BigEndian.PutUint32(b[4:], uint32(e.Type))
		binary.BigEndian.PutUint32(b[8:], uint32(len(store)))
		binary.BigEndian.PutUint32(b[12:], e.Count)
		rest = append(rest, b[:]...)
		store = append(store, e.Data...)
	}
	trailerOff := len(store)
	put(region, TypeBin, int32(trailerOff), 16)
	index = append(index, rest...)
	var tr [16]byte
	binary.BigEndian.PutUint32(tr[0:], region)
	binary.BigEndian.PutUint32(tr[4:], uint32(TypeBin))
	binary.BigEndian.PutUint32(tr[8:], uint32(int32(-16*il)))
	binary.BigEndian.PutUint32(tr[12:], 16)
	store = append(store, tr[:]...)

	out := make([]byte, 0, 16+len(index)+len(store))
	out = append(out, headerMagic...)
	out = binary.BigEndian.AppendUint32(out, uint32(il))
	out = binary.BigEndian.AppendUint32(out, uint32(len(store)))
	out = append(out, index...)
	out = append(out, store...)
	return out, nil
}

// maxHeader bounds what DecodeHeader accepts (rpm's own limits are similar).
const maxHeader = 256 << 20

// DecodeHeader parses the header blob at the start of b. It returns the region
// tag, the entries other than the region entry (in tag order, with their data
// sliced by the next entry's offset or the region trailer) and the blob length.
// It checks bounds but is meant for generator input, not hostile files.
func DecodeHeader(b []byte) (region uint32, entries []Entry, n int, err error) {
	if len(b) < 16 || !bytes.Equal(b[:8], headerMagic) {
		return 0, nil, 0, errors.New("rpmgen: no header magic")
	}
	il := int(binary.BigEndian.Uint32(b[8:]))
	dl := int(binary.BigEndian.Uint32(b[12:]))
	if il < 1 || il > 65535 || dl > maxHeader {
		return 0, nil, 0, fmt.Errorf("rpmgen: bad header size il=%d dl=%d", il, dl)
	}
	n = 16 + 16*il + dl
	if n > len(b) {
		return 0, nil, 0, errors.New("rpmgen: header truncated")
	}
	store := b[16+16*il : n]
	type raw struct {
		tag, typ, count uint32
		off             int
	}
	rs := make([]raw, il)
	for i := range rs {
		p := b[16+16*i:]
		rs[i] = raw{binary.BigEndian.Uint32(p), binary.BigEndian.Uint32(p[4:]), binary.BigEndian.Uint32(p[12:]), int(int32(binary.BigEndian.Uint32(p[8:])))}
	}
	region = rs[0].tag
	if region != TagHeaderSignatures && region != TagHeaderImmutable {
		return 0, nil, 0, fmt.Errorf("rpmgen: first tag %d is not a region tag", region)
	}
	end := rs[0].off // the trailer bounds the last entry's data
	if end < 0 || end+16 > dl {
		return 0, nil, 0, errors.New("rpmgen: bad region trailer offset")
	}
	rest := rs[1:]
	order := make([]int, len(rest))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return rest[order[i]].off < rest[order[j]].off })
	lens := make([]int, len(rest))
	for k, i := range order {
		stop := end
		if k+1 < len(order) {
			stop = rest[order[k+1]].off
		}
		r := rest[i]
		if r.off < 0 || r.off > stop {
			return 0, nil, 0, fmt.Errorf("rpmgen: tag %d: bad offset %d", r.tag, r.off)
		}
		l := stop - r.off
		// Strip the alignment padding that precedes the next entry.
		if k+1 < len(order) {
			l = dataLen(Type(r.typ), r.count, store[r.off:stop])
		}
		lens[i] = l
	}
	for i, r := range rest {
		entries = append(entries, Entry{Tag: r.tag, Type: Type(r.typ), Count: r.count, Data: append([]byte(nil), store[r.off:r.off+lens[i]]...)})
	}
	return region, entries, n, nil
}

// dataLen computes the encoded size of count values of type t at the start of d.
func dataLen(t Type, count uint32, d []byte) int {
	switch t {
	case TypeChar, TypeInt8, TypeBin:
		return min(int(count), len(d))
	case TypeInt16:
		return min(2*int(count), len(d))
	case TypeInt32:
		return min(4*int(count), len(d))
	case TypeInt64:
		return min(8*int(count), len(d))
	case TypeString:
		count = 1
	}
	n := 0
	for i := uint32(0); i < count && n < len(d); i++ {
		j := bytes.IndexByte(d[n:], 0)
		if j < 0 {
			return len(d)
		}
		n += j + 1
	}
	return n
}
