package core

import (
	"fmt"

	"github.com/rpmpgp/rpmpgp/core/rpm"
)

// ItemType is rpm's RPMSIG_*_TYPE: what an item verifies.
type ItemType int

// Item types (lib/rpmvs.hh).
const (
	TypeDigest    ItemType = 1
	TypeSignature ItemType = 2
)

// Range is rpm's RPMSIG_HEADER / RPMSIG_PAYLOAD bitmask: what an item covers.
type Range int

// Ranges; RangeHeader|RangePayload is rpm's "Legacy" range.
const (
	RangeHeader  Range = 1
	RangePayload Range = 2
	RangeBoth    Range = RangeHeader | RangePayload
)

// VSFlags is rpm's rpmVSFlags: each bit disables one kind of item.
type VSFlags uint32

// Verification disablers (include/rpm/rpmts.h, RPMVSF_*).
const (
	VSFNoSHA1Header      VSFlags = 1 << 8
	VSFNoSHA256Header    VSFlags = 1 << 9
	VSFNoDSAHeader       VSFlags = 1 << 10
	VSFNoRSAHeader       VSFlags = 1 << 11
	VSFNoOpenPGP         VSFlags = 1 << 12
	VSFNoSHA3_256Header  VSFlags = 1 << 13
	VSFNoSHA512Payload   VSFlags = 1 << 14
	VSFNoSHA3_256Payload VSFlags = 1 << 15
	// VSFNoSHA256Payload is RPMVSF_NOSHA256PAYLOAD (4.x RPMVSF_NOPAYLOAD).
	VSFNoSHA256Payload VSFlags = 1 << 16
	VSFNoMD5           VSFlags = 1 << 17
	VSFNoDSA           VSFlags = 1 << 18
	VSFNoRSA           VSFlags = 1 << 19

	// VSFNoDigests disables every digest (RPMVSF_MASK_NODIGESTS).
	VSFNoDigests = VSFNoSHA1Header | VSFNoSHA256Header | VSFNoSHA3_256Header | VSFNoSHA256Payload |
		VSFNoSHA512Payload | VSFNoSHA3_256Payload | VSFNoMD5
	// VSFNoSignatures disables every signature (RPMVSF_MASK_NOSIGNATURES).
	VSFNoSignatures = VSFNoDSAHeader | VSFNoRSAHeader | VSFNoOpenPGP | VSFNoDSA | VSFNoRSA
)

// Rules selects which rpm's flow is reproduced: the tag set, the item order,
// and how failures combine differ between rpm 4.18 and rpm 6.
type Rules int

// Rule sets.
const (
	// Rules6 is rpm 6's lib/rpmvs.cc.
	Rules6 Rules = iota
	// Rules418 is rpm 4.18's lib/rpmvs.c.
	Rules418
)

// itemSpec is one row of rpmvfyitems[] + rpmvfytags[].
type itemSpec struct {
	tag      rpm.Tag
	sigh     bool // in the signature header (else fished from the main header)
	typ      ItemType
	other    bool // RPMSIG_OTHER_TYPE: never an item
	disabler VSFlags
	rng      Range
	hash     HashAlgo
	sigAlgo  PubKeyAlgo
	alt      bool
	tagType  rpm.Type
	tagCount uint32
	tagSize  uint32
}

