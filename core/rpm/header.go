package rpm

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
)

// Header is one parsed header structure (signature header or main header)
// that passed every check of rpm 4.18's hdrblobRead/hdrblobInit.
type Header struct {
	// Entries are the index entries in index (file) order, including the
	// region entry (tag 62 or 63) when the header has one. rpm does not
	// require tags to be sorted or unique; neither does this package.
	Entries []Entry
	// RegionTag is the header's region tag (TagHeaderSignatures or
	// TagHeaderImmutable), or 0 for a header without a region (legacy
	// headers: rpm accepts them and then skips the main-header type checks).
	RegionTag Tag
	// IL and DL are the index entry count and data store length.
	IL, DL uint32
	// RIL and RDL are the entry count and data length the region trailer
	// claims (rpm's blob->ril, blob->rdl); 0 without a region. In a main
	// header with a region they equal IL and DL.
	RIL, RDL uint32
	// Raw is the exact file bytes of the header: the 8-byte magic, il, dl,
	// the index and the data store (no signature padding).
	Raw []byte
	// Store is the data store (Raw without magic, il, dl and index).
	Store []byte
}

// Get returns the first entry with tag t in index order, like
// lib/header.c:hdrblobGet (which rpm's verification uses for the signature
// header and for the payload digest tags of the main header).
func (h *Header) Get(t Tag) (*Entry, bool) {
	if h == nil {
		return nil, false
	}
	for i := range h.Entries {
		if h.Entries[i].Tag == t {
			return &h.Entries[i], true
		}
	}
	return nil, false
}

// Origin names the header in rpm 4.18's messages about its entries:
// "header" when entries lie outside its region (il > ril), else "package"
// (lib/rpmvs.c rpmvsAppend: "const char *o = (blob->il > blob->ril) ?
// _("header") : _("package")"). Signature and main header alike say
// "package" in a well-formed package.
func (h *Header) Origin() string {
	if h.IL > h.RIL {
		return "header"
	}
	return "package"
}

// Has reports whether the header has an entry with tag t (hdrblobIsEntry).
func (h *Header) Has(t Tag) bool {
	_, ok := h.Get(t)
	return ok
}

// typeAlign and typeSizes are lib/header.c:typeAlign / typeSizes for the
// valid types 0..9 (-1 = variable-length string types).
var (
	typeAlign = [10]int64{1, 1, 1, 2, 4, 8, 1, 1, 1, 1}
	typeSizes = [10]int64{0, 1, 1, 2, 4, 8, -1, 1, -1, -1}
)

// rawEntry is one index entry as stored (lib/header_internal.h,
// struct entryInfo_s, big endian).
type rawEntry struct {
	tag, typ uint32
	offset   int32
	count    uint32
}

func parseEntry(b []byte) rawEntry {
	return rawEntry{
		tag:    binary.BigEndian.Uint32(b[0:4]),
		typ:    binary.BigEndian.Uint32(b[4:8]),
		offset: int32(binary.BigEndian.Uint32(b[8:12])),
		count:  binary.BigEndian.Uint32(b[12:16]),
	}
}

// readHeader mirrors lib/header.c:hdrblobRead(fd, magic=1, exact_size,
// regionTag) followed by hdrblobInit. regionTag is TagHeaderSignatures (the
// signature header: smaller limits, 8-byte padding, "signature " prefix on
// errors, exact_size 0) or TagHeaderImmutable (the main header, exact_size 1),
// as lib/package.c:rpmpkgRead calls it.
func readHeader(r io.Reader, regionTag Tag) (*Header, error) {
	h, err := readHeaderBlob(r, regionTag)
	if err != nil {
		var fe *FormatError
		if regionTag == TagHeaderSignatures && asFormatError(err, &fe) {
			// hdrblobRead: every signature header error gets this prefix.
			fe.Msg = "signature " + fe.Msg
		}
		return nil, err
	}
	return h, nil
}

