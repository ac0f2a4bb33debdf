// Package calls is the host side of the call-by-call path: the rpmpgp.h
// and rpmcrypto.h functions of [core.Backend], one gRPC call each, with
// digests held by the backend process behind handles (digest.go). The
// answers are checked: a value no correct backend gives is an error
// wrapping the wire's ErrProtocol.
package calls

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/convert"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/supervise"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// Client makes the calls through a supervised backend process.
type Client struct {
	s *supervise.Supervisor
}

// New returns the calls of s.
func New(s *supervise.Supervisor) *Client { return &Client{s: s} }

// maxFingerprint bounds a fingerprint answer (v6: 32 bytes).
const maxFingerprint = 64

// Describe implements [core.Describer]; Path is the backend binary and
// Protocol the negotiated protocol version.
func (c *Client) Describe() (core.Description, error) {
	const op = "Describe"
	resp, err := supervise.Invoke(c.s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.DescribeResponse, error) {
		return rpc.Describe(ctx, &pb.DescribeRequest{})
	})
	if err != nil {
		return core.Description{}, err
	}
	d, err := convert.DescriptionFromProto(resp.GetDescription())
	if err != nil {
		return core.Description{}, c.s.OpError(op, wire.ProtocolError(err))
	}
	d.Protocol = wire.ProtocolVersion
	d.Path = c.s.Path()
	return d, nil
}

// parse runs ParseSignature or ParseCertificate.
func (c *Client) parse(op string, data []byte, call func(pb.BackendClient, context.Context, *pb.PacketRequest) (*pb.ParseResponse, error)) (core.ParseResult, error) {
	if err := c.s.CheckSize(op, len(data)); err != nil {
		return core.ParseResult{}, err
	}
	resp, err := supervise.Invoke(c.s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.ParseResponse, error) {
		return call(rpc, ctx, &pb.PacketRequest{Data: data})
	})
	if err != nil {
		return core.ParseResult{}, err
	}
	r, err := convert.ParseResultFromProto(resp.GetResult())
	if err != nil {
		return core.ParseResult{}, c.s.OpError(op, wire.ProtocolError(err))
	}
	return r, nil
}

// ParseSignature implements [core.Parser].
func (c *Client) ParseSignature(pkt []byte) (core.ParseResult, error) {
	return c.parse("ParseSignature", pkt, func(rpc pb.BackendClient, ctx context.Context, req *pb.PacketRequest) (*pb.ParseResponse, error) {
		return rpc.ParseSignature(ctx, req)
	})
}

// ParseCertificate implements [core.Parser].
func (c *Client) ParseCertificate(cert []byte) (core.ParseResult, error) {
	return c.parse("ParseCertificate", cert, func(rpc pb.BackendClient, ctx context.Context, req *pb.PacketRequest) (*pb.ParseResponse, error) {
		return rpc.ParseCertificate(ctx, req)
	})
}

// Subkeys implements [core.Parser].
func (c *Client) Subkeys(cert []byte) ([]*core.Params, error) {
	const op = "Subkeys"
	if err := c.s.CheckSize(op, len(cert)); err != nil {
		return nil, err
	}
	resp, err := supervise.Invoke(c.s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.SubkeysResponse, error) {
		return rpc.Subkeys(ctx, &pb.PacketRequest{Data: cert})
	})
	if err != nil {
		return nil, err
	}
	ps, err := convert.ParamsListFromProto(resp.GetSubkeys())
	if err != nil {
		return nil, c.s.OpError(op, wire.ProtocolError(err))
	}
	return ps, nil
}

// VerifySignature implements [core.SignatureVerifier]. d must be a digest of
// this Client (from NewDigest or Dup) whose process is still running.
func (c *Client) VerifySignature(key *core.Params, sig *core.Params, d core.Digest) (core.Verdict, error) {
	const op = "VerifySignature"
	if sig == nil {
		return core.Verdict{}, c.s.OpError(op, errors.New("no signature params"))
	}
	rd, err := c.ownDigest(d)
	if err != nil {
		return core.Verdict{}, c.s.OpError(op, err)
	}
	n := len(sig.Packet)
	if key != nil {
		n += len(key.Packet)
	}
	if err := c.s.CheckSize(op, n); err != nil {
		return core.Verdict{}, err
	}
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if err := rd.usableLocked(); err != nil {
		return core.Verdict{}, c.s.OpError(op, err)
	}
	if err := rd.flushLocked(); err != nil {
		return core.Verdict{}, err
	}
	resp, err := supervise.InvokeOn(c.s, rd.inst, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.VerdictResponse, error) {
		return rpc.VerifySignature(ctx, &pb.VerifySignatureRequest{
			Key: convert.ParamsToProto(key), Sig: convert.ParamsToProto(sig), Digest: rd.id,
		})
	})
	if err != nil {
		return core.Verdict{}, err
	}
	return c.verdictAnswer(op, resp.GetVerdict())
}

