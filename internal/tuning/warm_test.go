package tuning

import (
	"testing"

	"google.golang.org/protobuf/types/known/durationpb"
)

// TestWarmProtoUnknown: a service that is not linked, a name that is not a
// service and unknown methods warm nothing (core/plugin's tests check the
// backend service and StartupMethods against the generated code).
func TestWarmProtoUnknown(t *testing.T) {
	_ = durationpb.New(0) // links google.protobuf.Duration
	for _, c := range []struct {
		service string
		methods []string
	}{
		{"no.such.Service", StartupMethods},
		{"google.protobuf.Duration", []string{"Seconds"}}, // a message, not a service
		{"", nil},
	} {
		if n := WarmProto(c.service, c.methods...); n != 0 {
			t.Errorf("WarmProto(%q, %q): %d message types warmed, want 0", c.service, c.methods, n)
		}
	}
}