func asFormatError(err error, fe **FormatError) bool {
	e, ok := err.(*FormatError)
	if ok {
		*fe = e
	}
	return ok
}

func formatErr(format string, args ...any) error {
	return &FormatError{Msg: fmt.Sprintf(format, args...)}
}

func readHeaderBlob(r io.Reader, regionTag Tag) (*Header, error) {
	isSig := regionTag == TagHeaderSignatures
	exactSize := !isSig

	// hdrblobRead: magic + il + dl, "hdr size(%d): BAD, read returned %d".
	buf := make([]byte, 0, 16)
	buf, n, err := readAppend(r, buf, 16)
	if n != 16 {
		return nil, &FormatError{Msg: fmt.Sprintf("hdr size(16): BAD, read returned %d", n), Err: err}
	}
	if !bytes.Equal(buf[:8], headerMagic[:]) {
		return nil, formatErr("hdr magic: BAD")
	}
	il := binary.BigEndian.Uint32(buf[8:12])
	dl := binary.BigEndian.Uint32(buf[12:16])
	// hdrblobRead: il_max/dl_max, smaller for the signature header.
	ilMax, dlMax := uint32(HeaderTagsMax), uint32(HeaderDataMax)
	if isSig {
		ilMax, dlMax = SigTagsMax, SigDataMax
	}
	if il > ilMax {
		return nil, formatErr("hdr tags: BAD, no. of tags(%d) out of range", il)
	}
	if dl > dlMax {
		return nil, formatErr("hdr data: BAD, no. of bytes(%d) out of range", dl)
	}

	nb := int64(il)*16 + int64(dl)
	pvlen := 8 + nb
	tooBig := pvlen >= HeaderMaxBytes
	if tooBig {
		// hdrblobInit will reject the blob ("blob size") once it has been
		// read; rpm allocates and reads it first. Read and discard it so the
		// outcome (and a truncation message) is rpm's without holding
		// 256 MiB.
		n, err = skipN(r, nb)
	} else {
		buf, n, err = readAppend(r, buf, nb)
	}
	if n != nb {
		return nil, &FormatError{Msg: fmt.Sprintf("hdr blob(%d): BAD, read returned %d", nb, n), Err: err}
	}

	if isSig {
		// hdrblobRead: the signature header is padded to a multiple of 8.
		sigSize := 8 + pvlen
		pad := (8 - sigSize%8) % 8
		if pad > 0 {
			trc, err := skipN(r, pad)
			if trc != pad {
				return nil, &FormatError{Msg: fmt.Sprintf("sigh pad(%d): BAD, read %d bytes", pad, trc), Err: err}
			}
		}
	}

	// hdrblobInit: "Is the blob the right size?"
	if tooBig {
		return nil, formatErr("blob size(%d): BAD, 8 + 16 * il(%d) + dl(%d)", pvlen, int32(il), int32(dl))
	}

	h := &Header{IL: il, DL: dl, Raw: buf}
	blob := buf[8:] // rpm's ei: il, dl, index, store
	dataStart := 8 + 16*int64(il)
	h.Store = blob[dataStart:]

	region, err := verifyRegion(h, blob, regionTag, exactSize)
	if err != nil {
		return nil, err
	}
	if err := verifyInfo(h, blob, region); err != nil {
		return nil, err
	}
	return h, nil
}

// regionInfo is what hdrblobVerifyRegion leaves in the blob.
type regionInfo struct {
	tag     Tag   // 0: no region
	rdl     int64 // blob->rdl
	trailer int64 // position of the trailer in the blob
}

