// Package server is the backend side of the protocol: it serves one
// in-process [core.Backend] over gRPC in a backend process, the
// call-by-call methods with digest handles (server.go) and the batch paths
// with the keyrings it was sent (batch.go).
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/hashicorp/go-hclog"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/convert"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// maxDigests bounds the digest handles one backend process holds, so that a
// host that forgets to Close digests cannot exhaust the backend's memory.
const maxDigests = 1 << 14

// fanoutDepth is how many chunks may wait for each digest during a bulk
// update (memory: fanoutDepth * wire.ChunkSize, shared by all digests).
const fanoutDepth = 4

// server serves one core.Backend over gRPC. A backend's error travels
// in-band (pb.Error); a gRPC status error is only returned for a broken
// stream. Panics in the backend are not recovered: the process dies and the
// host restarts it, which is the isolation rpmpgp wants.
type server struct {
	pb.UnimplementedBackendServer
	impl   core.Backend
	logger hclog.Logger

	// fds is the descriptor channel (nil: none, VerifyPackages is refused).
	fds *fdpass.Receiver

	mu       sync.Mutex
	next     uint64
	digests  map[uint64]*serverDigest
	keyrings map[uint64]*core.Keyring
}

// serverDigest is one digest handle; mu serialises its use.
type serverDigest struct {
	mu sync.Mutex
	d  core.Digest
}

// New returns the service of impl; fds is the descriptor channel (nil: none,
// VerifyPackages is refused) and logger may be nil.
func New(impl core.Backend, logger hclog.Logger, fds *fdpass.Receiver) pb.BackendServer {
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	return &server{impl: impl, logger: logger, fds: fds, digests: make(map[uint64]*serverDigest)}
}

// add registers d and returns its handle.
func (s *server) add(d core.Digest) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.digests) >= maxDigests {
		return 0, fmt.Errorf("too many open digests (%d); the host leaks digest handles", maxDigests)
	}
	s.next++
	s.digests[s.next] = &serverDigest{d: d}
	return s.next, nil
}

// get returns the digest of handle id.
func (s *server) get(id uint64) (*serverDigest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sd, ok := s.digests[id]; ok {
		return sd, nil
	}
	return nil, fmt.Errorf("unknown digest handle %d", id)
}

// remove forgets handle id.
func (s *server) remove(id uint64) {
	s.mu.Lock()
	delete(s.digests, id)
	s.mu.Unlock()
}

// Init implements pb.BackendServer; key files sent along are imported
// after a successful Init, like ImportKeys.
func (s *server) Init(_ context.Context, req *pb.InitRequest) (*pb.InitResponse, error) {
	opts, err := convert.OptionsFromProto(req.GetOptions())
	var files []core.KeyFile
	if err == nil {
		// Checked before Init, so that an error always means "not
		// initialised".
		files, err = convert.KeyFilesFromProto(req.GetKeyFiles())
	}
	if err == nil {
		err = s.impl.Init(opts)
	}
	if err != nil || len(files) == 0 {
		return &pb.InitResponse{Error: convert.ErrorToProto(err)}, nil
	}
	certs, results := s.importKeys(files)
	return &pb.InitResponse{Certs: certs, Results: results}, nil
}

// Describe implements pb.BackendServer; Protocol is the protocol this
// server speaks whatever the backend says (in-process backends report 0).
func (s *server) Describe(context.Context, *pb.DescribeRequest) (*pb.DescribeResponse, error) {
	d, err := s.impl.Describe()
	if err != nil {
		return &pb.DescribeResponse{Error: convert.ErrorToProto(err)}, nil
	}
	d.Protocol = wire.ProtocolVersion
	return &pb.DescribeResponse{Description: convert.DescriptionToProto(d)}, nil
}

// parseResponse builds the answer of the two Parse calls.
func parseResponse(r core.ParseResult, err error) *pb.ParseResponse {
	if err != nil {
		return &pb.ParseResponse{Error: convert.ErrorToProto(err)}
	}
	return &pb.ParseResponse{Result: convert.ParseResultToProto(r)}
}

