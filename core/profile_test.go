package core

import (
	"encoding/json"
	"testing"
)

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
