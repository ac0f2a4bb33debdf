// Package rpm reads the container of an RPM package: the 96-byte lead, the
// signature header and the main header. It parses only (no cryptography),
// never reads the payload, never trusts a length it has not bounded, and
// rejects exactly what rpm 4.18 rejects, with rpm's own error texts.
//
// The checks follow rpm's lib/rpmlead.c (rpmLeadRead, rpmLeadCheck),
// lib/header.c (hdrblobRead, hdrblobInit, hdrblobVerifyRegion,
// hdrblobVerifyInfo, dataLength, strtaglen, hdrchkTagType) and
// lib/package.c (rpmpkgRead). Where the upstream sources of different rpm
// versions disagree, the behaviour of Debian 12's rpm 4.18.0 was measured
// with crafted packages and is what this package reproduces; each check
// carries the rpm function it mirrors.
package rpm

import "fmt"

// Tag is a header tag number (include/rpm/rpmtag.h, rpmTag_e / rpmSigTag_e).
type Tag uint32

// Type is a header entry type (include/rpm/rpmtag.h, rpmTagType_e).
type Type uint32

// Entry types.
const (
	TypeNull        Type = 0 // RPM_NULL_TYPE (rejected in packages by rpm 4.18)
	TypeChar        Type = 1 // RPM_CHAR_TYPE
	TypeInt8        Type = 2 // RPM_INT8_TYPE
	TypeInt16       Type = 3 // RPM_INT16_TYPE
	TypeInt32       Type = 4 // RPM_INT32_TYPE
	TypeInt64       Type = 5 // RPM_INT64_TYPE
	TypeString      Type = 6 // RPM_STRING_TYPE
	TypeBin         Type = 7 // RPM_BIN_TYPE
	TypeStringArray Type = 8 // RPM_STRING_ARRAY_TYPE
	TypeI18NString  Type = 9 // RPM_I18NSTRING_TYPE
)

var typeNames = [...]string{"NULL", "CHAR", "INT8", "INT16", "INT32", "INT64", "STRING", "BIN", "STRING_ARRAY", "I18NSTRING"}

// String returns rpm's name of the type without the RPM_ prefix and _TYPE
// suffix (e.g. "STRING_ARRAY"), or "TYPE(n)" for an unknown value.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("TYPE(%d)", uint32(t))
}

// Unswapped reports whether entries of type t hold data that needs no
// byte swapping (element size 1 or variable: CHAR, INT8, STRING, BIN,
// STRING_ARRAY, I18NSTRING). hdrblobGet, which signature verification uses
// to read its tags, returns RPMRC_FAIL for any other type ("We can only
// handle non-byteswappable data": lib/header.c in rpm 4.18, lib/header.cc in
// rpm 6), and rpmvsAppend then treats the tag as absent.
func (t Type) Unswapped() bool {
	switch t {
	case TypeChar, TypeInt8, TypeString, TypeBin, TypeStringArray, TypeI18NString:
		return true
	}
	return false
}

// Region tags (include/rpm/rpmtag.h).
const (
	TagHeaderImage      Tag = 61  // RPMTAG_HEADERIMAGE
	TagHeaderSignatures Tag = 62  // RPMTAG_HEADERSIGNATURES: signature header region
	TagHeaderImmutable  Tag = 63  // RPMTAG_HEADERIMMUTABLE: main header region
	TagHeaderI18NTable  Tag = 100 // RPMTAG_HEADERI18NTABLE, also the lowest valid entry tag (HEADER_I18NTABLE)
)

