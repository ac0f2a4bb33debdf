package verify

import (
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/rpm"
)

// itemSpec is one row of rpmvfyitems[] + rpmvfytags[].
type itemSpec struct {
	tag      rpm.Tag
	sigh     bool // in the signature header (else fished from the main header)
	typ      core.ItemType
	other    bool // RPMSIG_OTHER_TYPE: never an item
	disabler core.VSFlags
	rng      core.Range
	hash     core.HashAlgo
	sigAlgo  core.PubKeyAlgo
	alt      bool
	tagType  rpm.Type
	tagCount uint32
	tagSize  uint32
}

// specs6 is rpm 6's table (lib/rpmvs.cc), in table order.
var specs6 = []itemSpec{
	{tag: rpm.SigTagOpenPGP, sigh: true, typ: core.TypeSignature, disabler: core.VSFNoOpenPGP, rng: core.RangeHeader, tagType: rpm.TypeStringArray},
	{tag: rpm.SigTagSize, sigh: true, other: true},
	{tag: rpm.SigTagPGP, sigh: true, typ: core.TypeSignature, disabler: core.VSFNoRSA, rng: core.RangeBoth, sigAlgo: core.PubKeyRSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagMD5, sigh: true, typ: core.TypeDigest, disabler: core.VSFNoMD5, rng: core.RangeBoth, hash: core.HashMD5, tagType: rpm.TypeBin, tagSize: 16},
	{tag: rpm.SigTagGPG, sigh: true, typ: core.TypeSignature, disabler: core.VSFNoDSA, rng: core.RangeBoth, sigAlgo: core.PubKeyDSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagPayloadSize, sigh: true, other: true},
	{tag: rpm.SigTagReservedSpace, sigh: true, other: true},
	{tag: rpm.SigTagDSA, sigh: true, typ: core.TypeSignature, disabler: core.VSFNoDSAHeader, rng: core.RangeHeader, sigAlgo: core.PubKeyDSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagRSA, sigh: true, typ: core.TypeSignature, disabler: core.VSFNoRSAHeader, rng: core.RangeHeader, sigAlgo: core.PubKeyRSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagSHA1, sigh: true, typ: core.TypeDigest, disabler: core.VSFNoSHA1Header, rng: core.RangeHeader, hash: core.HashSHA1, tagType: rpm.TypeString, tagCount: 1, tagSize: 41},
	{tag: rpm.SigTagLongSize, sigh: true, other: true},
	{tag: rpm.SigTagLongArchiveSize, sigh: true, other: true},
	{tag: rpm.SigTagSHA256, sigh: true, typ: core.TypeDigest, disabler: core.VSFNoSHA256Header, rng: core.RangeHeader, hash: core.HashSHA256, tagType: rpm.TypeString, tagCount: 1, tagSize: 65},
	{tag: rpm.SigTagSHA3_256, sigh: true, typ: core.TypeDigest, disabler: core.VSFNoSHA3_256Header, rng: core.RangeHeader, hash: core.HashSHA3_256, tagType: rpm.TypeString, tagCount: 1, tagSize: 65},
	{tag: rpm.TagPayloadSHA256, typ: core.TypeDigest, disabler: core.VSFNoSHA256Payload, rng: core.RangePayload, hash: core.HashSHA256, tagType: rpm.TypeStringArray},
	{tag: rpm.TagPayloadSHA256Alt, typ: core.TypeDigest, disabler: core.VSFNoSHA256Payload, rng: core.RangePayload, hash: core.HashSHA256, alt: true, tagType: rpm.TypeStringArray},
	{tag: rpm.TagPayloadSHA512, typ: core.TypeDigest, disabler: core.VSFNoSHA512Payload, rng: core.RangePayload, hash: core.HashSHA512, tagType: rpm.TypeString},
	{tag: rpm.TagPayloadSHA512Alt, typ: core.TypeDigest, disabler: core.VSFNoSHA512Payload, rng: core.RangePayload, hash: core.HashSHA512, alt: true, tagType: rpm.TypeString},
	{tag: rpm.TagPayloadSHA3_256, typ: core.TypeDigest, disabler: core.VSFNoSHA3_256Payload, rng: core.RangePayload, hash: core.HashSHA3_256, tagType: rpm.TypeString},
	{tag: rpm.TagPayloadSHA3_256Alt, typ: core.TypeDigest, disabler: core.VSFNoSHA3_256Payload, rng: core.RangePayload, hash: core.HashSHA3_256, alt: true, tagType: rpm.TypeString},
}

