package core

import "github.com/rpmpgp/rpmpgp/core/rpm"

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
