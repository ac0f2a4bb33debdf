package convert

import (
	"fmt"
	"math"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/verify"
)

// Bounds on a package result received from a backend: rpm's item tables
// have a few dozen entries; string arrays (v6 signatures) add one per
// element, and a header holds at most 65536 entries.
const (
	maxItems = 1 << 16
	maxLints = 1 << 16
)

// ConfigToProto converts c. The wire keeps rpm's numbers: rules 0 is rpm
// 6's flow and 1 rpm 4.18's, and the level is rpm's bitmask of required
// item types ([core.Level.Types]).
func ConfigToProto(c core.VerifyConfig) *pb.VerifyConfig {
	return &pb.VerifyConfig{Rules: int32(c.Profile), Level: int32(c.Level.Types()), Flags: uint32(c.Flags)}
}

// ConfigFromProto converts c; a missing config or an unknown rule set or
// level is an error.
func ConfigFromProto(c *pb.VerifyConfig) (core.VerifyConfig, error) {
	if c == nil {
		return core.VerifyConfig{}, fmt.Errorf("verify config: missing")
	}
	if c.Rules != int32(core.ProfileStrict) && c.Rules != int32(core.ProfileLegacy) {
		return core.VerifyConfig{}, fmt.Errorf("verify config: unknown rules %d", c.Rules)
	}
	if c.Level < 0 || c.Level > int32(core.TypeDigest|core.TypeSignature) {
		return core.VerifyConfig{}, fmt.Errorf("verify config: unknown level %d", c.Level)
	}
	return core.VerifyConfig{Profile: core.Profile(c.Rules), Level: core.LevelFor(core.ItemType(c.Level)), Flags: core.VSFlags(c.Flags)}, nil
}

// lintsToProto converts ls.
func lintsToProto(ls []core.Lint) []*pb.Lint {
	if len(ls) == 0 {
		return nil
	}
	out := make([]*pb.Lint, len(ls))
	for i, l := range ls {
		out[i] = &pb.Lint{Error: l.Error, Text: String(l.Text)}
	}
	return out
}

// lintsFromProto converts ls; a nil element is an error.
func lintsFromProto(ls []*pb.Lint) ([]core.Lint, error) {
	if len(ls) > maxLints {
		return nil, fmt.Errorf("%d lints, limit %d", len(ls), maxLints)
	}
	if len(ls) == 0 {
		return nil, nil
	}
	out := make([]core.Lint, len(ls))
	for i, l := range ls {
		if l == nil {
			return nil, fmt.Errorf("lint %d: missing", i)
		}
		out[i] = core.Lint{Error: l.Error, Text: l.Text}
	}
	return out, nil
}

// ResultToProto converts r; nil gives nil. The items' signatures travel
// without their packet bytes.
func ResultToProto(r *core.Result) *pb.Result {
	if r == nil {
		return nil
	}
	out := &pb.Result{
		Path: String(r.Path), Failed: r.Failed, OpenFailed: r.OpenFailed, ReadFailed: r.ReadFailed,
		NotRpm: r.NotRPM, Error: String(r.Error), Lints: lintsToProto(r.Lints),
	}
	for i, it := range r.Items {
		if absent(it) {
			out.AbsentTags = append(out.AbsentTags, it.Tag)
			out.AbsentAt = append(out.AbsentAt, int32(i))
			continue
		}
		sig := ParamsToProto(it.Sig)
		if sig != nil {
			// The signature packet itself is not needed once verified
			// (lines and JSON show the parsed fields): half the bytes of
			// a typical answer.
			sig.Packet = nil
		}
		out.Items = append(out.Items, &pb.Item{
			Tag: it.Tag, Index: clampInt32(it.Index), Count: clampInt32(it.Count),
			Type: clampInt32(int(it.Type)), Range: clampInt32(int(it.Range)), Alt: it.Alt,
			HashAlgo: uint32(it.HashAlgo), SigAlgo: uint32(it.SigAlgo), Sig: sig,
			Rc: pb.RC(it.RC), Msg: String(it.Msg), KeyFingerprint: it.KeyFingerprint,
			Lints: lintsToProto(it.Lints), Shown: it.Shown,
		})
	}
	return out
}

