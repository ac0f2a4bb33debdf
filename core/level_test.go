package core

import (
	"encoding/json"
	"testing"
)

// TestLevel: rpm's level names, its bitmask, and that the zero value is
// the strictest level.
func TestLevel(t *testing.T) {
	t.Parallel()
	var zero Level
	if zero != LevelAll {
		t.Fatalf("zero Level is %v, want all", zero)
	}
	tests := []struct {
		name  string
		level Level
		types ItemType
	}{
		{"all", LevelAll, TypeDigest | TypeSignature},
		{"signature", LevelSignature, TypeSignature},
		{"digest", LevelDigest, TypeDigest},
		{"none", LevelNone, 0},
	}
	for _, tc := range tests {
		got, err := ParseLevel(tc.name)
		if err != nil || got != tc.level {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v", tc.name, got, err, tc.level)
		}
		if s := tc.level.String(); s != tc.name {
			t.Errorf("%d.String() = %q, want %q", tc.level, s, tc.name)
		}
		if !tc.level.Valid() {
			t.Errorf("%v not valid", tc.level)
		}
		if ty := tc.level.Types(); ty != tc.types {
			t.Errorf("%v.Types() = %d, want %d", tc.level, ty, tc.types)
		}
		if l := LevelFor(tc.types); l != tc.level {
			t.Errorf("LevelFor(%d) = %v, want %v", tc.types, l, tc.level)
		}
	}
	for _, bad := range []string{"", "ALL", "digests", "0"} {
		if l, err := ParseLevel(bad); err == nil {
			t.Errorf("ParseLevel(%q) = %v, want an error", bad, l)
		}
	}
	if l := Level(4); l.Valid() || l.String() != "Level(4)" || l.Types() != TypeDigest|TypeSignature {
		t.Errorf("Level(4): valid=%v %q types=%d; want invalid, requiring everything", l.Valid(), l, l.Types())
	}
	// rpmcli's --nodigest / --nosignature masks.
	without := []struct {
		in   Level
		drop ItemType
		want Level
	}{
		{LevelAll, TypeDigest, LevelSignature},
		{LevelAll, TypeSignature, LevelDigest},
		{LevelAll, TypeDigest | TypeSignature, LevelNone},
		{LevelDigest, TypeDigest, LevelNone},
		{LevelDigest, TypeSignature, LevelDigest},
		{LevelNone, TypeSignature, LevelNone},
	}
	for _, tc := range without {
		if got := tc.in.Without(tc.drop); got != tc.want {
			t.Errorf("%v.Without(%d) = %v, want %v", tc.in, tc.drop, got, tc.want)
		}
	}
}

// TestProfile: names, parsing, text marshalling, and the zero value.
func TestProfile(t *testing.T) {
	t.Parallel()
	var zero Profile
	if zero != ProfileStrict {
		t.Fatalf("zero Profile is %v, want strict", zero)
	}
	for _, tc := range []struct {
		name string
		p    Profile
	}{{"strict", ProfileStrict}, {"legacy", ProfileLegacy}} {
		if got, err := ParseProfile(tc.name); err != nil || got != tc.p {
			t.Errorf("ParseProfile(%q) = %v, %v", tc.name, got, err)
		}
		if tc.p.String() != tc.name || !tc.p.Valid() {
			t.Errorf("%d: String %q valid %v", tc.p, tc.p, tc.p.Valid())
		}
		b, err := json.Marshal(Description{Profile: tc.p})
		if err != nil {
			t.Fatal(err)
		}
		var d Description
		if err := json.Unmarshal(b, &d); err != nil || d.Profile != tc.p {
			t.Errorf("JSON round trip of %v: %s -> %v, %v", tc.p, b, d.Profile, err)
		}
	}
	for _, bad := range []string{"", "Strict", "rpm6", "legacy "} {
		if p, err := ParseProfile(bad); err == nil {
			t.Errorf("ParseProfile(%q) = %v, want an error", bad, p)
		}
	}
	if _, err := json.Marshal(Description{Profile: 2}); err == nil {
		t.Error("an invalid profile marshalled")
	}
	if err := json.Unmarshal([]byte(`{"profile":"rpm4"}`), new(Description)); err == nil {
		t.Error(`profile "rpm4" unmarshalled`)
	}
	if s := Profile(7).String(); s != "Profile(7)" {
		t.Errorf("Profile(7).String() = %q", s)
	}
}

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