// verifyRegion mirrors lib/header.c:hdrblobVerifyRegion.
func verifyRegion(h *Header, blob []byte, regionTag Tag, exactSize bool) (regionInfo, error) {
	il, dl := int64(h.IL), int64(h.DL)
	// "Check that we have at least on tag"
	if il < 1 {
		return regionInfo{}, formatErr("region: no tags")
	}
	e := parseEntry(blob[8:24])
	// "Is there an immutable header region tag?" If not: RPMRC_NOTFOUND,
	// which hdrblobInit accepts (legacy header without a region).
	if Tag(e.tag) != regionTag {
		return regionInfo{}, nil
	}
	// "Is the region tag sane?"
	if !(Type(e.typ) == TypeBin && e.count == regionTagCount) {
		return regionInfo{}, formatErr("region tag: BAD, tag %d type %d offset %d count %d",
			int32(e.tag), int32(e.typ), e.offset, int32(e.count))
	}
	// "Is the trailer within the data area?" (offset may be negative down
	// to -16: rpm then reads the trailer from the end of the index.)
	rdl := int64(e.offset) + regionTagCount
	if rdl < 0 || rdl > dl {
		return regionInfo{}, formatErr("region offset: BAD, tag %d type %d offset %d count %d",
			int32(e.tag), int32(e.typ), e.offset, int32(e.count))
	}
	dataStart := 8 + 16*il
	pos := dataStart + int64(e.offset)
	t := parseEntry(blob[pos : pos+regionTagCount])
	// "Trailer offset is negative and has a special meaning" (int32 negation).
	toff := -t.offset
	// "Some old packages have HEADERIMAGE in signature region trailer, fix up"
	// (present in 4.18: measured).
	if regionTag == TagHeaderSignatures && Tag(t.tag) == TagHeaderImage {
		t.tag = uint32(TagHeaderSignatures)
	}
	if !(Tag(t.tag) == regionTag && Type(t.typ) == TypeBin && t.count == regionTagCount) {
		return regionInfo{}, formatErr("region trailer: BAD, tag %d type %d offset %d count %d",
			int32(t.tag), int32(t.typ), toff, int32(t.count))
	}
	// "Does the region actually fit within the header?" rpm divides the
	// int32 offset by a size_t, i.e. as an unsigned 64-bit value, and keeps
	// the low 32 bits (measured: trailer offset 32 gives "ril -2").
	u := uint64(int64(toff))
	ril := int32(uint32(u / 16))
	if u%16 != 0 || ril < 0 || int64(ril) > il || rdl > dl {
		return regionInfo{}, formatErr("region %d size: BAD, ril %d il %d rdl %d dl %d",
			int32(regionTag), ril, int32(il), rdl, int32(dl))
	}
	// "In package files region size is expected to match header size."
	if exactSize && !(int64(ril) == il && rdl == dl) {
		return regionInfo{}, formatErr("region %d: tag number mismatch il %d ril %d dl %d rdl %d\n",
			int32(regionTag), int32(il), ril, int32(dl), rdl)
	}
	h.RegionTag = regionTag
	h.RIL, h.RDL = uint32(ril), uint32(rdl)
	return regionInfo{tag: regionTag, rdl: rdl, trailer: pos}, nil
}

