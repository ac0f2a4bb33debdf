package rpm

import (
	"bytes"
	"encoding/binary"
)

// Synthetic packages for tests: a builder that lays out headers the way
// rpm's headerExport does (aligned data, region trailer last), and patch
// helpers to corrupt them field by field.

type item struct {
	tag   Tag
	typ   Type
	count uint32
	data  []byte
}

func str(tag Tag, s string) item { return item{tag, TypeString, 1, append([]byte(s), 0)} }

func strs(tag Tag, ss ...string) item {
	var b []byte
	for _, s := range ss {
		b = append(append(b, s...), 0)
	}
	return item{tag, TypeStringArray, uint32(len(ss)), b}
}

func u32s(tag Tag, vs ...uint32) item {
	b := make([]byte, 4*len(vs))
	for i, v := range vs {
		binary.BigEndian.PutUint32(b[4*i:], v)
	}
	return item{tag, TypeInt32, uint32(len(vs)), b}
}

func u64s(tag Tag, vs ...uint64) item {
	b := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.BigEndian.PutUint64(b[8*i:], v)
	}
	return item{tag, TypeInt64, uint32(len(vs)), b}
}

func bin(tag Tag, b []byte) item { return item{tag, TypeBin, uint32(len(b)), b} }

// mkHeader builds a header (magic through data store) with a region entry
// for region (0: none) followed by items.
func mkHeader(region Tag, items []item) []byte {
	var store []byte
	type ent struct {
		tag, typ uint32
		off      int32
		count    uint32
	}
	var ents []ent
	for _, it := range items {
		for int64(len(store))%typeAlign[it.typ] != 0 {
			store = append(store, 0)
		}
		ents = append(ents, ent{uint32(it.tag), uint32(it.typ), int32(len(store)), it.count})
		store = append(store, it.data...)
	}
	if region != 0 {
		n := len(ents) + 1
		trailer := make([]byte, 16)
		binary.BigEndian.PutUint32(trailer[0:], uint32(region))
		binary.BigEndian.PutUint32(trailer[4:], uint32(TypeBin))
		binary.BigEndian.PutUint32(trailer[8:], uint32(int32(-16*n)))
		binary.BigEndian.PutUint32(trailer[12:], 16)
		ents = append([]ent{{uint32(region), uint32(TypeBin), int32(len(store)), 16}}, ents...)
		store = append(store, trailer...)
	}
	out := append([]byte(nil), headerMagic[:]...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(ents)))
	out = binary.BigEndian.AppendUint32(out, uint32(len(store)))
	for _, e := range ents {
		out = binary.BigEndian.AppendUint32(out, e.tag)
		out = binary.BigEndian.AppendUint32(out, e.typ)
		out = binary.BigEndian.AppendUint32(out, uint32(e.off))
		out = binary.BigEndian.AppendUint32(out, e.count)
	}
	return append(out, store...)
}

func mkLead() []byte {
	l := make([]byte, LeadSize)
	copy(l, leadMagic[:])
	l[4], l[5] = 3, 0
	binary.BigEndian.PutUint16(l[8:], 1)
	copy(l[10:76], "test-1.0-1")
	binary.BigEndian.PutUint16(l[76:], 1)
	binary.BigEndian.PutUint16(l[78:], sigTypeHeaderSig)
	return l
}

var testPayload = []byte("PAYLOAD BYTES\x00\x01\x02")

// layout is a synthetic package with the positions of its parts.
type layout struct {
	b         []byte
	sig, main int // offsets of the two header magics
}

func defaultSig() []item {
	return []item{
		str(SigTagSHA1, "0123456789012345678901234567890123456789"),
		str(SigTagSHA256, "0123456789012345678901234567890123456789012345678901234567890123"),
		u32s(SigTagSize, 1234),
		bin(SigTagMD5, bytes.Repeat([]byte{0xaa}, 16)),
		bin(SigTagReservedSpace, []byte{0, 0, 0, 0}),
	}
}

func defaultMain() []item {
	return []item{
		strs(TagHeaderI18NTable, "C"),
		str(TagName, "test"),
		str(TagVersion, "1.0"),
		str(TagRelease, "1"),
		str(TagArch, "x86_64"),
		u32s(1028, 10, 20), // RPMTAG_FILESIZES
		u64s(5008, 7),      // RPMTAG_LONGFILESIZES
		strs(TagPayloadSHA256, "00ff"),
		u32s(TagPayloadDigestAlgo, 8),
	}
}

func mkPackage(sigRegion Tag, sig []item, mainRegion Tag, main []item) *layout {
	s := mkHeader(sigRegion, sig)
	m := mkHeader(mainRegion, main)
	l := &layout{sig: LeadSize}
	l.b = append(mkLead(), s...)
	for len(l.b)%8 != 0 {
		l.b = append(l.b, 0)
	}
	l.main = len(l.b)
	l.b = append(l.b, m...)
	l.b = append(l.b, testPayload...)
	return l
}

func defaultPackage() *layout {
	return mkPackage(TagHeaderSignatures, defaultSig(), TagHeaderImmutable, defaultMain())
}

func (l *layout) put32(off int, v uint32) { binary.BigEndian.PutUint32(l.b[off:], v) }

// entry field offsets: field 0 tag, 1 type, 2 offset, 3 count.
func (l *layout) sigEntry(i, field int) int  { return l.sig + 16 + 16*i + 4*field }
func (l *layout) mainEntry(i, field int) int { return l.main + 16 + 16*i + 4*field }

func (l *layout) il(hdr int) int { return int(binary.BigEndian.Uint32(l.b[hdr+8:])) }
func (l *layout) dl(hdr int) int { return int(binary.BigEndian.Uint32(l.b[hdr+12:])) }

// store returns the offset of a header's data store.
func (l *layout) store(hdr int) int { return hdr + 16 + 16*l.il(hdr) }

// trailer returns the offset of a header's region trailer (last 16 bytes).
func (l *layout) trailer(hdr int) int { return l.store(hdr) + l.dl(hdr) - 16 }
