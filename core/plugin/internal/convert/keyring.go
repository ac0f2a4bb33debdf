package convert

import (
	"fmt"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// Bounds on what a peer may send in one keyring message; real keyrings hold
// tens of certificates with a few subkeys each.
const (
	maxKeyringCerts = 1 << 16
	maxSubkeys      = 1 << 10
	maxImportRes    = 1 << 17
)

// KeyFilesToProto converts files.
func KeyFilesToProto(files []core.KeyFile) []*pb.KeyFile {
	out := make([]*pb.KeyFile, len(files))
	for i, f := range files {
		out[i] = &pb.KeyFile{Source: String(f.Source), Data: f.Data}
	}
	return out
}

// KeyFilesFromProto converts files; a nil element is an error.
func KeyFilesFromProto(files []*pb.KeyFile) ([]core.KeyFile, error) {
	out := make([]core.KeyFile, len(files))
	for i, f := range files {
		if f == nil {
			return nil, fmt.Errorf("key file %d: missing", i)
		}
		out[i] = core.KeyFile{Source: f.Source, Data: f.Data}
	}
	return out, nil
}

// KeyringCertsToProto converts certs.
func KeyringCertsToProto(certs []core.KeyringCert) []*pb.KeyringCert {
	out := make([]*pb.KeyringCert, len(certs))
	for i, c := range certs {
		subs := make([]*pb.Params, len(c.Subkeys))
		for j, s := range c.Subkeys {
			subs[j] = paramsNoPacket(s, c.Primary)
		}
		out[i] = &pb.KeyringCert{Primary: ParamsToProto(c.Primary), Subkeys: subs, Source: String(c.Source)}
	}
	return out
}

// paramsNoPacket converts a subkey; its Packet is the primary's whole
// certificate, so it is sent once (with the primary) and restored on the
// other side instead of being repeated per subkey.
func paramsNoPacket(s, primary *core.Params) *pb.Params {
	p := ParamsToProto(s)
	if p != nil && primary != nil && sameBytes(s.Packet, primary.Packet) {
		p.Packet = nil
	}
	return p
}

// sameBytes reports whether a and b are the same slice (not just equal).
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// KeyringCertsFromProto converts certs. A certificate without a primary key
// or a nil subkey is an error; a subkey without a packet gets the primary's.
func KeyringCertsFromProto(certs []*pb.KeyringCert) ([]core.KeyringCert, error) {
	if len(certs) > maxKeyringCerts {
		return nil, fmt.Errorf("keyring: %d certificates, limit %d", len(certs), maxKeyringCerts)
	}
	out := make([]core.KeyringCert, len(certs))
	for i, c := range certs {
		if c == nil || c.Primary == nil {
			return nil, fmt.Errorf("keyring certificate %d: missing primary key", i)
		}
		if len(c.Subkeys) > maxSubkeys {
			return nil, fmt.Errorf("keyring certificate %d: %d subkeys, limit %d", i, len(c.Subkeys), maxSubkeys)
		}
		primary, err := ParamsFromProto(c.Primary)
		if err != nil {
			return nil, fmt.Errorf("keyring certificate %d: %w", i, err)
		}
		var subs []*core.Params
		if len(c.Subkeys) > 0 {
			subs = make([]*core.Params, len(c.Subkeys))
		}
		for j, s := range c.Subkeys {
			if s == nil {
				return nil, fmt.Errorf("keyring certificate %d: subkey %d missing", i, j)
			}
			if subs[j], err = ParamsFromProto(s); err != nil {
				return nil, fmt.Errorf("keyring certificate %d: subkey %d: %w", i, j, err)
			}
			if len(s.Packet) == 0 {
				subs[j].Packet = primary.Packet
			}
		}
		out[i] = core.KeyringCert{Primary: primary, Subkeys: subs, Source: c.Source}
	}
	return out, nil
}

// ImportResultsToProto converts rs.
func ImportResultsToProto(rs []core.ImportResult) []*pb.ImportResult {
	out := make([]*pb.ImportResult, len(rs))
	for i, r := range rs {
		out[i] = &pb.ImportResult{
			Source: String(r.Source), Index: clampInt32(r.Index), Fingerprint: r.Fingerprint,
			Rc: pb.RC(r.RC), Lint: String(r.Lint), Error: String(r.Err),
		}
	}
	return out
}

// ImportResultsFromProto converts rs; unknown result codes are an error.
func ImportResultsFromProto(rs []*pb.ImportResult) ([]core.ImportResult, error) {
	if len(rs) > maxImportRes {
		return nil, fmt.Errorf("import results: %d, limit %d", len(rs), maxImportRes)
	}
	out := make([]core.ImportResult, len(rs))
	for i, r := range rs {
		if r == nil {
			return nil, fmt.Errorf("import result %d: missing", i)
		}
		if r.Rc < pb.RC_RC_INVALID || r.Rc > pb.RC_RC_NO_KEY {
			return nil, fmt.Errorf("import result %d: unknown result code %d", i, r.Rc)
		}
		if len(r.Fingerprint) > maxFingerprintLen {
			return nil, fmt.Errorf("import result %d: fingerprint of %d bytes", i, len(r.Fingerprint))
		}
		out[i] = core.ImportResult{
			Source: r.Source, Index: int(r.Index), Fingerprint: r.Fingerprint,
			RC: core.RC(r.Rc), Lint: r.Lint, Err: r.Error,
		}
	}
	return out, nil
}
