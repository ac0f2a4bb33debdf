package verify

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/rpmgen"
	"github.com/rpmpgp/rpmpgp/internal/testutil"

	"github.com/rpmpgp/rpmpgp/core"
)

// fakeBackend is a [core.Backend] for the flow's tests: digests are Go's own,
// signatures are fakeSig encodings whose "math" is a comparison of the
// signed data's digest with the one the signature carries, and the verdict
// for a matching signature comes from a table keyed by the key's ID. It
// knows nothing of certificates: keyrings are built with [core.NewKeyringFrom].
type fakeBackend struct {
	// verdicts answers VerifySignature for a key whose digest matched;
	// a key ID not in it gives OK.
	verdicts map[core.KeyID]core.Verdict
	// noHash lists hash algorithms NewDigest refuses.
	noHash map[core.HashAlgo]bool

	mu    sync.Mutex
	calls []string // VerifySignature calls, "<key ID or nil>:<RC>"
}

var _ core.Backend = (*fakeBackend)(nil)

// fakeMagic starts every fake signature packet.
const fakeMagic = "FAKESIG"

// fakeSig is the content of a fake signature packet: fakeMagic, version,
// public-key algorithm, hash algorithm, signature type, key ID, salt length
// and salt, then the digest of the signed data (salt first) that a correct
// signature carries.
type fakeSig struct {
	version int
	algo    core.PubKeyAlgo
	hash    core.HashAlgo
	sigType byte
	keyID   core.KeyID
	salt    []byte
	digest  []byte
}

// encode returns the packet bytes.
func (s fakeSig) encode() []byte {
	b := []byte(fakeMagic)
	b = append(b, byte(s.version), byte(s.algo), byte(s.hash), s.sigType)
	b = append(b, s.keyID[:]...)
	b = append(b, byte(len(s.salt)))
	b = append(b, s.salt...)
	return append(b, s.digest...)
}

// signFake returns the packet of a fake signature by key over data.
func signFake(t testing.TB, s fakeSig, data []byte) []byte {
	t.Helper()
	h := newHash(s.hash)
	if h == nil {
		t.Fatalf("fake signature: no hash %v", s.hash)
	}
	h.Write(s.salt)
	h.Write(data)
	s.digest = h.Sum(nil)
	return s.encode()
}

func newHash(a core.HashAlgo) hash.Hash {
	switch a {
	case core.HashMD5:
		return md5.New()
	case core.HashSHA1:
		return sha1.New()
	case core.HashSHA256:
		return sha256.New()
	case core.HashSHA512:
		return sha512.New()
	case core.HashSHA3_256:
		return sha3.New256()
	}
	return nil
}

func (b *fakeBackend) Init(core.Options) error { return nil }

// ParseSignature decodes a fakeSig; anything else does not parse, with a
// lint.
func (b *fakeBackend) ParseSignature(pkt []byte) (core.ParseResult, error) {
	rest, ok := bytes.CutPrefix(pkt, []byte(fakeMagic))
	if !ok || len(rest) < 13 || len(rest) < 13+int(rest[12]) {
		return core.ParseResult{Lint: "fake: not a signature"}, nil
	}
	p := &core.Params{
		Kind: core.KindSignature, Version: int(rest[0]), PubKeyAlgo: core.PubKeyAlgo(rest[1]), HashAlgo: core.HashAlgo(rest[2]),
		SigType: int(rest[3]), Packet: append([]byte(nil), pkt...),
	}
	copy(p.KeyID[:], rest[4:12])
	if n := int(rest[12]); n > 0 {
		p.Salt = append([]byte(nil), rest[13:13+n]...)
	}
	return core.ParseResult{Params: p}, nil
}

// VerifySignature compares the digest of d with the one sig carries: a
// mismatch is BAD, a match the table's verdict for key (NOKEY without a
// key, as rpm's sanity check of a signature whose key is missing).
func (b *fakeBackend) VerifySignature(key *core.Params, sig *core.Params, d core.Digest) (core.Verdict, error) {
	vd := b.verify(key, sig, d)
	who := "nil"
	if key != nil {
		who = fmt.Sprintf("%x", key.KeyID[:])
	}
	b.mu.Lock()
	b.calls = append(b.calls, who+":"+vd.RC.String())
	b.mu.Unlock()
	return vd, nil
}

