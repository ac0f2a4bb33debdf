package core

import "testing"

// TestItemOrder: sinfoCmp, the order items are printed in. rpm 6 sorts by
// range, then signatures before digests, then by public-key and hash
// algorithm, then by tag and element; rpm 4.18's comparator compares an
// item's algorithms with themselves (a bug that makes those steps no-ops),
// so the tag decides there.
func TestItemOrder(t *testing.T) {
	t.Parallel()
	// item is what the flow makes of an initialised (present) tag.
	item := func(tag uint32, idx int) *Item {
		s := specByTag(t, tag)
		it := s.item(idx, idx+1)
		it.id = tag<<16 | uint32(idx)
		return it
	}
	absent := func(tag uint32) *Item { return specByTag(t, tag).item(0, 1) }
	tests := []struct {
		name         string
		a, b         *Item
		less6, less4 bool
	}{
		{"header before payload", item(273, 0), item(5092, 0), true, true},
		{"payload before header+payload", item(5092, 0), item(1004, 0), true, true},
		{"signature before digest", item(268, 0), item(273, 0), true, true},
		{"DSA before RSA in rpm 6, by tag in rpm 4.18", item(267, 0), item(268, 0), true, false},
		{"SHA3-256 before SHA256 in rpm 6, by tag in rpm 4.18", item(279, 0), item(273, 0), true, true},
		{"SHA256 before SHA1 both ways", item(273, 0), item(269, 0), true, true},
		{"last element first", item(278, 1), item(278, 0), true, true},
		{"absent slots by disabler in rpm 4.18", absent(268), absent(267), false, true},
		{"equal", item(273, 0), item(273, 0), false, false},
	}
	for _, tc := range tests {
		for _, c := range []struct {
			p    Profile
			want bool
		}{{ProfileStrict, tc.less6}, {ProfileLegacy, tc.less4}} {
			vs := &vstate{v: &Verifier{cfg: VerifyConfig{Profile: c.p}}}
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
