// Package batch is the host side of the batch paths ([core.Capabilities]):
// the key import and the package flow run in the backend process, a whole
// keyring or a batch of packages per call. Packages travel as open
// descriptors over the descriptor channel (package fdpass); keyrings are
// sent once per process and keyring version, and sent again when the
// process evicted one. A process that breaks during a batch is replaced
// and the packages it had not answered are sent again, one per call.
package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/convert"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/supervise"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// Client runs the batch paths through a supervised backend process.
type Client struct {
	s *supervise.Supervisor
	// batched counts packages verified by VerifyPackages (for tests).
	batched atomic.Int64
}

var (
	_ core.KeyImporter     = (*Client)(nil)
	_ core.PackageVerifier = (*Client)(nil)
)

// New returns the batch paths of s.
func New(s *supervise.Supervisor) *Client { return &Client{s: s} }

// Batched returns how many packages VerifyPackages verified in the backend
// process (answers with a Result).
func (c *Client) Batched() int64 { return c.batched.Load() }

// ImportKeys implements [core.KeyImporter]: the whole import runs in the
// backend process in one call. Files too large for one message are
// refused with [core.ErrNotSupported], so that the caller imports them call
// by call.
func (c *Client) ImportKeys(files []core.KeyFile) ([]core.KeyringCert, []core.ImportResult, error) {
	const op = "ImportKeys"
	if total := keyFilesSize(files); total > wire.MaxRequestData {
		return nil, nil, c.s.OpError(op, fmt.Errorf("%w: %d bytes of key files do not fit one message", core.ErrNotSupported, total))
	}
	resp, err := supervise.Invoke(c.s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.ImportKeysResponse, error) {
		return rpc.ImportKeys(ctx, &pb.ImportKeysRequest{Files: convert.KeyFilesToProto(files)})
	})
	if err != nil {
		return nil, nil, err
	}
	return c.importAnswer(op, resp.GetCerts(), resp.GetResults())
}

// InitImport is Init followed by [Client.ImportKeys] in one round
// trip: the start-up path of a command that verifies. Key files that do
// not fit one message next to the policy give [core.ErrNotSupported] after
// a successful Init: the caller then imports them call by call
// ([core.ImportKeyFiles]).
func (c *Client) InitImport(opts core.Options, files []core.KeyFile) ([]core.KeyringCert, []core.ImportResult, error) {
	const op = "Init"
	if total := keyFilesSize(files) + len(opts.Policy) + len(opts.PolicySource); total > wire.MaxRequestData {
		if _, err := c.s.Init(opts, nil); err != nil {
			return nil, nil, err
		}
		return nil, nil, c.s.OpError(op, fmt.Errorf("%w: %d bytes of key files and policy do not fit one message", core.ErrNotSupported, total))
	}
	resp, err := c.s.Init(opts, files)
	if err != nil {
		return nil, nil, err
	}
	return c.importAnswer(op, resp.GetCerts(), resp.GetResults())
}

// importAnswer converts the certificates and results of an import answer.
func (c *Client) importAnswer(op string, certs []*pb.KeyringCert, results []*pb.ImportResult) ([]core.KeyringCert, []core.ImportResult, error) {
	cs, err := convert.KeyringCertsFromProto(certs)
	if err != nil {
		return nil, nil, c.s.OpError(op, wire.ProtocolError(err))
	}
	rs, err := convert.ImportResultsFromProto(results)
	if err != nil {
		return nil, nil, c.s.OpError(op, wire.ProtocolError(err))
	}
	return cs, rs, nil
}

// keyFilesSize is what key files add to a request.
func keyFilesSize(files []core.KeyFile) int {
	total := 0
	for _, f := range files {
		total += len(f.Data) + len(f.Source)
	}
	return total
}

