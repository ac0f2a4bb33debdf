package supervise

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/convert"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// fakeProcess is a backend process whose service answers Init and
// Describe as the test says; Describe blocks until the call's deadline when
// hang is set.
type fakeProcess struct {
	pb.BackendClient // nil: other calls panic
	pid              int

	mu        sync.Mutex
	initErr   error
	inits     []*pb.Options
	hang      bool
	exited    bool
	killed    bool
	stopped   int
	abandoned bool
}

func (f *fakeProcess) Init(_ context.Context, in *pb.InitRequest, _ ...grpc.CallOption) (*pb.InitResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inits = append(f.inits, in.GetOptions())
	return &pb.InitResponse{Error: convert.ErrorToProto(f.initErr)}, nil
}

func (f *fakeProcess) Describe(ctx context.Context, _ *pb.DescribeRequest, _ ...grpc.CallOption) (*pb.DescribeResponse, error) {
	f.mu.Lock()
	hang := f.hang
	f.mu.Unlock()
	if hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return &pb.DescribeResponse{}, nil
}

func (f *fakeProcess) RPC() pb.BackendClient { return f }
func (f *fakeProcess) PID() int              { return f.pid }
func (f *fakeProcess) FDs() *fdpass.Sender   { return nil }
func (f *fakeProcess) Exited() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.exited
}
func (f *fakeProcess) WaitExited(time.Duration) {}
func (f *fakeProcess) ExitReason() string {
	if f.Exited() {
		return "process exited with status 3"
	}
	return ""
}
func (f *fakeProcess) SigKill() {
	f.mu.Lock()
	f.killed = true
	f.mu.Unlock()
}
func (f *fakeProcess) Kill() { f.SigKill(); f.Stop() }
func (f *fakeProcess) Stop() {
	f.mu.Lock()
	f.stopped++
	f.mu.Unlock()
}
func (f *fakeProcess) Abandon() {
	f.mu.Lock()
	f.abandoned = true
	f.mu.Unlock()
}

// fakes starts fake processes with PIDs 1, 2, ... and keeps them.
type fakes struct {
	mu    sync.Mutex
	procs []*fakeProcess
	next  func(*fakeProcess) // prepares each new process
}

func (fs *fakes) launch() (Process, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	p := &fakeProcess{pid: len(fs.procs) + 1}
	if fs.next != nil {
		fs.next(p)
	}
	fs.procs = append(fs.procs, p)
	return p, nil
}

func describe(s *Supervisor) error {
	_, err := Invoke(s, "Describe", func(ctx context.Context, rpc pb.BackendClient) (*pb.DescribeResponse, error) {
		return rpc.Describe(ctx, &pb.DescribeRequest{})
	})
	return err
}

// TestRestartReappliesInit: a process seen exiting is replaced at the next
// call, the replacement gets the options of the last successful Init, and
// the restart is counted.
func TestRestartReappliesInit(t *testing.T) {
	fs := &fakes{}
	s := New("fake", "/fake", time.Second, nil, fs.launch)
	defer s.Close()
	if _, err := s.Init(core.Options{Policy: []byte("policy")}, nil); err != nil {
		t.Fatal(err)
	}
	fs.procs[0].mu.Lock()
	fs.procs[0].exited = true
	fs.procs[0].mu.Unlock()
	if err := describe(s); err != nil {
		t.Fatal(err)
	}
	if len(fs.procs) != 2 || s.Restarts() != 1 || s.Running().PID() != 2 {
		t.Fatalf("%d processes, %d restarts, running pid %d; want 2, 1, 2", len(fs.procs), s.Restarts(), s.Running().PID())
	}
	if got := fs.procs[1].inits; len(got) != 1 || string(got[0].GetPolicy()) != "policy" {
		t.Errorf("restarted process got Init %v, want the policy again", got)
	}
	if fs.procs[0].stopped == 0 || !fs.procs[0].killed {
		t.Errorf("exited process: killed %v, stopped %d times", fs.procs[0].killed, fs.procs[0].stopped)
	}
}

// TestFailedInitBlocksCalls: after a refused Init every call fails until
// an Init succeeds.
func TestFailedInitBlocksCalls(t *testing.T) {
	fs := &fakes{next: func(p *fakeProcess) { p.initErr = errors.New("no FIPS here") }}
	s := New("fake", "/fake", time.Second, nil, fs.launch)
	defer s.Close()
	if _, err := s.Init(core.Options{}, nil); err == nil || !strings.Contains(err.Error(), "no FIPS here") {
		t.Fatalf("Init: %v", err)
	}
	err := describe(s)
	if want := `backend "fake": Describe: backend is unusable after a failed Init: backend "fake": Init: no FIPS here`; err == nil || err.Error() != want {
		t.Errorf("call after a failed Init: %v\nwant %s", err, want)
	}
	fs.procs[0].mu.Lock()
	fs.procs[0].initErr = nil
	fs.procs[0].mu.Unlock()
	if _, err := s.Init(core.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	if err := describe(s); err != nil {
		t.Errorf("call after a successful Init: %v", err)
	}
}

// TestHungCallKillsProcess: a call without an answer within the timeout
// fails with ErrBackendFailed, the process is killed, and the next call
// runs on a new process.
func TestHungCallKillsProcess(t *testing.T) {
	fs := &fakes{next: func(p *fakeProcess) { p.hang = p.pid == 1 }}
	s := New("fake", "/fake", 50*time.Millisecond, nil, fs.launch)
	defer s.Close()
	err := describe(s)
	want := `backend "fake": Describe: backend process failed (no answer within 50ms; process killed); a new process is started for the next call`
	if !errors.Is(err, ErrBackendFailed) || err.Error() != want {
		t.Fatalf("hung call: %v\nwant %s", err, want)
	}
	if !fs.procs[0].killed {
		t.Error("the hung process was not killed")
	}
	if err := describe(s); err != nil || s.Running().PID() != 2 {
		t.Errorf("next call: %v on pid %d, want success on pid 2", err, s.Running().PID())
	}
}

// TestClosed: Close stops the process once; calls after it fail with
// ErrClosed and start nothing; Abandon after Close does nothing.
func TestClosed(t *testing.T) {
	fs := &fakes{}
	s := New("fake", "/fake", time.Second, nil, fs.launch)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s.Close()
	s.Abandon()
	if err := describe(s); !errors.Is(err, ErrClosed) {
		t.Errorf("call after Close: %v", err)
	}
	if len(fs.procs) != 1 || fs.procs[0].stopped != 1 || fs.procs[0].abandoned {
		t.Errorf("%d processes, first stopped %d times, abandoned %v; want 1, 1, false", len(fs.procs), fs.procs[0].stopped, fs.procs[0].abandoned)
	}
	if s.Running() != nil {
		t.Error("a process runs after Close")
	}
}