// VerifyHash implements [core.HashVerifier]: sum is the digest of the
// signed data and the signature trailer, finalised by the caller. A backend
// that cannot verify a sum fails with [core.ErrNotSupported].
func (c *Client) VerifyHash(key *core.Params, sig *core.Params, sum []byte) (core.Verdict, error) {
	const op = "VerifyHash"
	if sig == nil {
		return core.Verdict{}, c.s.OpError(op, errors.New("no signature params"))
	}
	n := len(sig.Packet) + len(sum)
	if key != nil {
		n += len(key.Packet)
	}
	if err := c.s.CheckSize(op, n); err != nil {
		return core.Verdict{}, err
	}
	resp, err := supervise.Invoke(c.s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.VerdictResponse, error) {
		return rpc.VerifySignature(ctx, &pb.VerifySignatureRequest{
			Key: convert.ParamsToProto(key), Sig: convert.ParamsToProto(sig), Sum: append([]byte{}, sum...),
		})
	})
	if err != nil {
		return core.Verdict{}, err
	}
	return c.verdictAnswer(op, resp.GetVerdict())
}

// verdictAnswer converts the verdict of an answer.
func (c *Client) verdictAnswer(op string, v *pb.Verdict) (core.Verdict, error) {
	out, err := convert.VerdictFromProto(v)
	if err != nil {
		return core.Verdict{}, c.s.OpError(op, wire.ProtocolError(err))
	}
	return out, nil
}

// LintKey implements [core.KeyTools].
func (c *Client) LintKey(cert []byte) (core.Verdict, error) {
	const op = "LintKey"
	if err := c.s.CheckSize(op, len(cert)); err != nil {
		return core.Verdict{}, err
	}
	resp, err := supervise.Invoke(c.s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.VerdictResponse, error) {
		return rpc.LintKey(ctx, &pb.PacketRequest{Data: cert})
	})
	if err != nil {
		return core.Verdict{}, err
	}
	return c.verdictAnswer(op, resp.GetVerdict())
}

// Fingerprint implements [core.KeyTools].
func (c *Client) Fingerprint(pkt []byte) ([]byte, error) {
	const op = "Fingerprint"
	if err := c.s.CheckSize(op, len(pkt)); err != nil {
		return nil, err
	}
	resp, err := supervise.Invoke(c.s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.BytesResponse, error) {
		return rpc.Fingerprint(ctx, &pb.PacketRequest{Data: pkt})
	})
	if err != nil {
		return nil, err
	}
	fp := resp.GetData()
	if len(fp) == 0 || len(fp) > maxFingerprint {
		return nil, c.s.OpError(op, wire.ProtocolError(fmt.Errorf("fingerprint of %d bytes", len(fp))))
	}
	return fp, nil
}

// KeyID implements [core.KeyTools].
func (c *Client) KeyID(pkt []byte) (core.KeyID, error) {
	const op = "KeyID"
	if err := c.s.CheckSize(op, len(pkt)); err != nil {
		return core.KeyID{}, err
	}
	resp, err := supervise.Invoke(c.s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.BytesResponse, error) {
		return rpc.KeyID(ctx, &pb.PacketRequest{Data: pkt})
	})
	if err != nil {
		return core.KeyID{}, err
	}
	var id core.KeyID
	if len(resp.GetData()) != len(id) {
		return core.KeyID{}, c.s.OpError(op, wire.ProtocolError(fmt.Errorf("key ID of %d bytes", len(resp.GetData()))))
	}
	copy(id[:], resp.GetData())
	return id, nil
}

// CertLen implements [core.KeyTools].
func (c *Client) CertLen(pkts []byte) (int, error) {
	const op = "CertLen"
	if err := c.s.CheckSize(op, len(pkts)); err != nil {
		return 0, err
	}
	resp, err := supervise.Invoke(c.s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.CertLenResponse, error) {
		return rpc.CertLen(ctx, &pb.PacketRequest{Data: pkts})
	})
	if err != nil {
		return 0, err
	}
	n := resp.GetLength()
	if n <= 0 || n > int64(len(pkts)) {
		return 0, c.s.OpError(op, wire.ProtocolError(fmt.Errorf("certificate length %d for %d bytes of input", n, len(pkts))))
	}
	return int(n), nil
}