// specs6 is rpm 6's table (lib/rpmvs.cc), in table order.
var specs6 = []itemSpec{
	{tag: rpm.SigTagOpenPGP, sigh: true, typ: TypeSignature, disabler: VSFNoOpenPGP, rng: RangeHeader, tagType: rpm.TypeStringArray},
	{tag: rpm.SigTagSize, sigh: true, other: true},
	{tag: rpm.SigTagPGP, sigh: true, typ: TypeSignature, disabler: VSFNoRSA, rng: RangeBoth, sigAlgo: PubKeyRSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagMD5, sigh: true, typ: TypeDigest, disabler: VSFNoMD5, rng: RangeBoth, hash: HashMD5, tagType: rpm.TypeBin, tagSize: 16},
	{tag: rpm.SigTagGPG, sigh: true, typ: TypeSignature, disabler: VSFNoDSA, rng: RangeBoth, sigAlgo: PubKeyDSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagPayloadSize, sigh: true, other: true},
	{tag: rpm.SigTagReservedSpace, sigh: true, other: true},
	{tag: rpm.SigTagDSA, sigh: true, typ: TypeSignature, disabler: VSFNoDSAHeader, rng: RangeHeader, sigAlgo: PubKeyDSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagRSA, sigh: true, typ: TypeSignature, disabler: VSFNoRSAHeader, rng: RangeHeader, sigAlgo: PubKeyRSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagSHA1, sigh: true, typ: TypeDigest, disabler: VSFNoSHA1Header, rng: RangeHeader, hash: HashSHA1, tagType: rpm.TypeString, tagCount: 1, tagSize: 41},
	{tag: rpm.SigTagLongSize, sigh: true, other: true},
	{tag: rpm.SigTagLongArchiveSize, sigh: true, other: true},
	{tag: rpm.SigTagSHA256, sigh: true, typ: TypeDigest, disabler: VSFNoSHA256Header, rng: RangeHeader, hash: HashSHA256, tagType: rpm.TypeString, tagCount: 1, tagSize: 65},
	{tag: rpm.SigTagSHA3_256, sigh: true, typ: TypeDigest, disabler: VSFNoSHA3_256Header, rng: RangeHeader, hash: HashSHA3_256, tagType: rpm.TypeString, tagCount: 1, tagSize: 65},
	{tag: rpm.TagPayloadSHA256, typ: TypeDigest, disabler: VSFNoSHA256Payload, rng: RangePayload, hash: HashSHA256, tagType: rpm.TypeStringArray},
	{tag: rpm.TagPayloadSHA256Alt, typ: TypeDigest, disabler: VSFNoSHA256Payload, rng: RangePayload, hash: HashSHA256, alt: true, tagType: rpm.TypeStringArray},
	{tag: rpm.TagPayloadSHA512, typ: TypeDigest, disabler: VSFNoSHA512Payload, rng: RangePayload, hash: HashSHA512, tagType: rpm.TypeString},
	{tag: rpm.TagPayloadSHA512Alt, typ: TypeDigest, disabler: VSFNoSHA512Payload, rng: RangePayload, hash: HashSHA512, alt: true, tagType: rpm.TypeString},
	{tag: rpm.TagPayloadSHA3_256, typ: TypeDigest, disabler: VSFNoSHA3_256Payload, rng: RangePayload, hash: HashSHA3_256, tagType: rpm.TypeString},
	{tag: rpm.TagPayloadSHA3_256Alt, typ: TypeDigest, disabler: VSFNoSHA3_256Payload, rng: RangePayload, hash: HashSHA3_256, alt: true, tagType: rpm.TypeString},
}

// item returns a NOTFOUND item of s for element idx of count.
func (s *itemSpec) item(idx, count int) *Item {
	return &Item{
		Tag: uint32(s.tag), Index: idx, Count: count, Type: s.typ, Range: s.rng, Alt: s.alt,
		HashAlgo: s.hash, SigAlgo: s.sigAlgo, RC: RCNotFound,
		wrapped: !s.sigh, strength: s.typ, disabler: s.disabler,
	}
}

// absentSpecs maps each item tag of both tables to its spec (a tag has the
// same spec in both: TestAbsentItem).
var absentSpecs = func() map[uint32]*itemSpec {
	m := map[uint32]*itemSpec{}
	for _, table := range [][]itemSpec{specs6, specs418} {
		for i := range table {
			if s := &table[i]; !s.other {
				if _, seen := m[uint32(s.tag)]; !seen {
					m[uint32(s.tag)] = s
				}
			}
		}
	}
	return m
}()

// AbsentItem returns the item rpm lists for a header that lacks tag:
// element 0 of 1, NOTFOUND, not shown, with the type, range and algorithms
// of the tag's table entry. ok is false for a tag of no table. The plugin
// protocol sends such items as their tag alone.
func AbsentItem(tag uint32) (it *Item, ok bool) {
	s, ok := absentSpecs[tag]
	if !ok {
		return nil, false
	}
	return s.item(0, 1), true
}

