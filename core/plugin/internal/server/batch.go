package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/convert"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
	"github.com/rpmpgp/rpmpgp/core/verify"
)

// ImportKeys implements pb.BackendServer: core.LoadKeyring's import, run
// with this process's backend.
func (s *server) ImportKeys(_ context.Context, req *pb.ImportKeysRequest) (*pb.ImportKeysResponse, error) {
	files, err := convert.KeyFilesFromProto(req.GetFiles())
	if err != nil {
		return &pb.ImportKeysResponse{Error: convert.ErrorToProto(err)}, nil
	}
	certs, results := s.importKeys(files)
	return &pb.ImportKeysResponse{Certs: certs, Results: results}, nil
}

// importKeys imports key files into a new keyring with this process's
// backend and returns the keyring's certificates and the per-certificate
// results, ready for the wire.
func (s *server) importKeys(files []core.KeyFile) ([]*pb.KeyringCert, []*pb.ImportResult) {
	kr := core.NewKeyring(s.impl)
	var results []core.ImportResult
	for _, f := range files {
		results = append(results, kr.Add(f.Data, f.Source)...)
	}
	certs, _ := kr.Snapshot()
	return convert.KeyringCertsToProto(certs), convert.ImportResultsToProto(results)
}

// keyring returns keyring version id; when included, certs replace what
// the process held under id. nil means unknown.
func (s *server) keyring(id uint64, included bool, certs []*pb.KeyringCert) (*core.Keyring, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !included {
		return s.keyrings[id], nil
	}
	cs, err := convert.KeyringCertsFromProto(certs)
	if err != nil {
		return nil, err
	}
	if s.keyrings == nil {
		s.keyrings = make(map[uint64]*core.Keyring)
	}
	for len(s.keyrings) >= wire.MaxKeyrings {
		oldest := uint64(math.MaxUint64)
		for k := range s.keyrings {
			oldest = min(oldest, k)
		}
		delete(s.keyrings, oldest)
	}
	kr := core.NewKeyringFrom(s.impl, cs)
	s.keyrings[id] = kr
	return kr, nil
}

// large reports whether f is a package that takes long enough to verify
// that the answers before it are sent first (1 MiB or more).
func large(f *os.File) bool {
	fi, err := f.Stat()
	return err != nil || fi.Size() >= wire.ChunkSize
}

// VerifyPackages implements pb.BackendServer: verify.Verifier.Verify with
// this process's backend on each file the host passed over the descriptor
// channel, several at once (see parallelAnswers), each read from offset 0
// with pread (the shared file offset is not moved). The answers go out in
// request order a few at a time (see wire.AnswersPerMessage), so that when
// the process dies the host knows which packages were done.
func (s *server) VerifyPackages(req *pb.VerifyPackagesRequest, stream pb.Backend_VerifyPackagesServer) error {
	ctx := stream.Context()
	pkgs := req.GetPackages()
	// Every descriptor sent for this call is claimed, even when the call
	// is refused, so that none stays open in this process.
	files := make([]*os.File, len(pkgs))
	defer func() {
		for _, f := range files {
			if f != nil {
				f.Close()
			}
		}
	}()
	fail := func(err error) error {
		return stream.Send(&pb.VerifyPackagesResponse{Error: convert.ErrorToProto(err)})
	}
	if s.fds == nil {
		return fail(fmt.Errorf("%w: %w", core.ErrNotSupported, fdpass.ErrNoChannel))
	}
	if len(pkgs) == 0 {
		return nil // nothing was sent, nothing to answer
	}
	taken, err := s.fds.Take(ctx, req.GetFilesToken())
	if err != nil {
		if errors.Is(err, fdpass.ErrNoChannel) {
			err = fmt.Errorf("%w: %w", core.ErrNotSupported, err)
		}
		return fail(err)
	}
	if len(taken) != len(pkgs) {
		fdpass.CloseFiles(taken)
		return fail(fmt.Errorf("%d package descriptors for %d packages", len(taken), len(pkgs)))
	}
	copy(files, taken)
	cfg, err := convert.ConfigFromProto(req.GetConfig())
	if err != nil {
		return fail(err)
	}
	kr, err := s.keyring(req.GetKeyring(), req.GetKeyringIncluded(), req.GetKeyringCerts())
	if err != nil {
		return fail(err)
	}
	if kr == nil {
		return stream.Send(&pb.VerifyPackagesResponse{UnknownKeyring: true})
	}
	v, err := verify.NewVerifier(s.impl, kr, cfg)
	if err != nil {
		return fail(err)
	}
	big := make([]bool, len(files))
	for i, f := range files {
		big[i] = large(f)
	}
	// The files are the workers' from here on: each closes its own, stop
	// those never taken.
	answers := verifyAll(v, files, pkgs)
	files = nil
	defer answers.stop()
	resp := &pb.VerifyPackagesResponse{}
	for i := range pkgs {
		resp.Answers = append(resp.Answers, answers.next())
		if len(resp.Answers) == wire.AnswersPerMessage || i == len(pkgs)-1 || big[i+1] {
			if err := stream.Send(resp); err != nil {
				return err
			}
			resp = &pb.VerifyPackagesResponse{}
		}
	}
	return nil
}