// absent reports whether it is exactly verify.AbsentItem(it.Tag), so that
// its tag is all the receiver needs. An item carrying anything more (a
// message, a signature, lints) travels whole.
func absent(it *core.Item) bool {
	a, ok := verify.AbsentItem(it.Tag)
	return ok && it.Index == a.Index && it.Count == a.Count && it.Type == a.Type &&
		it.Range == a.Range && it.Alt == a.Alt && it.HashAlgo == a.HashAlgo &&
		it.SigAlgo == a.SigAlgo && it.RC == a.RC && it.Msg == "" && it.Sig == nil &&
		it.KeyFingerprint == nil && it.Lints == nil && it.Shown == a.Shown
}

// ResultFromProto converts r. A missing result and anything out of range
// (item types, ranges, result codes, algorithms) is an error: garbage from
// a backend never becomes a verdict.
func ResultFromProto(r *pb.Result) (*core.Result, error) {
	if r == nil {
		return nil, fmt.Errorf("result: missing")
	}
	total := len(r.Items) + len(r.AbsentTags)
	if total > maxItems {
		return nil, fmt.Errorf("result: %d items, limit %d", total, maxItems)
	}
	if len(r.AbsentAt) != len(r.AbsentTags) {
		return nil, fmt.Errorf("result: %d absent tags, %d positions", len(r.AbsentTags), len(r.AbsentAt))
	}
	lints, err := lintsFromProto(r.Lints)
	if err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	out := &core.Result{
		Path: r.Path, Failed: r.Failed, OpenFailed: r.OpenFailed, ReadFailed: r.ReadFailed,
		NotRPM: r.NotRpm, Error: r.Error, Lints: lints,
	}
	if total > 0 {
		out.Items = make([]*core.Item, 0, total)
	}
	next := 0 // in r.Items
	for k, tag := range r.AbsentTags {
		at := int(r.AbsentAt[k])
		if at < len(out.Items) || at >= total {
			return nil, fmt.Errorf("result: absent item at %d out of order or range", at)
		}
		for len(out.Items) < at {
			if next == len(r.Items) {
				return nil, fmt.Errorf("result: absent item at %d out of range", at)
			}
			if err := appendItem(out, r.Items[next], next); err != nil {
				return nil, err
			}
			next++
		}
		item, ok := verify.AbsentItem(tag)
		if !ok {
			return nil, fmt.Errorf("result: absent item of unknown tag %d", tag)
		}
		out.Items = append(out.Items, item)
	}
	for ; next < len(r.Items); next++ {
		if err := appendItem(out, r.Items[next], next); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// appendItem converts item i of a result's items onto out.Items.
func appendItem(out *core.Result, it *pb.Item, i int) error {
	item, err := itemFromProto(it)
	if err != nil {
		return fmt.Errorf("result: item %d: %w", i, err)
	}
	out.Items = append(out.Items, item)
	return nil
}

// itemFromProto converts one item.
func itemFromProto(it *pb.Item) (*core.Item, error) {
	if it == nil {
		return nil, fmt.Errorf("missing")
	}
	if it.Type != int32(core.TypeDigest) && it.Type != int32(core.TypeSignature) {
		return nil, fmt.Errorf("unknown item type %d", it.Type)
	}
	if it.Range < int32(core.RangeHeader) || it.Range > int32(core.RangeBoth) {
		return nil, fmt.Errorf("unknown range %d", it.Range)
	}
	if it.Rc < pb.RC_RC_INVALID || it.Rc > pb.RC_RC_NO_KEY {
		return nil, fmt.Errorf("unknown result code %d", it.Rc)
	}
	if it.HashAlgo > math.MaxUint8 || it.SigAlgo > math.MaxUint8 {
		return nil, fmt.Errorf("algorithm out of range")
	}
	if it.Index < 0 || it.Count < 0 || it.Index > it.Count {
		return nil, fmt.Errorf("index %d of %d out of range", it.Index, it.Count)
	}
	if len(it.KeyFingerprint) > maxFingerprintLen {
		return nil, fmt.Errorf("key fingerprint of %d bytes", len(it.KeyFingerprint))
	}
	sig, err := ParamsFromProto(it.Sig)
	if err != nil {
		return nil, err
	}
	lints, err := lintsFromProto(it.Lints)
	if err != nil {
		return nil, err
	}
	return &core.Item{
		Tag: it.Tag, Index: int(it.Index), Count: int(it.Count),
		Type: core.ItemType(it.Type), Range: core.Range(it.Range), Alt: it.Alt,
		HashAlgo: core.HashAlgo(it.HashAlgo), SigAlgo: core.PubKeyAlgo(it.SigAlgo), Sig: sig,
		RC: core.RC(it.Rc), Msg: it.Msg, KeyFingerprint: it.KeyFingerprint, Lints: lints, Shown: it.Shown,
	}, nil
}
