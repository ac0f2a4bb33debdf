package verify

import (
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestItemOrder: sinfoCmp, the order items are printed in. rpm 6 sorts by
// range, then signatures before digests, then by public-key and hash
// algorithm, then by tag and element; rpm 4.18's comparator compares an
// item's algorithms with themselves (a bug that makes those steps no-ops),
// so the tag decides there.
func TestItemOrder(t *testing.T) {
	t.Parallel()
	vs := &vstate{}
	// present is what the flow makes of an initialised (present) tag.
	present := func(tag uint32, idx int) *item {
		it := vs.newItem(specByTag(t, tag), idx, idx+1)
		it.id = tag<<16 | uint32(idx)
		return it
	}
	absent := func(tag uint32) *item { return vs.newItem(specByTag(t, tag), 0, 1) }
	tests := []struct {
		name         string
		a, b         *item
		less6, less4 bool
	}{
		{"header before payload", present(273, 0), present(5092, 0), true, true},
		{"payload before header+payload", present(5092, 0), present(1004, 0), true, true},
		{"signature before digest", present(268, 0), present(273, 0), true, true},
		{"DSA before RSA in rpm 6, by tag in rpm 4.18", present(267, 0), present(268, 0), true, false},
		{"SHA3-256 before SHA256 in rpm 6, by tag in rpm 4.18", present(279, 0), present(273, 0), true, true},
		{"SHA256 before SHA1 both ways", present(273, 0), present(269, 0), true, true},
		{"last element first", present(278, 1), present(278, 0), true, true},
		{"absent slots by disabler in rpm 4.18", absent(268), absent(267), false, true},
		{"equal", present(273, 0), present(273, 0), false, false},
	}
	for _, tc := range tests {
		for _, c := range []struct {
			p    core.Profile
			want bool
		}{{core.ProfileStrict, tc.less6}, {core.ProfileLegacy, tc.less4}} {
			vs := &vstate{v: &Verifier{cfg: core.VerifyConfig{Profile: c.p}}}
			if got := vs.less(tc.a, tc.b); got != c.want {
				t.Errorf("%s (%v): less = %v, want %v", tc.name, c.p, got, c.want)
			}
			if c.want && vs.less(tc.b, tc.a) {
				t.Errorf("%s (%v): less both ways", tc.name, c.p)
			}
		}
	}
}

// specByTag returns the table entry of tag (rpm 6's table holds every
// tag of rpm 4.18's).
func specByTag(t *testing.T, tag uint32) *itemSpec {
	t.Helper()
	s, ok := absentSpecs[tag]
	if !ok {
		t.Fatalf("no item spec for tag %d", tag)
	}
	return s
}
