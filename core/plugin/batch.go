package plugin

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/convert"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

var (
	_ core.KeyImporter     = (*Client)(nil)
	_ core.PackageVerifier = (*Client)(nil)
)

// ImportKeys implements [core.KeyImporter]: the whole import runs in the
// backend process in one call. Files too large for one message are
// refused with [core.ErrNotSupported], so that the caller imports them call
// by call.
func (c *Client) ImportKeys(files []core.KeyFile) ([]core.KeyringCert, []core.ImportResult, error) {
	const op = "ImportKeys"
	total := 0
	for _, f := range files {
		total += len(f.Data) + len(f.Source)
	}
	if total > maxRequestData {
		return nil, nil, c.opError(op, fmt.Errorf("%w: %d bytes of key files do not fit one message", core.ErrNotSupported, total))
	}
	resp, err := invoke(c, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.ImportKeysResponse, error) {
		return rpc.ImportKeys(ctx, &pb.ImportKeysRequest{Files: convert.KeyFilesToProto(files)})
	})
	if err != nil {
		return nil, nil, err
	}
	certs, err := convert.KeyringCertsFromProto(resp.GetCerts())
	if err != nil {
		return nil, nil, c.opError(op, protocolError(err))
	}
	results, err := convert.ImportResultsFromProto(resp.GetResults())
	if err != nil {
		return nil, nil, c.opError(op, protocolError(err))
	}
	return certs, results, nil
}

// VerifyPackage implements [core.PackageVerifier]: the backend process runs
// the package flow on f itself, which it receives over the descriptor
// channel, with kr (sent along with the first package of each process and
// keyring version) and cfg. A
// file that is not a regular file, or a process without a descriptor
// channel, gives [core.ErrNotSupported] so that the caller runs the flow
// call by call. The deadline is the call timeout per MiB of the file.
func (c *Client) VerifyPackage(f *os.File, name string, kr *core.Keyring, cfg core.Config) (*core.Result, error) {
	const op = "VerifyPackage"
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil, c.opError(op, fmt.Errorf("%w: %s is not a regular file", core.ErrNotSupported, name))
	}
	inst, err := c.current()
	if err != nil {
		return nil, c.opError(op, err)
	}
	if inst.fds == nil {
		return nil, c.opError(op, fmt.Errorf("%w: %w", core.ErrNotSupported, errNoFDChannel))
	}
	certs, version := kr.Snapshot()
	for attempt := 0; ; attempt++ {
		req := &pb.VerifyPackageRequest{Keyring: version, Config: convert.ConfigToProto(cfg), Name: convert.String(name)}
		if !inst.hasKeyring(version) {
			req.KeyringIncluded = true
			req.KeyringCerts = convert.KeyringCertsToProto(certs)
			if n := proto.Size(req); n > maxRequestData {
				return nil, c.opError(op, fmt.Errorf("%w: a keyring of %d bytes does not fit one message", core.ErrNotSupported, n))
			}
		}
		resp, err := c.verifyPackageOnce(inst, f, fi.Size(), req)
		if err != nil {
			return nil, err
		}
		if resp.GetUnknownKeyring() {
			inst.forgetKeyring(version)
			if attempt == 0 {
				continue
			}
			return nil, c.opError(op, protocolError(errors.New("the backend lost the keyring it was just sent")))
		}
		if req.KeyringIncluded {
			inst.addKeyring(version)
		}
		if e := resp.GetError(); e != nil {
			return nil, c.opError(op, convert.ErrorFromProto(e))
		}
		res, err := convert.ResultFromProto(resp.GetResult())
		if err != nil {
			return nil, c.opError(op, protocolError(err))
		}
		res.Path = name
		c.batched.Add(1)
		return res, nil
	}
}

// verifyPackageOnce passes f and makes one VerifyPackage call on inst.
func (c *Client) verifyPackageOnce(inst *instance, f *os.File, size int64, req *pb.VerifyPackageRequest) (*pb.VerifyPackageResponse, error) {
	const op = "VerifyPackage"
	tok, err := inst.fds.send(f)
	if err != nil {
		// The backend's end is gone: so is the backend.
		c.retire(inst)
		return nil, c.opError(op, fmt.Errorf("%w (%v); a new process is started for the next call", ErrBackendFailed, err))
	}
	req.FileToken = tok
	timeout := c.timeout * (1 + time.Duration(size/chunkSize))
	ctx, cancel := context.WithTimeoutCause(c.ctx, timeout, errCallTimeout)
	defer cancel()
	resp, err := inst.rpc.VerifyPackage(ctx, req)
	if err != nil {
		return nil, c.callFailed(ctx, inst, op, err)
	}
	return resp, nil
}

// addKeyring records that the process holds keyring version v.
func (i *instance) addKeyring(v uint64) {
	i.kmu.Lock()
	defer i.kmu.Unlock()
	if i.keyrings == nil {
		i.keyrings = make(map[uint64]bool)
	}
	i.keyrings[v] = true
}

// hasKeyring reports whether the process was sent keyring version v.
func (i *instance) hasKeyring(v uint64) bool {
	i.kmu.Lock()
	defer i.kmu.Unlock()
	return i.keyrings[v]
}

// forgetKeyring records that the process no longer holds version v.
func (i *instance) forgetKeyring(v uint64) {
	i.kmu.Lock()
	defer i.kmu.Unlock()
	delete(i.keyrings, v)
}