func (b *fakeBackend) verify(key *core.Params, sig *core.Params, d core.Digest) core.Verdict {
	dup, err := d.Dup()
	if err != nil {
		return core.Verdict{RC: core.RCFail, Lint: err.Error()}
	}
	sum, err := dup.Final()
	if err != nil {
		return core.Verdict{RC: core.RCFail, Lint: err.Error()}
	}
	rest := sig.Packet[len(fakeMagic)+13+len(sig.Salt):]
	if key == nil {
		return core.Verdict{RC: core.RCNoKey}
	}
	if !bytes.Equal(rest, sum) {
		return core.Verdict{RC: core.RCFail, Lint: "fake: digest mismatch"}
	}
	if vd, ok := b.verdicts[key.KeyID]; ok {
		return vd
	}
	return core.Verdict{RC: core.RCOK}
}

func (b *fakeBackend) ParseCertificate([]byte) (core.ParseResult, error) {
	return core.ParseResult{}, core.ErrNotSupported
}
func (b *fakeBackend) Subkeys([]byte) ([]*core.Params, error) { return nil, core.ErrNotSupported }
func (b *fakeBackend) LintKey([]byte) (core.Verdict, error) {
	return core.Verdict{}, core.ErrNotSupported
}
func (b *fakeBackend) Fingerprint([]byte) ([]byte, error) { return nil, core.ErrNotSupported }
func (b *fakeBackend) KeyID([]byte) (core.KeyID, error)   { return core.KeyID{}, core.ErrNotSupported }
func (b *fakeBackend) CertLen([]byte) (int, error)        { return 0, core.ErrNotSupported }
func (b *fakeBackend) Merge(a, _ []byte) ([]byte, error)  { return a, nil }
func (b *fakeBackend) ParseArmor([]byte) (core.ArmorKind, []byte, error) {
	return core.ArmorNone, nil, nil
}
func (b *fakeBackend) WrapArmor(core.ArmorKind, []byte) (string, error) {
	return "", core.ErrNotSupported
}
func (b *fakeBackend) Describe() (core.Description, error) {
	return core.Description{Name: "fake", Profile: core.ProfileStrict}, nil
}
func (b *fakeBackend) Capabilities() core.Capabilities { return core.Capabilities{} }

// NewDigest returns a Go hash, or ErrUnsupportedDigest for noHash and
// algorithms the fake does not have.
func (b *fakeBackend) NewDigest(a core.HashAlgo) (core.Digest, error) {
	h := newHash(a)
	if h == nil || b.noHash[a] {
		return nil, fmt.Errorf("%w: %v", core.ErrUnsupportedDigest, a)
	}
	return &fakeDigest{algo: a, h: h}, nil
}

// fakeDigest is a [core.Digest] over a Go hash.
type fakeDigest struct {
	algo core.HashAlgo
	h    hash.Hash
	done bool
}

func (d *fakeDigest) Algo() core.HashAlgo { return d.algo }

func (d *fakeDigest) Write(p []byte) (int, error) {
	if d.done {
		return 0, errors.New("fake: digest used after Final")
	}
	return d.h.Write(p)
}

func (d *fakeDigest) Dup() (core.Digest, error) {
	state, err := d.h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		return nil, err
	}
	h := newHash(d.algo)
	if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(state); err != nil {
		return nil, err
	}
	return &fakeDigest{algo: d.algo, h: h}, nil
}

func (d *fakeDigest) Final() ([]byte, error) {
	if d.done {
		return nil, errors.New("fake: Final twice")
	}
	d.done = true
	return d.h.Sum(nil), nil
}

func (d *fakeDigest) Close() error { d.done = true; return nil }

// fakeKey returns a primary key of the fake keyring: its key ID is id
// repeated, its fingerprint twenty id bytes.
func fakeKey(id byte, algo core.PubKeyAlgo) core.KeyringCert {
	p := &core.Params{Kind: core.KindKey, Version: 4, PubKeyAlgo: algo, SigType: -1, KeyID: core.KeyID{id, id, id, id, id, id, id, id},
		Fingerprint: bytes.Repeat([]byte{id}, 20)}
	return core.KeyringCert{Primary: p, Source: fmt.Sprintf("key-%x", id)}
}

// basePackage is the project's unsigned fixture (rpmbuild output: SHA-1
// and SHA-256 header digests, MD5, a SHA-256 payload digest in the main
// header), split into its parts.
func basePackage(t testing.TB) *rpmgen.Package {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(testutil.Fixtures(), "demo", "unsigned.rpm"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := rpmgen.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