// Merge implements [core.KeyTools].
func (c *Client) Merge(a, b []byte) ([]byte, error) {
	const op = "Merge"
	if err := c.s.CheckSize(op, len(a)+len(b)); err != nil {
		return nil, err
	}
	resp, err := supervise.Invoke(c.s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.BytesResponse, error) {
		return rpc.Merge(ctx, &pb.MergeRequest{A: a, B: b})
	})
	if err != nil {
		return nil, err
	}
	if len(resp.GetData()) == 0 {
		return nil, c.s.OpError(op, wire.ProtocolError(errors.New("empty merged certificate")))
	}
	return resp.GetData(), nil
}

// ParseArmor implements [core.Armorer].
func (c *Client) ParseArmor(text []byte) (core.ArmorKind, []byte, error) {
	const op = "ParseArmor"
	if err := c.s.CheckSize(op, len(text)); err != nil {
		return 0, nil, err
	}
	resp, err := supervise.Invoke(c.s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.ParseArmorResponse, error) {
		return rpc.ParseArmor(ctx, &pb.PacketRequest{Data: text})
	})
	if err != nil {
		return 0, nil, err
	}
	k, data, err := convert.ParseArmorFromProto(resp.GetKind(), resp.GetData())
	if err != nil {
		return 0, nil, c.s.OpError(op, wire.ProtocolError(err))
	}
	return k, data, nil
}

// WrapArmor implements [core.Armorer].
func (c *Client) WrapArmor(kind core.ArmorKind, data []byte) (string, error) {
	const op = "WrapArmor"
	if err := c.s.CheckSize(op, len(data)); err != nil {
		return "", err
	}
	resp, err := supervise.Invoke(c.s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.WrapArmorResponse, error) {
		return rpc.WrapArmor(ctx, &pb.WrapArmorRequest{Kind: convert.ArmorKindToProto(kind), Data: data})
	})
	if err != nil {
		return "", err
	}
	if resp.GetText() == "" {
		return "", c.s.OpError(op, wire.ProtocolError(errors.New("empty armor")))
	}
	return resp.GetText(), nil
}

// NewDigest implements [core.Digester]: the digest lives in the backend
// process; the returned value is a handle that buffers small writes.
func (c *Client) NewDigest(algo core.HashAlgo) (core.Digest, error) {
	const op = "NewDigest"
	inst, err := c.s.Current()
	if err != nil {
		return nil, c.s.OpError(op, err)
	}
	resp, err := supervise.InvokeOn(c.s, inst, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.DigestResponse, error) {
		return rpc.NewDigest(ctx, &pb.NewDigestRequest{Algo: uint32(algo)})
	})
	if err != nil {
		return nil, err
	}
	return c.newRemoteDigest(op, inst, algo, resp)
}

// newRemoteDigest validates a DigestResponse for algo.
func (c *Client) newRemoteDigest(op string, inst *supervise.Instance, algo core.HashAlgo, resp *pb.DigestResponse) (*remoteDigest, error) {
	if resp.GetDigest() == 0 || resp.GetAlgo() != uint32(algo) {
		err := wire.ProtocolError(fmt.Errorf("digest handle %d for algorithm %d, asked for %d", resp.GetDigest(), resp.GetAlgo(), algo))
		return nil, c.s.OpError(op, err)
	}
	return &remoteDigest{c: c, inst: inst, id: resp.GetDigest(), algo: algo}, nil
}

// ownDigest returns d as a digest of this Client.
func (c *Client) ownDigest(d core.Digest) (*remoteDigest, error) {
	rd, ok := d.(*remoteDigest)
	if !ok || rd == nil {
		return nil, fmt.Errorf("digest %T was not created by this backend", d)
	}
	if rd.c != c {
		return nil, fmt.Errorf("digest belongs to backend %q", rd.c.s.Name())
	}
	return rd, nil
}

// sortedUnique reports whether ids are distinct.
func distinct(ids []uint64) bool {
	s := slices.Clone(ids)
	slices.Sort(s)
	return len(slices.Compact(s)) == len(ids)
}