// ParseSignature implements pb.BackendServer.
func (s *server) ParseSignature(_ context.Context, req *pb.PacketRequest) (*pb.ParseResponse, error) {
	return parseResponse(s.impl.ParseSignature(req.GetData())), nil
}

// ParseCertificate implements pb.BackendServer.
func (s *server) ParseCertificate(_ context.Context, req *pb.PacketRequest) (*pb.ParseResponse, error) {
	return parseResponse(s.impl.ParseCertificate(req.GetData())), nil
}

// Subkeys implements pb.BackendServer.
func (s *server) Subkeys(_ context.Context, req *pb.PacketRequest) (*pb.SubkeysResponse, error) {
	ps, err := s.impl.Subkeys(req.GetData())
	if err != nil {
		return &pb.SubkeysResponse{Error: convert.ErrorToProto(err)}, nil
	}
	return &pb.SubkeysResponse{Subkeys: convert.ParamsListToProto(ps)}, nil
}

// VerifySignature implements pb.BackendServer.
func (s *server) VerifySignature(_ context.Context, req *pb.VerifySignatureRequest) (*pb.VerdictResponse, error) {
	v, err := s.verify(req)
	if err != nil {
		return &pb.VerdictResponse{Error: convert.ErrorToProto(err)}, nil
	}
	return &pb.VerdictResponse{Verdict: convert.VerdictToProto(v)}, nil
}

func (s *server) verify(req *pb.VerifySignatureRequest) (core.Verdict, error) {
	key, err := convert.ParamsFromProto(req.GetKey())
	if err != nil {
		return core.Verdict{}, fmt.Errorf("key: %w", err)
	}
	sig, err := convert.ParamsFromProto(req.GetSig())
	if err != nil {
		return core.Verdict{}, fmt.Errorf("signature: %w", err)
	}
	if sig == nil {
		return core.Verdict{}, errors.New("no signature params")
	}
	if req.Sum != nil {
		hv, ok := s.impl.(core.HashVerifier)
		if !ok {
			return core.Verdict{}, fmt.Errorf("verifying a finalised sum: %w", core.ErrNotSupported)
		}
		return hv.VerifyHash(key, sig, req.GetSum())
	}
	sd, err := s.get(req.GetDigest())
	if err != nil {
		return core.Verdict{}, err
	}
	sd.mu.Lock()
	defer sd.mu.Unlock()
	return s.impl.VerifySignature(key, sig, sd.d)
}

// LintKey implements pb.BackendServer.
func (s *server) LintKey(_ context.Context, req *pb.PacketRequest) (*pb.VerdictResponse, error) {
	v, err := s.impl.LintKey(req.GetData())
	if err != nil {
		return &pb.VerdictResponse{Error: convert.ErrorToProto(err)}, nil
	}
	return &pb.VerdictResponse{Verdict: convert.VerdictToProto(v)}, nil
}

// Fingerprint implements pb.BackendServer.
func (s *server) Fingerprint(_ context.Context, req *pb.PacketRequest) (*pb.BytesResponse, error) {
	fp, err := s.impl.Fingerprint(req.GetData())
	return &pb.BytesResponse{Data: fp, Error: convert.ErrorToProto(err)}, nil
}

// KeyID implements pb.BackendServer.
func (s *server) KeyID(_ context.Context, req *pb.PacketRequest) (*pb.BytesResponse, error) {
	id, err := s.impl.KeyID(req.GetData())
	if err != nil {
		return &pb.BytesResponse{Error: convert.ErrorToProto(err)}, nil
	}
	return &pb.BytesResponse{Data: id[:]}, nil
}

// CertLen implements pb.BackendServer.
func (s *server) CertLen(_ context.Context, req *pb.PacketRequest) (*pb.CertLenResponse, error) {
	n, err := s.impl.CertLen(req.GetData())
	return &pb.CertLenResponse{Length: int64(n), Error: convert.ErrorToProto(err)}, nil
}

// Merge implements pb.BackendServer.
func (s *server) Merge(_ context.Context, req *pb.MergeRequest) (*pb.BytesResponse, error) {
	m, err := s.impl.Merge(req.GetA(), req.GetB())
	return &pb.BytesResponse{Data: m, Error: convert.ErrorToProto(err)}, nil
}

