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
	for len(s.keyrings) >= maxKeyrings {
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
	kr, err := s.keyring(req.GetKeyring(), req.GetKeyringIncluded(), req.GetKeyringCerts())
	if err != nil {
		return fail(err)
	}
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
