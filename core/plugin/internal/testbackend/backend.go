// Package testbackend is a fake [core.Backend] for the plugin tests. Its
// digests are real (Go's crypto packages); its parsing and verification are
// canned but deterministic; and a packet that starts with "cmd:" makes it
// misbehave on purpose, to prove the host's isolation rules:
//
//	cmd:panic     panic (the process dies with exit status 2)
//	cmd:exit      os.Exit(3)
//	cmd:hang      block for an hour (after creating the file named by
//	              $RPMPGP_TESTBACKEND_HANGING, when set: the call is in flight)
//	cmd:slow      answer "slow" (in the Lint) after 200 ms
//	cmd:garbage   answer with values no real backend may return
//	cmd:badutf8   answer with invalid UTF-8 in a string
//	cmd:options   answer with the Options of the last Init (in the Lint)
//	cmd:pid       answer with the process ID (in the Lint)
//
// Any other command is answered with `unknown command "NAME"` (in the Lint).
//
// Commands work on ParseSignature and LintKey. The binary is
// cmd/rpmpgp-backend-test.
package testbackend

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
)

// EnvHanging names the variable whose file cmd:hang creates before it
// blocks, so that a test knows the call is in flight.
const EnvHanging = "RPMPGP_TESTBACKEND_HANGING"

// CommandPrefix starts a packet that is a command rather than data.
const CommandPrefix = "cmd:"

// Backend is the fake backend. The zero value is not usable; call [New].
type Backend struct {
	mu   sync.Mutex
	opts core.Options
}

var _ core.Backend = (*Backend)(nil)

// New returns a fake backend.
func New() *Backend { return &Backend{} }

// Init implements [core.Initializer]; FIPS "require" fails as a backend
// without FIPS support must.
func (b *Backend) Init(opts core.Options) error {
	if opts.FIPS == "require" {
		return errors.New("testbackend: FIPS mode is not available")
	}
	b.mu.Lock()
	b.opts = opts
	b.mu.Unlock()
	return nil
}

// command runs the misbehaving commands; ok is false for ordinary data.
func (b *Backend) command(pkt []byte) (lint string, ok bool) {
	cmd, isCmd := strings.CutPrefix(string(pkt), CommandPrefix)
	if !isCmd {
		return "", false
	}
	switch cmd {
	case "panic":
		panic("testbackend: panic on command")
	case "exit":
		// File descriptor 2 itself: go-plugin's Serve redirects os.Stderr.
		fmt.Fprintln(os.NewFile(2, "stderr"), "testbackend: exiting on command")
		os.Exit(3)
	case "hang":
		if f := os.Getenv(EnvHanging); f != "" {
			_ = os.WriteFile(f, nil, 0o600)
		}
		time.Sleep(time.Hour)
	case "slow":
		// Long enough for the packages after it in a batch to be done
		// first when the backend verifies a batch's packages in parallel.
		time.Sleep(200 * time.Millisecond)
		return "slow", true
	case "badutf8":
		return "bad \xff\xfe utf-8", true
	case "options":
		b.mu.Lock()
		o := b.opts
		b.mu.Unlock()
		return FormatOptions(o), true
	case "pid":
		return strconv.Itoa(os.Getpid()), true
	}
	return "unknown command " + strconv.Quote(cmd), true
}

