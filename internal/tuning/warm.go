package tuning

import (
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// BackendProtocol is the protobuf package of the backend protocol
// (core/plugin/proto/backend.proto).
const BackendProtocol = "rpmpgp.backend.v1"

// WarmProto initialises the protobuf runtime's per-message tables of the
// linked message types of protobuf package pkg ([BackendProtocol]), which
// the runtime otherwise builds on the first use of each type: ~1 ms spread
// over the first calls of a process. Host and backend run it in a goroutine
// while the other side starts, so that a one-package run does not pay for
// it on its critical path. It returns the number of message types warmed.
func WarmProto(pkg string) int {
	prefix := pkg + "."
	n := 0
	protoregistry.GlobalTypes.RangeMessages(func(mt protoreflect.MessageType) bool {
		if strings.HasPrefix(string(mt.Descriptor().FullName()), prefix) {
			m := mt.New().Interface()
			_, _ = proto.Marshal(m)
			_ = proto.Unmarshal(nil, m)
			n++
		}
		return true
	})
	return n
}
