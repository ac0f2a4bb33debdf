package rpm

import (
	"encoding/binary"
	"fmt"
)

// TagPubKeys is RPMTAG_PUBKEYS (include/rpm/rpmtag.h): the base64 OpenPGP
// certificates of a gpg-pubkey header (string array).
const TagPubKeys Tag = 266

// ParseBlob parses a header as the rpmdb stores it: il, dl, the index and
// the data store, without the 8-byte magic (headerExport's output). It
// mirrors lib/header.c:hdrblobInit(uh, uc, regionTag=0, exact_size=0), which
// lib/rpmdb.c uses for every header it reads from the database: the blob
// must be exactly 8 + 16*il + dl bytes, the region (if any) must be sane and
// every entry must pass hdrblobVerifyInfo. Database headers carry entries
// after the immutable region (install time, ...), so the region may be
// smaller than the header. The returned Header aliases blob.
func ParseBlob(blob []byte) (*Header, error) {
	if len(blob) < 8 {
		return nil, formatErr("hdr size(%d): BAD, blob too short", len(blob))
	}
	il := binary.BigEndian.Uint32(blob[0:4])
	dl := binary.BigEndian.Uint32(blob[4:8])
	if il > HeaderTagsMax {
		return nil, formatErr("hdr tags: BAD, no. of tags(%d) out of range", il)
	}
	if dl > HeaderDataMax {
		return nil, formatErr("hdr data: BAD, no. of bytes(%d) out of range", dl)
	}
	// hdrblobInit: "Is the blob the right size?"
	pvlen := 8 + 16*int64(il) + int64(dl)
	if pvlen >= HeaderMaxBytes || int64(len(blob)) != pvlen {
		return nil, formatErr("blob size(%d): BAD, 8 + 16 * il(%d) + dl(%d)", len(blob), int32(il), int32(dl))
	}
	raw := make([]byte, 0, 8+len(blob))
	raw = append(raw, headerMagic[:]...)
	raw = append(raw, blob...)
	h := &Header{IL: il, DL: dl, Raw: raw}
	ei := raw[8:]
	h.Store = ei[8+16*int64(il):]
	// regionTag 0: hdrblobVerifyRegion accepts whichever region tag the
	// first entry carries (HEADERIMAGE, HEADERSIGNATURES, HEADERIMMUTABLE).
	regionTag := TagHeaderImmutable
	if il > 0 {
		switch t := Tag(binary.BigEndian.Uint32(ei[8:12])); t {
		case TagHeaderImage, TagHeaderSignatures, TagHeaderImmutable:
			regionTag = t
		}
	}
	region, err := verifyRegion(h, ei, regionTag, false)
	if err != nil {
		return nil, err
	}
	if err := verifyInfo(h, ei, region); err != nil {
		return nil, err
	}
	return h, nil
}

// StringTag returns the value of a TypeString entry, or an error naming the
// tag when it is missing or of another type.
func (h *Header) StringTag(t Tag) (string, error) {
	e, ok := h.Get(t)
	if !ok {
		return "", fmt.Errorf("rpm: header has no tag %d", t)
	}
	return e.String()
}
