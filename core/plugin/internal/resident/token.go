package resident

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// tokenKey is the gRPC metadata key that carries a call's session token.
// An instance serves a call only when it carries the token of the current
// session: a call of a host whose session has ended (its request still in
// the socket when the next host attached), or of any other process of the
// user that connects to the go-plugin socket, never reaches the session
// of another command (its keys, policy, FIPS mode, descriptors).
const tokenKey = "rpmpgp-session"

// newToken returns a fresh session token: 128 random bits, in hex.
func newToken() (string, error) {
	var b [tokenLen / 2]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// DialOptions are the gRPC dial options of a host's session with token
// (from [OpenSession]): every call and stream carries it.
func DialOptions(token string) []grpc.DialOption {
	with := func(ctx context.Context) context.Context {
		return metadata.AppendToOutgoingContext(ctx, tokenKey, token)
	}
	return []grpc.DialOption{
		grpc.WithChainUnaryInterceptor(func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
			return invoker(with(ctx), method, req, reply, cc, opts...)
		}),
		grpc.WithChainStreamInterceptor(func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
			return streamer(with(ctx), desc, cc, method, opts...)
		}),
	}
}

// hasToken reports whether the incoming call ctx carries exactly token.
func hasToken(ctx context.Context, token string) bool {
	md, ok := metadata.FromIncomingContext(ctx)
	if !ok {
		return false
	}
	v := md.Get(tokenKey)
	return len(v) == 1 && subtle.ConstantTimeCompare([]byte(v[0]), []byte(token)) == 1
}
