package resident

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// NewSession makes the service of one session: a new core.Backend with
// fresh digest handles and keyrings (server.New) on the session's
// descriptor channel fds, and the function that releases the backend when
// the session is over.
type NewSession func(fds *fdpass.Receiver) (srv pb.BackendServer, end func(), err error)

// session is one host's use of the instance.
type session struct {
	token string // what every call of the session carries (token.go)
	srv   pb.BackendServer
	fds   *fdpass.Receiver
	end   func()
	busy  sync.WaitGroup // calls in flight
	once  sync.Once
}

// close ends the session once the calls in flight have returned: the
// descriptor channel, then the backend (which may free what its calls
// use).
func (s *session) close() {
	s.once.Do(func() {
		s.fds.Close()
		s.busy.Wait()
		if s.end != nil {
			s.end()
		}
	})
}

// errNoSession answers a call that does not belong to the current session:
// none is open, or the call carries another session's token or none. The
// code is one the host's supervisor treats as a failed backend, so a host
// whose session was taken over retires it (an error, never a verdict).
var errNoSession = status.Error(codes.Unavailable, "rpmpgp resident backend: the call does not belong to the current session")

// switcher routes every call of the backend service to the current
// session, so that nothing of one session reaches the next.
type switcher struct {
	newSession NewSession
	logger     hclog.Logger

	mu    sync.Mutex
	cur   *session
	since time.Time // when the last session ended (or the instance started)
}

// acquire returns the current session with one more call in flight, when
// the call ctx carries its token.
func (sw *switcher) acquire(ctx context.Context) (*session, error) {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if sw.cur == nil || !hasToken(ctx, sw.cur.token) {
		return nil, errNoSession
	}
	sw.cur.busy.Add(1)
	return sw.cur, nil
}

// idleFor says how long no session has been open (0 during one).
func (sw *switcher) idleFor() time.Duration {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if sw.cur != nil {
		return 0
	}
	return time.Since(sw.since)
}

// accept opens a session for every connection of this user to the
// descriptor socket; a new one ends the previous session (its host has
// gone: a host holds the instance's lock for its whole session).
func (sw *switcher) accept(ln *net.UnixListener) {
	for {
		c, err := ln.AcceptUnix()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				sw.logger.Error("descriptor socket", "error", err)
			}
			return
		}
		if err := checkPeer(c, 0); err != nil {
			sw.logger.Warn("session refused", "error", err)
			c.Close()
			continue
		}
		token, err := newToken()
		if err != nil {
			sw.logger.Error("session token", "error", err)
			c.Close()
			continue
		}
		fds := fdpass.ReceiverOf(c)
		srv, end, err := sw.newSession(fds)
		if err != nil {
			sw.logger.Error("starting a session", "error", err)
			fds.Close()
			continue
		}
		s := &session{token: token, srv: srv, fds: fds, end: end}
		sw.mu.Lock()
		old := sw.cur
		sw.cur = s
		sw.mu.Unlock()
		if old != nil {
			go old.close()
		}
		if _, err := fmt.Fprintf(c, "%s%s %d", sessionAck, token, wire.ProtocolVersion); err != nil {
			sw.logger.Warn("acknowledging a session", "error", err)
		}
		sw.logger.Debug("session started")
		go func() {
			<-fds.Done()
			sw.endSession(s)
		}()
	}
}

// endSession ends s, the host's end of whose descriptor channel is gone.
func (sw *switcher) endSession(s *session) {
	sw.mu.Lock()
	if sw.cur == s {
		sw.cur = nil
		sw.since = time.Now()
	}
	sw.mu.Unlock()
	s.close()
	sw.logger.Debug("session ended")
}

// closeAll ends the current session, for an instance that exits.
func (sw *switcher) closeAll() {
	sw.mu.Lock()
	s := sw.cur
	sw.cur = nil
	sw.mu.Unlock()
	if s != nil {
		s.close()
	}
}

// serviceDesc is the backend service (pb.Backend_ServiceDesc) with every
// handler calling the current session's server instead of the one it was
// registered with.
func (sw *switcher) serviceDesc() *grpc.ServiceDesc {
	d := pb.Backend_ServiceDesc
	d.Methods = slices.Clone(d.Methods)
	for i := range d.Methods {
		h := d.Methods[i].Handler
		d.Methods[i].Handler = func(_ any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
			s, err := sw.acquire(ctx)
			if err != nil {
				return nil, err
			}
			defer s.busy.Done()
			return h(s.srv, ctx, dec, ic)
		}
	}
	d.Streams = slices.Clone(d.Streams)
	for i := range d.Streams {
		h := d.Streams[i].Handler
		d.Streams[i].Handler = func(_ any, stream grpc.ServerStream) error {
			s, err := sw.acquire(stream.Context())
			if err != nil {
				return err
			}
			defer s.busy.Done()
			return h(s.srv, stream)
		}
	}
	return &d
}
