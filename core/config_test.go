package core

import "testing"

// TestDefaults: rpm's shipped defaults per profile (what the verifier
// refuses is core/verify's TestNewVerifier).
func TestDefaults(t *testing.T) {
	t.Parallel()
	if got, want := Defaults(ProfileStrict), (VerifyConfig{Profile: ProfileStrict, Level: LevelAll, Flags: 0x20100}); got != want {
		t.Errorf("strict defaults %+v, want %+v", got, want)
	}
	if got, want := Defaults(ProfileLegacy), (VerifyConfig{Profile: ProfileLegacy, Level: LevelDigest}); got != want {
		t.Errorf("legacy defaults %+v, want %+v", got, want)
	}
}
