package core

import "testing"

// TestDefaults: rpm's shipped defaults per profile, and what NewVerifier
// refuses.
func TestDefaults(t *testing.T) {
	t.Parallel()
	if got, want := Defaults(ProfileStrict), (VerifyConfig{Profile: ProfileStrict, Level: LevelAll, Flags: 0x20100}); got != want {
		t.Errorf("strict defaults %+v, want %+v", got, want)
	}
	if got, want := Defaults(ProfileLegacy), (VerifyConfig{Profile: ProfileLegacy, Level: LevelDigest}); got != want {
		t.Errorf("legacy defaults %+v, want %+v", got, want)
	}
	b := &fakeBackend{}
	kr := NewKeyringFrom(b, nil)
	for name, tc := range map[string]struct {
		b   Backend
		kr  *Keyring
		cfg VerifyConfig
	}{
		"nil backend":     {nil, kr, VerifyConfig{}},
		"nil keyring":     {b, nil, VerifyConfig{}},
		"invalid level":   {b, kr, VerifyConfig{Level: 4}},
		"invalid profile": {b, kr, VerifyConfig{Profile: 2}},
	} {
		if v, err := NewVerifier(tc.b, tc.kr, tc.cfg); err == nil {
			t.Errorf("%s: NewVerifier = %+v, want an error", name, v)
		}
	}
	v, err := NewVerifier(b, kr, VerifyConfig{})
	if err != nil || v.Config() != (VerifyConfig{}) {
		t.Errorf("zero config: %v, %v", v, err)
	}
}
