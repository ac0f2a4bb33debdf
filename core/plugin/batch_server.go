package plugin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/convert"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// maxKeyrings bounds the keyrings a backend process keeps for VerifyPackage;
// the oldest is dropped first (the host sends it again when it needs it).
const maxKeyrings = 8

// ImportKeys implements pb.BackendServer: core.LoadKeyring's import, run
// with this process's backend.
func (s *server) ImportKeys(_ context.Context, req *pb.ImportKeysRequest) (*pb.ImportKeysResponse, error) {
	files, err := convert.KeyFilesFromProto(req.GetFiles())
	if err != nil {
		return &pb.ImportKeysResponse{Error: convert.ErrorToProto(err)}, nil
	}
	kr := core.NewKeyring(s.impl)
	var results []core.ImportResult
	for _, f := range files {
		results = append(results, kr.Add(f.Data, f.Source)...)
	}
	certs, _ := kr.Snapshot()
	return &pb.ImportKeysResponse{
		Certs:   convert.KeyringCertsToProto(certs),
		Results: convert.ImportResultsToProto(results),
	}, nil
}

// SetKeyring implements pb.BackendServer.
func (s *server) SetKeyring(_ context.Context, req *pb.SetKeyringRequest) (*pb.SetKeyringResponse, error) {
	certs, err := convert.KeyringCertsFromProto(req.GetCerts())
	if err != nil {
		return &pb.SetKeyringResponse{Error: convert.ErrorToProto(err)}, nil
	}
	kr := core.NewKeyringFrom(s.impl, certs)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keyrings == nil {
		s.keyrings = make(map[uint64]*core.Keyring)
	}
	for len(s.keyrings) >= maxKeyrings {
		oldest := uint64(math.MaxUint64)
		for id := range s.keyrings {
			oldest = min(oldest, id)
		}
		delete(s.keyrings, oldest)
	}
	s.keyrings[req.GetId()] = kr
	return &pb.SetKeyringResponse{}, nil
}

// VerifyPackage implements pb.BackendServer: core.Verifier.Verify with this
// process's backend, on the file the host passed over the descriptor
// channel, read from offset 0 with pread (the shared file offset is not
// moved).
func (s *server) VerifyPackage(ctx context.Context, req *pb.VerifyPackageRequest) (*pb.VerifyPackageResponse, error) {
	fail := func(err error) (*pb.VerifyPackageResponse, error) {
		return &pb.VerifyPackageResponse{Error: convert.ErrorToProto(err)}, nil
	}
	if s.fds == nil {
		return fail(fmt.Errorf("%w: %w", core.ErrNotSupported, errNoFDChannel))
	}
	f, err := s.fds.take(ctx, req.GetFileToken())
	if err != nil {
		if errors.Is(err, errNoFDChannel) {
			err = fmt.Errorf("%w: %w", core.ErrNotSupported, err)
		}
		return fail(err)
	}
	defer f.Close()
	cfg, err := convert.ConfigFromProto(req.GetConfig())
	if err != nil {
		return fail(err)
	}
	s.mu.Lock()
	kr := s.keyrings[req.GetKeyring()]
	s.mu.Unlock()
	if kr == nil {
		return &pb.VerifyPackageResponse{UnknownKeyring: true}, nil
	}
	v, err := core.NewVerifier(s.impl, kr, cfg)
	if err != nil {
		return fail(err)
	}
	res, err := v.Verify(io.NewSectionReader(f, 0, math.MaxInt64), req.GetName())
	if err != nil {
		return fail(err)
	}
	return &pb.VerifyPackageResponse{Result: convert.ResultToProto(res)}, nil
}