// verifyInfo mirrors lib/header.c:hdrblobVerifyInfo of rpm 4.18 and builds
// the entry list. The order of the checks matters only for the "len" in the
// message: checks before dataLength report the previous entry's length
// (rpm's stale variable), a dataLength failure reports -1, later checks the
// computed length. All three were measured against rpm 4.18.
func verifyInfo(h *Header, blob []byte, reg regionInfo) error {
	il, dl := int64(h.IL), int64(h.DL)
	dataStart := 8 + 16*il
	store := blob[dataStart:]
	h.Entries = make([]Entry, 0, il)

	first := int64(0)
	if reg.tag != 0 {
		// The region entry was checked by hdrblobVerifyRegion; its data is
		// the 16-byte trailer.
		e := parseEntry(blob[8:24])
		h.Entries = append(h.Entries, Entry{
			Tag: Tag(e.tag), Type: Type(e.typ), Offset: uint32(e.offset), Count: e.count,
			Data: blob[reg.trailer : reg.trailer+regionTagCount : reg.trailer+regionTagCount],
		})
		first = 1
	}
	// "Can't typecheck signature header tags, sigh"
	typechk := reg.tag == TagHeaderImmutable || reg.tag == TagHeaderImage

	var length int64 // rpm's "len": stale across iterations, 0 at start
	var end int64
	for i := first; i < il; i++ {
		e := parseEntry(blob[8+16*i : 8+16*i+16])
		off := int64(e.offset)
		fail := func() error {
			return formatErr("tag[%d]: BAD, tag %d type %d offset %d count %d len %d",
				i-first, int32(e.tag), int32(e.typ), e.offset, int32(e.count), length)
		}
		// "Previous data must not overlap": data must be in index order.
		if end > off {
			return fail()
		}
		// hdrchkTag: tags are signed, below HEADER_I18NTABLE is invalid.
		if int32(e.tag) < int32(TagHeaderI18NTable) {
			return fail()
		}
		// hdrchkType: 4.18 rejects RPM_NULL_TYPE too (measured).
		if e.typ < uint32(TypeChar) || e.typ > uint32(TypeI18NString) {
			return fail()
		}
		// hdrchkCount: 1 <= count <= dl.
		if e.count < 1 || int64(e.count) > dl {
			return fail()
		}
		// hdrchkAlign
		if off&(typeAlign[e.typ]-1) != 0 {
			return fail()
		}
		// hdrchkRange(dl, offset)
		if off < 0 || off > dl {
			return fail()
		}
		// hdrchkArray: at most HEADER_ARRAY_MAX items except for BIN.
		if Type(e.typ) != TypeBin && e.count&^headerArrayMax != 0 {
			return fail()
		}
		// hdrchkTagType (main header with a region only)
		if typechk && tagTypeMismatch(Tag(e.tag), Type(e.typ)) {
			return fail()
		}
		// "Verify the data actually fits" (dataLength, onDisk)
		length = dataLength(Type(e.typ), store[off:], e.count)
		if length <= 0 || off+length > dl {
			return fail()
		}
		end = off + length
		// "Verify that the data does not overlap the region trailer."
		if reg.tag != 0 && end > reg.rdl-regionTagCount && off < reg.rdl {
			return fail()
		}
		h.Entries = append(h.Entries, Entry{
			Tag: Tag(e.tag), Type: Type(e.typ), Offset: uint32(e.offset), Count: e.count,
			Data: store[off:end:end],
		})
	}
	return nil
}

// dataLength mirrors lib/header.c:dataLength for on-disk data bounded by the
// end of the store: the byte length of the entry's data, or -1.
func dataLength(t Type, s []byte, count uint32) int64 {
	switch t {
	case TypeString:
		if count != 1 {
			return -1
		}
		return strtaglen(s, 1)
	case TypeStringArray, TypeI18NString:
		return strtaglen(s, count)
	default:
		n := typeSizes[t] * int64(count)
		if n < 0 || n > int64(len(s)) {
			return -1
		}
		return n
	}
}

// strtaglen mirrors lib/header.c:strtaglen: the length of c NUL-terminated
// strings starting at s (including the NULs), or -1 if s does not hold c
// terminated strings.
func strtaglen(s []byte, c uint32) int64 {
	if len(s) == 0 {
		return -1
	}
	pos := 0
	for c > 0 {
		k := bytes.IndexByte(s[pos:], 0)
		if k < 0 {
			return -1
		}
		pos += k + 1
		c--
	}
	return int64(pos)
}

// tagTypeMismatch mirrors lib/header.c:hdrchkTagType with rpm 4.18's tag table.
func tagTypeMismatch(tag Tag, t Type) bool {
	want, known := tagTypes418[tag]
	if !known || want == t {
		return false // "Permit unknown tags for forward compatibility"
	}
	// "Some string tags harmlessly disagree on the exact type"
	if isStringClass(want) && isStringClass(t) {
		return false
	}
	return true
}

func isStringClass(t Type) bool {
	return t == TypeString || t == TypeStringArray || t == TypeI18NString
}