// ParseArmor implements pb.BackendServer.
func (s *server) ParseArmor(_ context.Context, req *pb.PacketRequest) (*pb.ParseArmorResponse, error) {
	k, data, err := s.impl.ParseArmor(req.GetData())
	if err != nil {
		return &pb.ParseArmorResponse{Error: convert.ErrorToProto(err)}, nil
	}
	return &pb.ParseArmorResponse{Kind: convert.ArmorKindToProto(k), Data: data}, nil
}

// WrapArmor implements pb.BackendServer.
func (s *server) WrapArmor(_ context.Context, req *pb.WrapArmorRequest) (*pb.WrapArmorResponse, error) {
	text, err := s.impl.WrapArmor(core.ArmorKind(req.GetKind()), req.GetData())
	if err != nil {
		return &pb.WrapArmorResponse{Error: convert.ErrorToProto(err)}, nil
	}
	return &pb.WrapArmorResponse{Text: convert.String(text)}, nil
}

// NewDigest implements pb.BackendServer.
func (s *server) NewDigest(_ context.Context, req *pb.NewDigestRequest) (*pb.DigestResponse, error) {
	if req.GetAlgo() > 255 {
		err := fmt.Errorf("hash algorithm %d: %w", req.GetAlgo(), core.ErrUnsupportedDigest)
		return &pb.DigestResponse{Error: convert.ErrorToProto(err)}, nil
	}
	d, err := s.impl.NewDigest(core.HashAlgo(req.GetAlgo()))
	if err != nil {
		return &pb.DigestResponse{Error: convert.ErrorToProto(err)}, nil
	}
	return s.register(d), nil
}

// register adds d and answers with its handle; d is closed if the table is
// full.
func (s *server) register(d core.Digest) *pb.DigestResponse {
	id, err := s.add(d)
	if err != nil {
		_ = d.Close()
		return &pb.DigestResponse{Error: convert.ErrorToProto(err)}
	}
	return &pb.DigestResponse{Digest: id, Algo: uint32(d.Algo())}
}

// DigestWrite implements pb.BackendServer.
func (s *server) DigestWrite(_ context.Context, req *pb.DigestWriteRequest) (*pb.DigestWriteResponse, error) {
	sd, err := s.get(req.GetDigest())
	if err == nil {
		sd.mu.Lock()
		_, err = sd.d.Write(req.GetData())
		sd.mu.Unlock()
	}
	return &pb.DigestWriteResponse{Error: convert.ErrorToProto(err)}, nil
}

// DigestDup implements pb.BackendServer.
func (s *server) DigestDup(_ context.Context, req *pb.DigestRequest) (*pb.DigestResponse, error) {
	sd, err := s.get(req.GetDigest())
	if err != nil {
		return &pb.DigestResponse{Error: convert.ErrorToProto(err)}, nil
	}
	sd.mu.Lock()
	d, err := sd.d.Dup()
	sd.mu.Unlock()
	if err != nil {
		return &pb.DigestResponse{Error: convert.ErrorToProto(err)}, nil
	}
	return s.register(d), nil
}

// DigestFinal implements pb.BackendServer; the handle is released whatever
// the outcome.
func (s *server) DigestFinal(_ context.Context, req *pb.DigestRequest) (*pb.DigestFinalResponse, error) {
	sd, err := s.get(req.GetDigest())
	if err != nil {
		return &pb.DigestFinalResponse{Error: convert.ErrorToProto(err)}, nil
	}
	s.remove(req.GetDigest())
	sd.mu.Lock()
	v, err := sd.d.Final()
	sd.mu.Unlock()
	return &pb.DigestFinalResponse{Value: v, Error: convert.ErrorToProto(err)}, nil
}

// DigestClose implements pb.BackendServer.
func (s *server) DigestClose(_ context.Context, req *pb.DigestRequest) (*pb.DigestCloseResponse, error) {
	sd, err := s.get(req.GetDigest())
	if err != nil {
		return &pb.DigestCloseResponse{Error: convert.ErrorToProto(err)}, nil
	}
	s.remove(req.GetDigest())
	sd.mu.Lock()
	err = sd.d.Close()
	sd.mu.Unlock()
	return &pb.DigestCloseResponse{Error: convert.ErrorToProto(err)}, nil
}

