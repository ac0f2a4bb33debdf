package core

import "testing"

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