// FormatOptions is how the "cmd:options" command reports Options.
func FormatOptions(o core.Options) string {
	policy := "<nil>"
	if o.Policy != nil {
		policy = strconv.Quote(string(o.Policy))
	}
	t := "<zero>"
	if !o.Time.IsZero() {
		t = o.Time.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("policy=%s source=%q time=%s fips=%q", policy, o.PolicySource, t, o.FIPS)
}

// keyID derives a fake key ID from data.
func keyID(data []byte) core.KeyID {
	sum := sha256.Sum256(data)
	var id core.KeyID
	copy(id[:], sum[:8])
	return id
}

// ParseSignature implements [core.Parser]: any non-empty packet is a v4
// RSA/SHA-256 binary signature whose issuer key ID is [SigKeyID] of the
// packet and whose hash prefix is the packet's first two bytes. An empty
// packet does not parse.
func (b *Backend) ParseSignature(pkt []byte) (core.ParseResult, error) {
	if lint, ok := b.command(pkt); ok {
		if string(pkt) == CommandPrefix+"garbage" {
			return core.ParseResult{Params: &core.Params{Kind: 9, KeyID: core.KeyID{1}}}, nil
		}
		return core.ParseResult{Lint: lint}, nil
	}
	if len(pkt) == 0 {
		return core.ParseResult{Lint: "testbackend: empty signature packet"}, nil
	}
	p := &core.Params{
		Kind: core.KindSignature, Version: 4, PubKeyAlgo: core.PubKeyRSA,
		HashAlgo: core.HashSHA256, SigType: 0, KeyID: SigKeyID(pkt),
		CreationTime: 1700000000, Packet: pkt,
	}
	copy(p.HashPrefix[:], pkt)
	return core.ParseResult{Params: p}, nil
}

// SigKeyID is the issuer key ID ParseSignature reports for pkt.
func SigKeyID(pkt []byte) core.KeyID { return keyID(append([]byte("sig"), pkt...)) }

// ParseCertificate implements [core.Parser]: any non-empty certificate is a
// v4 Ed25519 key with the user ID "Test <test@example.org>".
func (b *Backend) ParseCertificate(cert []byte) (core.ParseResult, error) {
	if len(cert) == 0 {
		return core.ParseResult{Lint: "testbackend: empty certificate"}, nil
	}
	fp, _ := b.Fingerprint(cert)
	id, _ := b.KeyID(cert)
	return core.ParseResult{Params: &core.Params{
		Kind: core.KindKey, Version: 4, PubKeyAlgo: core.PubKeyEd25519,
		HashAlgo: core.HashSHA512, SigType: -1, KeyID: id, Fingerprint: fp,
		UserID: "Test <test@example.org>", CreationTime: 1600000000, Packet: cert,
	}}, nil
}

// Subkeys implements [core.Parser]: two subkeys for any non-empty cert.
func (b *Backend) Subkeys(cert []byte) ([]*core.Params, error) {
	if len(cert) == 0 {
		return nil, errors.New("testbackend: empty certificate")
	}
	var out []*core.Params
	for i := range 2 {
		sub := append([]byte{byte(i)}, cert...)
		out = append(out, &core.Params{
			Kind: core.KindSubkey, Version: 4, PubKeyAlgo: core.PubKeyRSA,
			SigType: -1, KeyID: keyID(sub), Fingerprint: fingerprint(sub), Packet: cert,
		})
	}
	return out, nil
}

// VerifySignature implements [core.SignatureVerifier]: NOKEY without a key;
// OK when the digest's value starts with the signature's hash prefix and the
// key ID matches the issuer; BAD otherwise.
func (b *Backend) VerifySignature(key, sig *core.Params, d core.Digest) (core.Verdict, error) {
	if sig == nil || d == nil {
		return core.Verdict{}, errors.New("testbackend: no signature or digest")
	}
	dup, err := d.Dup()
	if err != nil {
		return core.Verdict{}, err
	}
	sum, err := dup.Final()
	if err != nil {
		return core.Verdict{}, err
	}
	if !bytes.Equal(sum[:2], sig.HashPrefix[:]) {
		return core.Verdict{RC: core.RCFail, Lint: "testbackend: digest prefix mismatch"}, nil
	}
	if key == nil {
		return core.Verdict{RC: core.RCNoKey, Lint: "testbackend: no key"}, nil
	}
	if key.KeyID != sig.KeyID {
		return core.Verdict{RC: core.RCFail, Lint: "testbackend: wrong key"}, nil
	}
	return core.Verdict{RC: core.RCOK}, nil
}

// LintKey implements [core.KeyTools]: OK for a non-empty certificate, FAIL
// for an empty one; commands as documented.
func (b *Backend) LintKey(cert []byte) (core.Verdict, error) {
	if lint, ok := b.command(cert); ok {
		if string(cert) == CommandPrefix+"garbage" {
			return core.Verdict{RC: 99, Lint: "garbage"}, nil
		}
		return core.Verdict{RC: core.RCOK, Lint: lint}, nil
	}
	if len(cert) == 0 {
		return core.Verdict{RC: core.RCFail, Lint: "testbackend: empty certificate"}, nil
	}
	return core.Verdict{RC: core.RCOK}, nil
}

func fingerprint(pkt []byte) []byte {
	sum := sha1.Sum(pkt)
	return sum[:]
}

// Fingerprint implements [core.KeyTools]: SHA-1 of the packet.
func (b *Backend) Fingerprint(pkt []byte) ([]byte, error) {
	if len(pkt) == 0 {
		return nil, errors.New("testbackend: empty key packet")
	}
	return fingerprint(pkt), nil
}

// KeyID implements [core.KeyTools]: the last 8 bytes of the fingerprint.
func (b *Backend) KeyID(pkt []byte) (core.KeyID, error) {
	fp, err := b.Fingerprint(pkt)
	if err != nil {
		return core.KeyID{}, err
	}
	var id core.KeyID
	copy(id[:], fp[len(fp)-8:])
	return id, nil
}

// CertLen implements [core.KeyTools]: a certificate ends at the first NUL
// byte (or at the end).
func (b *Backend) CertLen(pkts []byte) (int, error) {
	if len(pkts) == 0 {
		return 0, errors.New("testbackend: no certificate")
	}
	if i := bytes.IndexByte(pkts, 0); i > 0 {
		return i, nil
	}
	return len(pkts), nil
}

// Merge implements [core.KeyTools]: a when both are equal; otherwise
// [core.ErrNotSupported].
func (b *Backend) Merge(a, bb []byte) ([]byte, error) {
	if bytes.Equal(a, bb) {
		return a, nil
	}
	return nil, fmt.Errorf("testbackend: merge: %w", core.ErrNotSupported)
}

// armorHeader is the only armor the fake understands.
const armorHeader = "-----BEGIN PGP SIGNATURE-----\n"

// ParseArmor implements [core.Armorer]: armorHeader followed by base64.
func (b *Backend) ParseArmor(text []byte) (core.ArmorKind, []byte, error) {
	body, ok := bytes.CutPrefix(text, []byte(armorHeader))
	if !ok {
		return core.ArmorErrNoBeginPGP, nil, nil
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(body)))
	if err != nil {
		return core.ArmorErrBodyDecode, nil, nil
	}
	return core.ArmorSignature, data, nil
}

