package convert

import (
	"fmt"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// VerdictToProto converts v.
func VerdictToProto(v core.Verdict) *pb.Verdict {
	return &pb.Verdict{Rc: pb.RC(v.RC), Lint: String(v.Lint)}
}

// VerdictFromProto converts v. A missing verdict or an unknown result code
// is an error: garbage from a backend is never read as a verdict.
func VerdictFromProto(v *pb.Verdict) (core.Verdict, error) {
	if v == nil {
		return core.Verdict{}, fmt.Errorf("verdict: missing")
	}
	if v.Rc < pb.RC_RC_INVALID || v.Rc > pb.RC_RC_NO_KEY {
		return core.Verdict{}, fmt.Errorf("verdict: unknown result code %d", v.Rc)
	}
	return core.Verdict{RC: core.RC(v.Rc), Lint: v.Lint}, nil
}

// ParseResultToProto converts r.
func ParseResultToProto(r core.ParseResult) *pb.ParseResult {
	return &pb.ParseResult{Params: ParamsToProto(r.Params), Lint: String(r.Lint)}
}

// ParseResultFromProto converts r; a missing result is an error.
func ParseResultFromProto(r *pb.ParseResult) (core.ParseResult, error) {
	if r == nil {
		return core.ParseResult{}, fmt.Errorf("parse result: missing")
	}
	p, err := ParamsFromProto(r.Params)
	if err != nil {
		return core.ParseResult{}, fmt.Errorf("parse result: %w", err)
	}
	return core.ParseResult{Params: p, Lint: r.Lint}, nil
}
