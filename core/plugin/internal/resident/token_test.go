package resident

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// describer answers Describe with its name, so that a test sees which
// session's server a call reached.
type describer struct {
	pb.UnimplementedBackendServer
	name string
}

func (d describer) Describe(context.Context, *pb.DescribeRequest) (*pb.DescribeResponse, error) {
	return &pb.DescribeResponse{Description: &pb.Description{Name: d.name}}, nil
}

// streamCtx is a grpc.ServerStream with only a context.
type streamCtx struct {
	grpc.ServerStream
	ctx context.Context
}

func (s streamCtx) Context() context.Context { return s.ctx }

// TestCallsNeedTheSessionToken: the instance serves a call only when it
// carries the current session's token; a call without one, with another
// session's or with two tokens reaches no session (codes.Unavailable,
// which the host's supervisor treats as a failed backend).
func TestCallsNeedTheSessionToken(t *testing.T) {
	tokA, err := newToken()
	if err != nil {
		t.Fatal(err)
	}
	tokB, _ := newToken()
	if len(tokA) != tokenLen || !validToken(tokA) || tokA == tokB {
		t.Fatalf("tokens %q %q", tokA, tokB)
	}
	sw := &switcher{}
	sw.cur = &session{token: tokB, srv: describer{name: "B"}}
	desc := sw.serviceDesc()
	var describe grpc.MethodDesc
	for _, m := range desc.Methods {
		if m.MethodName == "Describe" {
			describe = m
		}
	}
	dec := func(any) error { return nil }
	call := func(ctx context.Context) (string, error) {
		resp, err := describe.Handler(nil, ctx, dec, nil)
		if err != nil {
			return "", err
		}
		return resp.(*pb.DescribeResponse).GetDescription().GetName(), nil
	}
	in := func(kv ...string) context.Context {
		return metadata.NewIncomingContext(context.Background(), metadata.Pairs(kv...))
	}
	for name, ctx := range map[string]context.Context{
		"no metadata":         context.Background(),
		"no token":            in("other", "x"),
		"session A's token":   in(tokenKey, tokA),
		"B's token and A's":   in(tokenKey, tokB, tokenKey, tokA),
		"B's token, changed":  in(tokenKey, strings.ToUpper(tokB)),
		"B's token truncated": in(tokenKey, tokB[:tokenLen-1]),
	} {
		got, err := call(ctx)
		if status.Code(err) != codes.Unavailable || err.Error() != "rpc error: code = Unavailable desc = rpmpgp resident backend: the call does not belong to the current session" {
			t.Errorf("%s: got %q, %v; want the session refusal", name, got, err)
		}
	}
	if got, err := call(in(tokenKey, tokB)); err != nil || got != "B" {
		t.Fatalf("B's own call: got %q, %v", got, err)
	}
	// Streams are checked the same way.
	stream := desc.Streams[0]
	err = stream.Handler(nil, streamCtx{ctx: in(tokenKey, tokA)})
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("stream %s with another session's token: %v", stream.StreamName, err)
	}
	// No session at all.
	sw.cur = nil
	if _, err := call(in(tokenKey, tokB)); status.Code(err) != codes.Unavailable {
		t.Fatalf("no session: %v", err)
	}
}
