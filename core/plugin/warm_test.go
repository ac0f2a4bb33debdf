package plugin

import (
	"slices"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/internal/tuning"
)

// TestWarmProtoStartup: the binaries' warm-up
// (tuning.WarmProto(tuning.BackendService, tuning.StartupMethods...))
// names the generated service and methods that exist, and reaches exactly
// the request and response types of those methods and every message type
// under their fields, nested ones included: no more (a short run does not
// use the rest), no fewer.
func TestWarmProtoStartup(t *testing.T) {
	if got := string(pb.File_backend_proto.Package()); got != tuning.BackendProtocol {
		t.Fatalf("backend protocol package %q, tuning.BackendProtocol %q", got, tuning.BackendProtocol)
	}
	sd := pb.File_backend_proto.Services().ByName("Backend")
	if sd == nil || string(sd.FullName()) != tuning.BackendService {
		t.Fatalf("tuning.BackendService %q is not the generated service", tuning.BackendService)
	}
	want := map[protoreflect.FullName]bool{}
	var walk func(md protoreflect.MessageDescriptor)
	walk = func(md protoreflect.MessageDescriptor) {
		if want[md.FullName()] {
			return
		}
		want[md.FullName()] = true
		for i := range md.Fields().Len() {
			if m := md.Fields().Get(i).Message(); m != nil {
				walk(m)
			}
		}
	}
	for _, name := range tuning.StartupMethods {
		m := sd.Methods().ByName(protoreflect.Name(name))
		if m == nil {
			t.Fatalf("tuning.StartupMethods: %s is not a method of %s", name, sd.FullName())
		}
		walk(m.Input())
		walk(m.Output())
	}
	// The request and response types of the one-package path, and what
	// they carry; a renamed field type or method shows here.
	for _, name := range []string{"DescribeRequest", "DescribeResponse", "InitRequest", "InitResponse", "Options", "KeyFile", "VerifyPackagesRequest", "VerifyPackagesResponse", "PackageAnswer"} {
		if !want[protoreflect.FullName(tuning.BackendProtocol+"."+name)] {
			t.Errorf("%s is not reached from tuning.StartupMethods", name)
		}
	}
	if want[tuning.BackendProtocol+".DigestWriteRequest"] {
		t.Error("DigestWriteRequest (call by call only) is reached from tuning.StartupMethods")
	}
	if got := tuning.WarmProto(tuning.BackendService, tuning.StartupMethods...); got != len(want) {
		names := make([]string, 0, len(want))
		for n := range want {
			names = append(names, string(n))
		}
		slices.Sort(names)
		t.Errorf("warmed %d message types, want %d: %q", got, len(want), names)
	}
}
