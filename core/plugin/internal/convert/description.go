package convert

import (
	"fmt"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// DescriptionToProto converts d; Path is not sent (the host fills it).
func DescriptionToProto(d core.Description) *pb.Description {
	return &pb.Description{
		Name:        String(d.Name),
		Version:     String(d.Version),
		Profile:     d.Profile.String(),
		Protocol:    clampInt32(d.Protocol),
		Library:     String(d.Library),
		PubkeyAlgos: Strings(d.PubKeyAlgos),
		HashAlgos:   Strings(d.HashAlgos),
		Fips:        d.FIPS,
		Notes:       String(d.Notes),
	}
}

// DescriptionFromProto converts d; a missing description or an unknown
// profile is an error.
func DescriptionFromProto(d *pb.Description) (core.Description, error) {
	if d == nil {
		return core.Description{}, fmt.Errorf("description: missing")
	}
	profile, err := core.ParseProfile(d.Profile)
	if err != nil {
		return core.Description{}, fmt.Errorf("description: %w", err)
	}
	return core.Description{
		Name:        d.Name,
		Version:     d.Version,
		Profile:     profile,
		Protocol:    int(d.Protocol),
		Library:     d.Library,
		PubKeyAlgos: d.PubkeyAlgos,
		HashAlgos:   d.HashAlgos,
		FIPS:        d.Fips,
		Notes:       d.Notes,
	}, nil
}
