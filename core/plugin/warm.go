package plugin

import (
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// warmProto initialises the protobuf runtime's per-message tables of the
// backend protocol, which it otherwise builds on the first use of each
// message type: ~1 ms spread over the first calls of a process. Host and
// backend run it in a goroutine while the other side starts, so that a
// one-package run does not pay for it on its critical path.
var warmProto = sync.OnceFunc(func() {
	msgs := pb.File_backend_proto.Messages()
	for i := range msgs.Len() {
		warmMessage(msgs.Get(i))
	}
})

// warmMessage sizes an empty message of type md (and of its nested types).
func warmMessage(md protoreflect.MessageDescriptor) {
	nested := md.Messages()
	for i := range nested.Len() {
		warmMessage(nested.Get(i))
	}
	mt, err := protoregistryFind(md)
	if err != nil {
		return
	}
	m := mt.New().Interface()
	_, _ = proto.Marshal(m)
	_ = proto.Unmarshal(nil, m)
}

// protoregistryFind returns the Go type of md.
func protoregistryFind(md protoreflect.MessageDescriptor) (protoreflect.MessageType, error) {
	return protoregistry.GlobalTypes.FindMessageByName(md.FullName())
}