// WrapArmor implements [core.Armorer] for signatures only.
func (b *Backend) WrapArmor(kind core.ArmorKind, data []byte) (string, error) {
	if kind != core.ArmorSignature {
		return "", fmt.Errorf("testbackend: cannot armor kind %d", kind)
	}
	return armorHeader + base64.StdEncoding.EncodeToString(data) + "\n", nil
}

// Capabilities implements [core.Capable]: none, core drives this
// in-process backend call by call (in a backend process, next to it).
func (b *Backend) Capabilities() core.Capabilities { return core.Capabilities{} }

// Describe implements [core.Describer].
func (b *Backend) Describe() (core.Description, error) {
	return core.Description{
		Name: "test", Version: "1.0", Profile: core.ProfileStrict, Library: "Go crypto",
		PubKeyAlgos: []string{"RSA", "Ed25519"},
		HashAlgos:   []string{"MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA3-256", "SHA3-512"},
		Notes:       "fake backend for tests",
	}, nil
}

// NewDigest implements [core.Digester] with Go's hashes.
func (b *Backend) NewDigest(algo core.HashAlgo) (core.Digest, error) {
	var h hash.Hash
	switch algo {
	case core.HashMD5:
		h = md5.New()
	case core.HashSHA1:
		h = sha1.New()
	case core.HashSHA224:
		h = sha256.New224()
	case core.HashSHA256:
		h = sha256.New()
	case core.HashSHA384:
		h = sha512.New384()
	case core.HashSHA512:
		h = sha512.New()
	case core.HashSHA3_256:
		h = sha3.New256()
	case core.HashSHA3_512:
		h = sha3.New512()
	default:
		return nil, fmt.Errorf("testbackend: %v (%d): %w", algo, algo, core.ErrUnsupportedDigest)
	}
	return &digest{algo: algo, h: h.(hash.Cloner)}, nil
}

// digest is a [core.Digest] over a Go hash.
type digest struct {
	algo core.HashAlgo
	h    hash.Cloner
	done bool
}

var errDigestDone = errors.New("testbackend: digest used after Final or Close")

func (d *digest) Algo() core.HashAlgo { return d.algo }

func (d *digest) Write(p []byte) (int, error) {
	if d.done {
		return 0, errDigestDone
	}
	return d.h.Write(p)
}

func (d *digest) Dup() (core.Digest, error) {
	if d.done {
		return nil, errDigestDone
	}
	c, err := d.h.Clone()
	if err != nil {
		return nil, err
	}
	return &digest{algo: d.algo, h: c}, nil
}

func (d *digest) Final() ([]byte, error) {
	if d.done {
		return nil, errDigestDone
	}
	d.done = true
	return d.h.Sum(nil), nil
}

func (d *digest) Close() error {
	d.done = true
	return nil
}