// item returns a NOTFOUND item of s for element idx of count.
func (s *itemSpec) item(idx, count int) *core.Item {
	return &core.Item{
		Tag: uint32(s.tag), Index: idx, Count: count, Type: s.typ, Range: s.rng, Alt: s.alt,
		HashAlgo: s.hash, SigAlgo: s.sigAlgo, RC: core.RCNotFound,
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
func AbsentItem(tag uint32) (it *core.Item, ok bool) {
	s, ok := absentSpecs[tag]
	if !ok {
		return nil, false
	}
	return s.item(0, 1), true
}

// specs418 is rpm 4.18's table (lib/rpmvs.c): no OPENPGP, SHA3 or SHA512.
var specs418 = []itemSpec{
	{tag: rpm.SigTagSize, sigh: true, other: true},
	{tag: rpm.SigTagPGP, sigh: true, typ: core.TypeSignature, disabler: core.VSFNoRSA, rng: core.RangeBoth, sigAlgo: core.PubKeyRSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagMD5, sigh: true, typ: core.TypeDigest, disabler: core.VSFNoMD5, rng: core.RangeBoth, hash: core.HashMD5, tagType: rpm.TypeBin, tagSize: 16},
	{tag: rpm.SigTagGPG, sigh: true, typ: core.TypeSignature, disabler: core.VSFNoDSA, rng: core.RangeBoth, sigAlgo: core.PubKeyDSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagPayloadSize, sigh: true, other: true},
	{tag: rpm.SigTagReservedSpace, sigh: true, other: true},
	{tag: rpm.SigTagDSA, sigh: true, typ: core.TypeSignature, disabler: core.VSFNoDSAHeader, rng: core.RangeHeader, sigAlgo: core.PubKeyDSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagRSA, sigh: true, typ: core.TypeSignature, disabler: core.VSFNoRSAHeader, rng: core.RangeHeader, sigAlgo: core.PubKeyRSA, tagType: rpm.TypeBin},
	{tag: rpm.SigTagSHA1, sigh: true, typ: core.TypeDigest, disabler: core.VSFNoSHA1Header, rng: core.RangeHeader, hash: core.HashSHA1, tagType: rpm.TypeString, tagCount: 1, tagSize: 41},
	{tag: rpm.SigTagLongSize, sigh: true, other: true},
	{tag: rpm.SigTagLongArchiveSize, sigh: true, other: true},
	{tag: rpm.SigTagSHA256, sigh: true, typ: core.TypeDigest, disabler: core.VSFNoSHA256Header, rng: core.RangeHeader, hash: core.HashSHA256, tagType: rpm.TypeString, tagCount: 1, tagSize: 65},
	{tag: rpm.TagPayloadSHA256, typ: core.TypeDigest, disabler: core.VSFNoSHA256Payload, rng: core.RangePayload, hash: core.HashSHA256, tagType: rpm.TypeStringArray},
	{tag: rpm.TagPayloadSHA256Alt, typ: core.TypeDigest, disabler: core.VSFNoSHA256Payload, rng: core.RangePayload, hash: core.HashSHA256, alt: true, tagType: rpm.TypeStringArray},
}

// item is one [core.Item] during the flow, with the working state of rpm's
// rpmsinfo_s that callers never see: whether the digest sits in the main
// header (wrapped, so a header signature lifts it to signature strength),
// its strength, disabler flag, slot id, the expected digest and the digest
// in progress.
type item struct {
	*core.Item
	wrapped  bool
	strength core.ItemType
	disabler core.VSFlags
	id       uint32
	expected string
	ctx      core.Digest
}
