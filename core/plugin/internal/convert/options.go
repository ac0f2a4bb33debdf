package convert

import (
	"fmt"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// OptionsToProto converts o. A nil Policy stays absent (built-in default)
// and a non-nil empty one stays present; a zero Time stays absent (wall
// clock).
func OptionsToProto(o core.Options) *pb.Options {
	out := &pb.Options{PolicySource: String(o.PolicySource), Fips: String(string(o.FIPS))}
	if o.Policy != nil {
		out.Policy = o.Policy
	}
	if !o.Time.IsZero() {
		out.Time = timestamppb.New(o.Time)
	}
	return out
}

// OptionsFromProto converts o; nil gives the zero Options. The time comes
// back in UTC.
func OptionsFromProto(o *pb.Options) (core.Options, error) {
	if o == nil {
		return core.Options{}, nil
	}
	out := core.Options{PolicySource: o.PolicySource, FIPS: core.FIPSMode(o.Fips)}
	if o.Policy != nil {
		out.Policy = append([]byte{}, o.Policy...)
	}
	if o.Time != nil {
		if err := o.Time.CheckValid(); err != nil {
			return core.Options{}, fmt.Errorf("options: time: %w", err)
		}
		out.Time = o.Time.AsTime()
	}
	return out, nil
}
