package tuning

import (
	"testing"

	"google.golang.org/protobuf/types/known/durationpb"
)

// TestWarmProto: the warm-up touches the linked message types of the named
// package and of no other (core/plugin's tests check BackendProtocol
// against the generated code).
func TestWarmProto(t *testing.T) {
	_ = durationpb.New(0) // links google.protobuf.Duration
	if n := WarmProto("google.protobuf"); n == 0 {
		t.Error("google.protobuf: no message type warmed")
	}
	if n := WarmProto("no.such.package"); n != 0 {
		t.Errorf("no.such.package: %d message types warmed", n)
	}
	if n := WarmProto("google.proto"); n != 0 {
		t.Errorf("google.proto (a prefix of a package name): %d message types warmed", n)
	}
}
