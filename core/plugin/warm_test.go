package plugin

import (
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/internal/tuning"
)

// TestWarmProtoCoversTheProtocol: the binaries' warm-up
// (tuning.WarmProto(tuning.BackendProtocol)) reaches every message type of
// the generated backend protocol, nested ones included.
func TestWarmProtoCoversTheProtocol(t *testing.T) {
	if got := string(pb.File_backend_proto.Package()); got != tuning.BackendProtocol {
		t.Fatalf("backend protocol package %q, tuning.BackendProtocol %q", got, tuning.BackendProtocol)
	}
	var count func(protoreflect.MessageDescriptors) int
	count = func(ms protoreflect.MessageDescriptors) int {
		n := ms.Len()
		for i := range ms.Len() {
			n += count(ms.Get(i).Messages())
		}
		return n
	}
	want := count(pb.File_backend_proto.Messages())
	if got := tuning.WarmProto(tuning.BackendProtocol); got != want {
		t.Errorf("warmed %d message types, the protocol has %d", got, want)
	}
}
