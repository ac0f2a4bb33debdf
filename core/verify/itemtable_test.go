package verify

import (
	"reflect"
	"testing"
)

// TestAbsentItem: every item tag has one spec across rpm 6's and rpm 4.18's
// tables (so that an absent item is known by its tag alone), and
// AbsentItem builds what the verifier lists for a missing tag.
func TestAbsentItem(t *testing.T) {
	for _, table := range [][]itemSpec{specs6, specs418} {
		for _, s := range table {
			if s.other {
				continue
			}
			got, ok := AbsentItem(uint32(s.tag))
			if !ok {
				t.Fatalf("tag %d: no absent item", s.tag)
			}
			want := s.item(0, 1)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("tag %d: absent item %+v, this table's %+v", s.tag, *got, *want)
			}
		}
	}
	for _, tag := range []uint32{0, 1000, 1007, 99999} { // SIZE and PAYLOADSIZE are not items
		if it, ok := AbsentItem(tag); ok {
			t.Errorf("tag %d: absent item %+v", tag, *it)
		}
	}
}
