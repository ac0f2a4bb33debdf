package convert

import (
	"fmt"
	"math"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// maxFingerprintLen bounds a fingerprint received from a backend (v6
// fingerprints are 32 bytes; anything longer is garbage).
const maxFingerprintLen = 64

// ParamsToProto converts p; nil gives nil.
func ParamsToProto(p *core.Params) *pb.Params {
	if p == nil {
		return nil
	}
	return &pb.Params{
		Kind:         pb.Kind(p.Kind),
		Version:      clampInt32(p.Version),
		PubkeyAlgo:   uint32(p.PubKeyAlgo),
		HashAlgo:     uint32(p.HashAlgo),
		SigType:      clampInt32(p.SigType),
		KeyId:        append([]byte(nil), p.KeyID[:]...),
		Fingerprint:  p.Fingerprint,
		UserId:       String(p.UserID),
		CreationTime: p.CreationTime,
		Salt:         p.Salt,
		HashPrefix:   append([]byte(nil), p.HashPrefix[:]...),
		Packet:       p.Packet,
	}
}

// ParamsFromProto converts p; nil gives nil. Values that do not fit
// [core.Params] are an error.
func ParamsFromProto(p *pb.Params) (*core.Params, error) {
	if p == nil {
		return nil, nil
	}
	if p.Kind < pb.Kind_KIND_INVALID || p.Kind > pb.Kind_KIND_SUBKEY {
		return nil, fmt.Errorf("params: unknown kind %d", p.Kind)
	}
	if p.PubkeyAlgo > math.MaxUint8 {
		return nil, fmt.Errorf("params: public-key algorithm %d out of range", p.PubkeyAlgo)
	}
	if p.HashAlgo > math.MaxUint8 {
		return nil, fmt.Errorf("params: hash algorithm %d out of range", p.HashAlgo)
	}
	if p.SigType < -1 || p.SigType > math.MaxUint8 {
		return nil, fmt.Errorf("params: signature type %d out of range", p.SigType)
	}
	if p.Version < 0 || p.Version > math.MaxUint8 {
		return nil, fmt.Errorf("params: version %d out of range", p.Version)
	}
	if len(p.KeyId) != len(core.KeyID{}) {
		return nil, fmt.Errorf("params: key ID is %d bytes, want %d", len(p.KeyId), len(core.KeyID{}))
	}
	if len(p.HashPrefix) != 2 {
		return nil, fmt.Errorf("params: hash prefix is %d bytes, want 2", len(p.HashPrefix))
	}
	if len(p.Fingerprint) > maxFingerprintLen {
		return nil, fmt.Errorf("params: fingerprint is %d bytes, longer than %d", len(p.Fingerprint), maxFingerprintLen)
	}
	out := &core.Params{
		Kind:         core.Kind(p.Kind),
		Version:      int(p.Version),
		PubKeyAlgo:   core.PubKeyAlgo(p.PubkeyAlgo),
		HashAlgo:     core.HashAlgo(p.HashAlgo),
		SigType:      int(p.SigType),
		Fingerprint:  nilIfEmpty(p.Fingerprint),
		UserID:       p.UserId,
		CreationTime: p.CreationTime,
		Salt:         nilIfEmpty(p.Salt),
		Packet:       nilIfEmpty(p.Packet),
	}
	copy(out.KeyID[:], p.KeyId)
	copy(out.HashPrefix[:], p.HashPrefix)
	return out, nil
}

// ParamsListToProto converts a list; nil elements stay nil.
func ParamsListToProto(ps []*core.Params) []*pb.Params {
	if ps == nil {
		return nil
	}
	out := make([]*pb.Params, len(ps))
	for i, p := range ps {
		out[i] = ParamsToProto(p)
	}
	return out
}

// ParamsListFromProto converts a list; a nil element is an error (a backend
// never offers "no subkey" as a subkey).
func ParamsListFromProto(ps []*pb.Params) ([]*core.Params, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	out := make([]*core.Params, len(ps))
	for i, p := range ps {
		if p == nil {
			return nil, fmt.Errorf("params %d of %d: missing", i+1, len(ps))
		}
		cp, err := ParamsFromProto(p)
		if err != nil {
			return nil, fmt.Errorf("params %d of %d: %w", i+1, len(ps), err)
		}
		out[i] = cp
	}
	return out, nil
}

// clampInt32 narrows v; values outside int32 become the nearest bound, which
// ParamsFromProto then rejects as out of range.
func clampInt32(v int) int32 {
	switch {
	case v > math.MaxInt32:
		return math.MaxInt32
	case v < math.MinInt32:
		return math.MinInt32
	}
	return int32(v)
}
