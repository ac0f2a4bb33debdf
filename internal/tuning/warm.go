package tuning

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// BackendProtocol is the protobuf package of the backend protocol
// (core/plugin/proto/backend.proto).
const BackendProtocol = "rpmpgp.backend.v1"

// BackendService is the full name of the backend protocol's service.
const BackendService = BackendProtocol + ".Backend"

// StartupMethods are the methods of [BackendService] that every command
// that verifies calls on its start-up path: Describe and Init (which
// carries the key files) go out together, then VerifyPackages. The other
// methods are used call by call, later or not at all.
var StartupMethods = []string{"Describe", "Init", "VerifyPackages"}

// WarmProto initialises the protobuf runtime's per-message tables of the
// request and response types of the named methods of service (a full
// name, [BackendService]) and of every message type reachable through
// their fields, which the runtime otherwise builds on the first use of
// each type: ~1 ms spread over the first calls of a process. Host and
// backend run it in a goroutine while the other side starts, so that a
// one-package run does not pay for it on its critical path; only the
// types of [StartupMethods] are warmed, because warming the whole protocol
// (45 message types) costs each process about a millisecond of CPU for
// types a short run never uses. It returns the number of message types
// warmed; 0 when the service is not linked, and unknown method names are
// skipped.
func WarmProto(service string, methods ...string) int {
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(service))
	if err != nil {
		return 0
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok {
		return 0
	}
	seen := map[protoreflect.FullName]bool{}
	n := 0
	var warm func(md protoreflect.MessageDescriptor)
	warm = func(md protoreflect.MessageDescriptor) {
		if seen[md.FullName()] {
			return
		}
		seen[md.FullName()] = true
		// A map entry has no type of its own; its value may.
		if mt, err := protoregistry.GlobalTypes.FindMessageByName(md.FullName()); err == nil {
			m := mt.New().Interface()
			_, _ = proto.Marshal(m)
			_ = proto.Unmarshal(nil, m)
			n++
		}
		fields := md.Fields()
		for i := range fields.Len() {
			if f := fields.Get(i); f.Message() != nil {
				warm(f.Message())
			}
		}
	}
	for _, name := range methods {
		if m := sd.Methods().ByName(protoreflect.Name(name)); m != nil {
			warm(m.Input())
			warm(m.Output())
		}
	}
	return n
}