// UpdateDigests implements pb.BackendServer: it writes every received chunk
// into every named digest, one goroutine per digest so that several digests
// of the same bytes use several cores. It answers early when a digest
// fails; the client then sees io.EOF on Send and reads the answer.
func (s *server) UpdateDigests(stream pb.Backend_UpdateDigestsServer) error {
	first, err := stream.Recv()
	if errors.Is(err, io.EOF) {
		return stream.SendAndClose(&pb.UpdateDigestsResponse{Error: convert.ErrorToProto(errors.New("empty bulk update"))})
	}
	if err != nil {
		return err
	}
	sds, err := s.lockAll(first.GetDigests())
	if err != nil {
		return stream.SendAndClose(&pb.UpdateDigestsResponse{Error: convert.ErrorToProto(err)})
	}
	defer func() {
		for _, sd := range sds {
			sd.mu.Unlock()
		}
	}()
	fan := newFanout(sds)
	var total int64
	msg := first
	for {
		if data := msg.GetData(); len(data) > 0 {
			if err := fan.write(data); err != nil {
				break
			}
			total += int64(len(data))
		}
		msg, err = stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fan.wait()
			return err
		}
		if len(msg.GetDigests()) != 0 {
			fan.fail(errors.New("bulk update: digest handles repeated after the first message"))
			break
		}
	}
	if err := fan.wait(); err != nil {
		return stream.SendAndClose(&pb.UpdateDigestsResponse{Written: total, Error: convert.ErrorToProto(err)})
	}
	return stream.SendAndClose(&pb.UpdateDigestsResponse{Written: total})
}

// lockAll resolves and locks the digests of a bulk update, in handle order
// so that concurrent bulk updates cannot deadlock.
func (s *server) lockAll(ids []uint64) ([]*serverDigest, error) {
	if len(ids) == 0 {
		return nil, errors.New("bulk update names no digest")
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != len(ids) {
		return nil, errors.New("bulk update names a digest twice")
	}
	sds := make([]*serverDigest, 0, len(sorted))
	for _, id := range sorted {
		sd, err := s.get(id)
		if err != nil {
			return nil, err
		}
		sds = append(sds, sd)
	}
	for _, sd := range sds {
		sd.mu.Lock()
	}
	return sds, nil
}

// fanout writes chunks into several digests concurrently. Chunks are shared
// read-only between the workers.
type fanout struct {
	chans []chan []byte
	wg    sync.WaitGroup

	mu  sync.Mutex
	err error
	// failed is closed on the first error so that write stops early.
	failed chan struct{}
	once   sync.Once
	waited bool
}

func newFanout(sds []*serverDigest) *fanout {
	f := &fanout{failed: make(chan struct{})}
	for _, sd := range sds {
		ch := make(chan []byte, fanoutDepth)
		f.chans = append(f.chans, ch)
		f.wg.Add(1)
		go func(d core.Digest) {
			defer f.wg.Done()
			for chunk := range ch {
				if f.failedNow() {
					continue // drain
				}
				if _, err := d.Write(chunk); err != nil {
					f.fail(fmt.Errorf("updating %v digest: %w", d.Algo(), err))
				}
			}
		}(sd.d)
	}
	return f
}

func (f *fanout) failedNow() bool {
	select {
	case <-f.failed:
		return true
	default:
		return false
	}
}

// fail records the first error.
func (f *fanout) fail(err error) {
	f.once.Do(func() {
		f.mu.Lock()
		f.err = err
		f.mu.Unlock()
		close(f.failed)
	})
}

// write queues chunk for every digest; it returns the first error so far.
func (f *fanout) write(chunk []byte) error {
	for _, ch := range f.chans {
		select {
		case ch <- chunk:
		case <-f.failed:
			return f.firstErr()
		}
	}
	return nil
}

func (f *fanout) firstErr() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// wait closes the queues, waits for the workers and returns the first
// error. It may be called more than once.
func (f *fanout) wait() error {
	if !f.waited {
		f.waited = true
		for _, ch := range f.chans {
			close(ch)
		}
		f.wg.Wait()
	}
	return f.firstErr()
}