// VerifyPackages implements [core.PackageVerifier]: the backend process
// runs the package flow on each file itself, receiving the files over the
// descriptor channel, with kr (sent along with the first call of each
// process and keyring version) and cfg, and streams the answers back (a
// batch of small packages in one message). When the process dies or hangs,
// the packages not answered yet are sent again to a new process, one per
// call, so that the package that breaks a process gets the error (never a
// verdict) and the others their verdicts. Files that are not regular
// files, or a process without a descriptor channel, give
// [core.ErrNotSupported] so that the caller runs the flow call by call.
// Each answer message may take the call timeout, plus the call timeout per
// whole MiB of the files it answers.
func (c *Client) VerifyPackages(files []*os.File, names []string, kr *core.Keyring, cfg core.VerifyConfig) ([]core.PackageResult, error) {
	const op = "VerifyPackage"
	if len(names) != len(files) {
		return nil, c.s.OpError(op, fmt.Errorf("%d names for %d files", len(names), len(files)))
	}
	if len(files) > fdpass.MaxPerMessage {
		// One call per message of descriptors.
		var out []core.PackageResult
		for start := 0; start < len(files); start += fdpass.MaxPerMessage {
			end := min(start+fdpass.MaxPerMessage, len(files))
			rs, err := c.VerifyPackages(files[start:end], names[start:end], kr, cfg)
			if err != nil {
				return nil, err
			}
			out = append(out, rs...)
		}
		return out, nil
	}
	sizes := make([]int64, len(files))
	for i, f := range files {
		fi, err := f.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return nil, c.s.OpError(op, fmt.Errorf("%w: %s is not a regular file", core.ErrNotSupported, names[i]))
		}
		sizes[i] = fi.Size()
	}
	certs, version := kr.Snapshot()
	out := make([]core.PackageResult, len(files))
	answered := make([]bool, len(files))
	pending := make([]int, len(files))
	for i := range pending {
		pending[i] = i
	}
	keyringRetries := 0
	// After a failure of a call with several packages, which package broke
	// the process is unknown (answers in flight die with it): the rest are
	// sent one per call, so that only the culprit gets the error.
	single := false
	for len(pending) > 0 {
		inst, err := c.s.Current()
		if err != nil {
			for _, i := range pending {
				out[i].Err = c.s.OpError(op, err)
			}
			break
		}
		if inst.FDs() == nil {
			return nil, c.s.OpError(op, fmt.Errorf("%w: %w", core.ErrNotSupported, fdpass.ErrNoChannel))
		}
		req := &pb.VerifyPackagesRequest{Keyring: version, Config: convert.ConfigToProto(cfg)}
		if !inst.HasKeyring(version) {
			req.KeyringIncluded = true
			req.KeyringCerts = convert.KeyringCertsToProto(certs)
			if n := proto.Size(req); n > wire.MaxRequestData {
				return nil, c.s.OpError(op, fmt.Errorf("%w: a keyring of %d bytes does not fit one message", core.ErrNotSupported, n))
			}
		}
		batch := pending
		if single {
			batch = pending[:1]
		}
		call := &packagesCall{c: c, inst: inst, req: req, pending: batch, files: files, names: names, sizes: sizes, out: out, answered: answered}
		err = call.run()
		var ue unknownKeyringError
		switch {
		case errors.As(err, &ue):
			inst.ForgetKeyring(version)
			if keyringRetries++; keyringRetries > 1 {
				err = c.s.OpError(op, wire.ProtocolError(errors.New("the backend lost the keyring it was just sent")))
				for _, i := range pending {
					out[i].Err = err
				}
				return out, nil
			}
			continue
		case errors.Is(err, core.ErrNotSupported) && !slices.Contains(answered, true):
			return nil, err
		case err != nil && !errors.Is(err, supervise.ErrBackendFailed):
			// The backend refused the whole call: no package has a verdict.
			for _, i := range pending {
				if !answered[i] {
					out[i].Err = err
				}
			}
			return out, nil
		case err == nil:
			if req.KeyringIncluded {
				inst.AddKeyring(version)
			}
			for _, i := range batch {
				if !answered[i] {
					out[i].Err = c.s.OpError(op, wire.ProtocolError(errors.New("the backend ended the call without answering")))
					answered[i] = true
				}
			}
		case len(batch) == 1:
			if !answered[batch[0]] {
				out[batch[0]].Err, answered[batch[0]] = err, true
			}
		default:
			single = true
		}
		var rest []int
		for _, i := range pending {
			if !answered[i] {
				rest = append(rest, i)
			}
		}
		pending = rest
	}
	return out, nil
}