// specs418 is rpm 4.18's table (lib/rpmvs.c): no OPENPGP, SHA3 or SHA512.
var specs418 = []itemSpec{
	{tag: rpm.SigTagSize, sigh: true, other: true},
	{tag: rpm.SigTagPGP, sigh: true, typ: TypeSignature, disabler: VSFNoRSA, rng: RangeBoth, sigAlgo: PubKeyRSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagMD5, sigh: true, typ: TypeDigest, disabler: VSFNoMD5, rng: RangeBoth, hash: HashMD5, tagType: rpm.TypeBin, tagSize: 16},
	{tag: rpm.SigTagGPG, sigh: true, typ: TypeSignature, disabler: VSFNoDSA, rng: RangeBoth, sigAlgo: PubKeyDSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagPayloadSize, sigh: true, other: true},
	{tag: rpm.SigTagReservedSpace, sigh: true, other: true},
	{tag: rpm.SigTagDSA, sigh: true, typ: TypeSignature, disabler: VSFNoDSAHeader, rng: RangeHeader, sigAlgo: PubKeyDSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagRSA, sigh: true, typ: TypeSignature, disabler: VSFNoRSAHeader, rng: RangeHeader, sigAlgo: PubKeyRSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagSHA1, sigh: true, typ: TypeDigest, disabler: VSFNoSHA1Header, rng: RangeHeader, hash: HashSHA1, tagType: rpm.TypeString, tagCount: 1, tagSize: 41},
	{tag: rpm.SigTagLongSize, sigh: true, other: true},
	{tag: rpm.SigTagLongArchiveSize, sigh: true, other: true},
	{tag: rpm.SigTagSHA256, sigh: true, typ: TypeDigest, disabler: VSFNoSHA256Header, rng: RangeHeader, hash: HashSHA256, tagType: rpm.TypeString, tagCount: 1, tagSize: 65},
	{tag: rpm.TagPayloadSHA256, typ: TypeDigest, disabler: VSFNoSHA256Payload, rng: RangePayload, hash: HashSHA256, tagType: rpm.TypeStringArray},
	{tag: rpm.TagPayloadSHA256Alt, typ: TypeDigest, disabler: VSFNoSHA256Payload, rng: RangePayload, hash: HashSHA256, alt: true, tagType: rpm.TypeStringArray},
}

// Item is one signature or digest check of a package (rpm's rpmsinfo_s).
type Item struct {
	// Tag is the header tag the item was read from; Index its element in a
	// string array; Count the array's length (1 for other types).
	Tag   uint32 `json:"tag"`
	Index int    `json:"index"`
	Count int    `json:"count"`
	// Type, Range and Alt are what the item is (a digest or a signature, over
	// what, an ALT payload digest).
	Type  ItemType `json:"type"`
	Range Range    `json:"range"`
	Alt   bool     `json:"alt,omitempty"`
	// HashAlgo is the digest's or signature's hash; SigAlgo the table's
	// public-key algorithm for unparsed signature slots.
	HashAlgo HashAlgo   `json:"hash_algo"`
	SigAlgo  PubKeyAlgo `json:"sig_algo"`
	// Sig is the parsed signature (nil when absent or unparsable).
	Sig *Params `json:"-"`
	// RC is the item's verdict; Msg rpm's message in parentheses.
	RC  RC     `json:"-"`
	Msg string `json:"msg,omitempty"`
	// KeyFingerprint is the primary fingerprint of the last key tried.
	KeyFingerprint []byte `json:"key_fingerprint,omitempty"`
	// Lints are the backend's explanations collected while verifying.
	Lints []Lint `json:"lints,omitempty"`
	// Shown reports whether rpm prints the item (NOTFOUND items only when
	// required by the verify level).
	Shown bool `json:"shown"`

	wrapped  bool
	strength ItemType
	disabler VSFlags
	id       uint32
	expected string
	ctx      Digest
}

// Lint is one explanation from the backend and how rpm logs it.
type Lint struct {
	// Error is true when rpm logs it as "error:" (the candidate failed);
	// false for "warning:".
	Error bool   `json:"error"`
	Text  string `json:"text"`
}

// Name returns the item's name in the cases.tsv grammar
// (rpm-testsuite/CASES-FORMAT.md): "HeaderSig@268", "HeaderSig@278#2",
// "LegacySig@1002", "HeaderSHA256", "PayloadSHA256ALT", "MD5".
func (it *Item) Name() string {
	switch it.Type {
	case TypeSignature:
		prefix := "HeaderSig"
		if it.Range == RangeBoth {
			prefix = "LegacySig"
		}
		n := fmt.Sprintf("%s@%d", prefix, it.Tag)
		if it.Count > 1 {
			n += fmt.Sprintf("#%d", it.Index+1)
		}
		return n
	case TypeDigest:
		if it.Range == RangeBoth {
			return it.HashAlgo.String()
		}
		n := "Header"
		if it.Range == RangePayload {
			n = "Payload"
		}
		n += it.HashAlgo.String()
		if it.Alt {
			n += "ALT"
		}
		return n
	}
	return "unknown"
}