// Signature header tags (include/rpm/rpmtag.h, rpmSigTag_e; RPMTAG_SIG_BASE = 256).
const (
	SigTagDSA             Tag = 267  // RPMSIGTAG_DSA = RPMTAG_DSAHEADER: DSA/EC/EdDSA header signature (bin)
	SigTagRSA             Tag = 268  // RPMSIGTAG_RSA = RPMTAG_RSAHEADER: RSA header signature (bin)
	SigTagSHA1            Tag = 269  // RPMSIGTAG_SHA1 = RPMTAG_SHA1HEADER: header SHA-1 (hex string)
	SigTagLongSize        Tag = 270  // RPMSIGTAG_LONGSIZE: header+payload size (int64)
	SigTagLongArchiveSize Tag = 271  // RPMSIGTAG_LONGARCHIVESIZE: uncompressed payload size (int64)
	SigTagSHA256          Tag = 273  // RPMSIGTAG_SHA256 = RPMTAG_SHA256HEADER: header SHA-256 (hex string)
	SigTagOpenPGP         Tag = 278  // RPMSIGTAG_OPENPGP (rpm 6): string array of base64 OpenPGP signatures
	SigTagSHA3_256        Tag = 279  // RPMSIGTAG_SHA3_256 (rpm 6): header SHA3-256 (hex string)
	SigTagReserved        Tag = 999  // RPMSIGTAG_RESERVED (rpm 6): reserved space, replaces 1008 in v6 packages
	SigTagSize            Tag = 1000 // RPMSIGTAG_SIZE: header+payload size (int32)
	SigTagPGP             Tag = 1002 // RPMSIGTAG_PGP: RSA header+payload signature (bin)
	SigTagMD5             Tag = 1004 // RPMSIGTAG_MD5: header+payload MD5 (16 bytes bin)
	SigTagGPG             Tag = 1005 // RPMSIGTAG_GPG: DSA/EC header+payload signature (bin)
	SigTagPayloadSize     Tag = 1007 // RPMSIGTAG_PAYLOADSIZE: uncompressed payload size (int32)
	SigTagReservedSpace   Tag = 1008 // RPMSIGTAG_RESERVEDSPACE: reserved space (bin)
)

// Main header tags (include/rpm/rpmtag.h, rpmTag_e).
const (
	TagName               Tag = 1000 // RPMTAG_NAME
	TagVersion            Tag = 1001 // RPMTAG_VERSION
	TagRelease            Tag = 1002 // RPMTAG_RELEASE
	TagEpoch              Tag = 1003 // RPMTAG_EPOCH
	TagArch               Tag = 1022 // RPMTAG_ARCH
	TagPayloadFormat      Tag = 1124 // RPMTAG_PAYLOADFORMAT
	TagPayloadCompressor  Tag = 1125 // RPMTAG_PAYLOADCOMPRESSOR
	TagPayloadSHA256      Tag = 5092 // RPMTAG_PAYLOADSHA256 (4.x: RPMTAG_PAYLOADDIGEST), string array
	TagPayloadDigestAlgo  Tag = 5093 // RPMTAG_PAYLOADDIGESTALGO, int32
	TagPayloadSHA256Alt   Tag = 5097 // RPMTAG_PAYLOADSHA256ALT (4.x: RPMTAG_PAYLOADDIGESTALT), string array
	TagPayloadSHA512      Tag = 5121 // RPMTAG_PAYLOADSHA512 (rpm 6), string
	TagPayloadSHA512Alt   Tag = 5122 // RPMTAG_PAYLOADSHA512ALT (rpm 6), string
	TagPayloadSHA3_256    Tag = 5123 // RPMTAG_PAYLOADSHA3_256 (rpm 6), string
	TagPayloadSHA3_256Alt Tag = 5124 // RPMTAG_PAYLOADSHA3_256ALT (rpm 6), string
)

// Limits from lib/header.c and lib/rpmlead.c.
const (
	// LeadSize is the size of the lead (lib/rpmlead.c, struct rpmlead_s).
	LeadSize = 96
	// HeaderTagsMax is HEADER_TAGS_MAX: the most index entries a main header may have.
	HeaderTagsMax = 0x0000ffff
	// HeaderDataMax is HEADER_DATA_MAX: the largest main header data store.
	HeaderDataMax = 0x0fffffff
	// SigTagsMax is the signature header's il_max in hdrblobRead.
	SigTagsMax = 32
	// SigDataMax is the signature header's dl_max in hdrblobRead. rpm 4.18
	// uses 64 MiB (measured: dl 67108864 is read, 67108865 is rejected).
	SigDataMax = 64 * 1024 * 1024
	// HeaderMaxBytes is headerMaxbytes: hdrblobInit rejects a blob
	// (8 + 16*il + dl bytes) of this size or more.
	HeaderMaxBytes = 256 * 1024 * 1024
	// headerArrayMax is HEADER_ARRAY_MAX (hdrchkArray).
	headerArrayMax = 0x000fffff
	// regionTagCount is REGION_TAG_COUNT = sizeof(struct entryInfo_s).
	regionTagCount = 16
)

// headerMagic is rpm_header_magic (lib/header.c): 3 magic bytes, version 1,
// 4 reserved bytes that must be zero (hdrblobRead compares all 8).
var headerMagic = [8]byte{0x8e, 0xad, 0xe8, 0x01, 0x00, 0x00, 0x00, 0x00}