// unknownKeyringError is the answer of a process that does not hold the
// keyring version it was asked to use.
type unknownKeyringError struct{}

func (unknownKeyringError) Error() string { return "unknown keyring" }

// packagesCall is one VerifyPackages call on one process.
type packagesCall struct {
	c        *Client
	inst     *supervise.Instance
	req      *pb.VerifyPackagesRequest
	pending  []int // indexes into files, in request order
	files    []*os.File
	names    []string
	sizes    []int64
	out      []core.PackageResult
	answered []bool
}

// run passes the files, makes the call and files the answers into out. A
// broken process gives an error wrapping supervise.ErrBackendFailed; answers received
// before it stand.
func (p *packagesCall) run() error {
	const op = "VerifyPackage"
	c := p.c
	files := make([]*os.File, len(p.pending))
	for j, i := range p.pending {
		files[j] = p.files[i]
		p.req.Packages = append(p.req.Packages, &pb.PackageRef{Name: convert.String(p.names[i])})
	}
	tok, err := p.inst.FDs().Send(files)
	if err != nil {
		// The backend's end is gone: so is the backend.
		c.s.Retire(p.inst)
		return c.s.OpError(op, fmt.Errorf("%w (%v); a new process is started for the next call", supervise.ErrBackendFailed, err))
	}
	p.req.FilesToken = tok
	ctx, cancel := context.WithCancelCause(c.s.Context())
	defer cancel(nil)
	// The watchdog gives each message the call timeout, plus the call
	// timeout per whole MiB of the files it may answer (wire.AnswersPerMessage
	// packages), as a bulk digest update gets per chunk.
	var budget atomic.Int64 // a time.Duration, read by the watchdog
	watchdog := time.AfterFunc(time.Hour, func() { cancel(supervise.BudgetTimeout{D: time.Duration(budget.Load())}) })
	defer watchdog.Stop()
	next := 0 // position in pending of the first package not answered yet
	arm := func() {
		d := c.s.Timeout()
		for j := next; j < min(next+wire.AnswersPerMessage, len(p.pending)); j++ {
			d += c.s.Timeout() * time.Duration(p.sizes[p.pending[j]]/wire.ChunkSize)
		}
		budget.Store(int64(d))
		watchdog.Reset(d)
	}
	arm()
	stream, err := p.inst.RPC().VerifyPackages(ctx, p.req)
	if err != nil {
		return c.s.CallFailed(ctx, p.inst, op, err)
	}
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return c.s.CallFailed(ctx, p.inst, op, err)
		}
		if resp.GetUnknownKeyring() {
			return unknownKeyringError{}
		}
		if e := resp.GetError(); e != nil {
			return c.s.OpError(op, convert.ErrorFromProto(e))
		}
		if len(resp.GetAnswers()) == 0 {
			return c.s.OpError(op, wire.ProtocolError(errors.New("an empty answer")))
		}
		for _, a := range resp.GetAnswers() {
			idx := int(a.GetIndex())
			if idx < 0 || idx >= len(p.pending) || p.answered[p.pending[idx]] {
				return c.s.OpError(op, wire.ProtocolError(fmt.Errorf("answer for package %d of %d", idx, len(p.pending))))
			}
			i := p.pending[idx]
			p.answered[i] = true
			if e := a.GetError(); e != nil {
				p.out[i].Err = c.s.OpError(op, convert.ErrorFromProto(e))
			} else if res, err := convert.ResultFromProto(a.GetResult()); err != nil {
				p.out[i].Err = c.s.OpError(op, wire.ProtocolError(err))
			} else {
				res.Path = p.names[i]
				p.out[i].Result = res
				c.batched.Add(1)
			}
			next = max(next, idx+1)
		}
		arm()
	}
}
