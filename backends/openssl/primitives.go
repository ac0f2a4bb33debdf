//go:build cgo

package openssl

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"sync/atomic"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/backends/openssl/internal/ossl"
	"github.com/rpmpgp/rpmpgp/core"
)

// Primitives implements [strict.Primitives] with OpenSSL 3's EVP API. Every
// digest and signature check runs in one OpenSSL library context chosen by
// the FIPS mode (see [resolve]); Init may switch it. It is safe for
// concurrent use.
type Primitives struct {
	opts  Options
	state atomic.Pointer[primState]
}

// primState is the library context in use and what Describe says about it.
type primState struct {
	ctx  *ossl.Context
	fips bool   // ctx.FIPS()
	why  string // how the mode was chosen
}

var _ strict.Primitives = (*Primitives)(nil)

// NewPrimitives opens OpenSSL in the FIPS mode fips with the system's
// configuration; see [NewPrimitivesWith].
func NewPrimitives(fips core.FIPSMode) (*Primitives, error) {
	return NewPrimitivesWith(Options{FIPS: fips})
}

// NewPrimitivesWith opens OpenSSL in the FIPS mode opts.FIPS: "off" (a
// private context with only the default provider), "require" (a private
// context with the FIPS provider, opts.Config read into it, and
// "fips=yes"; an error naming OpenSSL's reason when the FIPS provider cannot
// be loaded or another provider than fips and base is), or "auto" (like
// require when the system is in FIPS mode, else OpenSSL's default context).
func NewPrimitivesWith(opts Options) (*Primitives, error) {
	p := &Primitives{opts: opts}
	if err := p.setMode(opts.FIPS); err != nil {
		return nil, err
	}
	return p, nil
}

// setMode switches to the library context of mode; on error the previous
// one stays.
func (p *Primitives) setMode(mode core.FIPSMode) error {
	m, why, err := resolve(mode, p.opts)
	if err != nil {
		return err
	}
	ctx, err := ossl.Open(m, p.opts.Config)
	if err != nil {
		return fmt.Errorf("%s: %w", why, err)
	}
	p.state.Store(&primState{ctx: ctx, fips: ctx.FIPS(), why: why})
	return nil
}

// errNotInitialised is returned by a backend made with [NewDeferred]
// before its first successful Init.
var errNotInitialised = errors.New("openssl: no FIPS mode chosen yet (Init has not succeeded): nothing is verified")

// cur returns the library context in use.
func (p *Primitives) cur() (*primState, error) {
	st := p.state.Load()
	if st == nil {
		return nil, errNotInitialised
	}
	return st, nil
}

// ctx returns the library context in use (nil before [NewDeferred]'s
// first Init).
func (p *Primitives) ctx() *ossl.Context {
	if st := p.state.Load(); st != nil {
		return st.ctx
	}
	return nil
}

// Close frees the public keys imported into the library context in use
// (see [ossl.Context.FlushKeys]); the Primitives stay usable and import
// keys again when they need them. It always returns nil.
func (p *Primitives) Close() error {
	if c := p.ctx(); c != nil {
		c.FlushKeys()
	}
	return nil
}

// Name returns OpenSSL's version string ("OpenSSL 3.0.19 27 Jan 2026").
func (p *Primitives) Name() string { return ossl.Version() }

// FIPS reports whether OpenSSL runs in FIPS mode in this library context
// (EVP_default_properties_is_fips_enabled).
func (p *Primitives) FIPS() bool {
	st := p.state.Load()
	return st != nil && st.fips
}

// Providers lists the OpenSSL providers loaded in the library context in
// use.
func (p *Primitives) Providers() []ossl.Provider {
	if c := p.ctx(); c != nil {
		return c.Providers()
	}
	return nil
}

// notes says how the FIPS mode was chosen and which providers serve the
// backend, for Describe: "FIPS on (fips = require); providers: OpenSSL
// FIPS Provider 3.0.20 (fips, active), ...".
func (p *Primitives) notes() string {
	st := p.state.Load()
	if st == nil {
		return "FIPS mode not chosen yet (Init has not succeeded)"
	}
	state := "FIPS off"
	if st.fips {
		state = "FIPS on"
	}
	var provs []string
	for _, pr := range st.ctx.Providers() {
		provs = append(provs, pr.String())
	}
	s := state + " (" + st.why + ")"
	if len(provs) > 0 {
		s += "; providers: " + strings.Join(provs, ", ")
	}
	return s
}

// digestName returns OpenSSL's name for algo after the FIPS check.
func (p *Primitives) digestName(st *primState, algo core.HashAlgo, op fipsOp, bits int) (string, error) {
	name := algo.Info().OpenSSL
	if name == "" {
		return "", refuse(fmt.Sprintf("hash algorithm %v (%d) is not supported", algo, uint8(algo)), nil)
	}
	if st.fips {
		if err := fipsDecision(fipsRequest{op: op, hash: algo, bits: bits}); err != nil {
			return "", err
		}
	}
	return name, nil
}

// unavailable turns OpenSSL's "no provider offers this" into a refusal that
// says which algorithm, and why in FIPS mode; other errors pass unchanged.
func (p *Primitives) unavailable(st *primState, what string, err error) error {
	if err == nil || !errors.Is(err, ossl.ErrUnavailable) {
		return err
	}
	if st.fips {
		return refuse(what+" is not available from OpenSSL's FIPS provider in FIPS mode", err)
	}
	return refuse(what+" is not available from the loaded OpenSSL providers", err)
}

// NewHash starts a digest (EVP_MD_fetch + EVP_DigestInit_ex2). In FIPS mode
// MD5 is refused (see fipsDecision).
func (p *Primitives) NewHash(algo core.HashAlgo) (strict.Hash, error) {
	st, err := p.cur()
	if err != nil {
		return nil, err
	}
	name, err := p.digestName(st, algo, fipsDigest, 0)
	if err != nil {
		return nil, err
	}
	d, err := st.ctx.NewDigest(name)
	if err != nil {
		return nil, p.unavailable(st, algo.String(), err)
	}
	return &hash{d: d, algo: algo}, nil
}

// hash adapts an [ossl.Digest] to [strict.Hash].
type hash struct {
	d    *ossl.Digest
	algo core.HashAlgo
}

func (h *hash) Write(b []byte) (int, error) { return h.d.Write(b) }
func (h *hash) Algo() core.HashAlgo         { return h.algo }
func (h *hash) Sum() ([]byte, error)        { return h.d.Sum() }

// Final implements strict's optional final-and-free: no copy of the
// context, which is freed at once (not by the garbage collector).
func (h *hash) Final() ([]byte, error) { return h.d.Final() }

// Close frees the OpenSSL context at once.
func (h *hash) Close() { h.d.Close() }

func (h *hash) Clone() (strict.Hash, error) {
	d, err := h.d.Clone()
	if err != nil {
		return nil, err
	}
	return &hash{d: d, algo: h.algo}, nil
}

// trim drops leading zero bytes (OpenPGP MPIs and callers may keep them).
func trim(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	return b
}

// bitLen is the bit length of an unsigned big-endian integer.
func bitLen(b []byte) int {
	b = trim(b)
	if len(b) == 0 {
		return 0
	}
	return (len(b)-1)*8 + bits.Len8(b[0])
}

// errBadSignature is returned for signatures rejected before OpenSSL sees
// them (wrong length, malformed key).
func errBadSignature(format string, args ...any) error {
	return fmt.Errorf("openssl: "+format+": %w", append(args, ossl.ErrVerify)...)
}

// VerifyRSA checks an RSA PKCS#1 v1.5 signature over a precomputed digest.
// A signature shorter than the modulus is left-padded with zeros (OpenPGP
// MPIs drop leading zeros); a longer one fails. In FIPS mode MD5 and
// moduli under 1024 bits are refused.
func (p *Primitives) VerifyRSA(n, e []byte, h core.HashAlgo, digest, sig []byte) error {
	st, err := p.cur()
	if err != nil {
		return err
	}
	n, e, sig = trim(n), trim(e), trim(sig)
	if len(n) == 0 || len(e) == 0 {
		return errBadSignature("RSA key with a zero modulus or exponent")
	}
	// Exponents as the gocrypto backend takes them (crypto/rsa: 3 <= e <=
	// 2^31-1, odd), so that both strict backends give the same verdict; e = 1
	// would make every padded digest its own signature.
	if bitLen(e) > 31 || (len(e) == 1 && e[0] < 3) {
		return refuse(fmt.Sprintf("RSA public exponent of %d bits (or below 3) is not supported", bitLen(e)), nil)
	}
	if e[len(e)-1]&1 == 0 {
		return errBadSignature("even RSA public exponent")
	}
	name, err := p.digestName(st, h, fipsRSA, bitLen(n))
	if err != nil {
		return err
	}
	if len(digest) != h.Size() {
		return errBadSignature("%d-byte digest for %v, want %d bytes", len(digest), h, h.Size())
	}
	if len(sig) > len(n) {
		return errBadSignature("RSA signature longer than the modulus (%d > %d bytes)", len(sig), len(n))
	}
	if len(sig) < len(n) {
		padded := make([]byte, len(n))
		copy(padded[len(n)-len(sig):], sig)
		sig = padded
	}
	if err := st.ctx.VerifyRSA(n, e, name, digest, sig); err != nil {
		return p.unavailable(st, "RSA with "+h.String(), err)
	}
	return nil
}

// VerifyDSA checks a DSA signature; OpenSSL truncates the digest to the
// length of q. In FIPS mode only the (L, N) sizes that SP 800-131A allows
// for legacy verification are accepted.
func (p *Primitives) VerifyDSA(pp, q, g, y []byte, digest, r, s []byte) error {
	st, err := p.cur()
	if err != nil {
		return err
	}
	if st.fips {
		if err := fipsDecision(fipsRequest{op: fipsDSA, bits: bitLen(pp), qbits: bitLen(q)}); err != nil {
			return err
		}
	}
	return p.unavailable(st, "DSA", st.ctx.VerifyDSA(trim(pp), trim(q), trim(g), trim(y), digest, r, s))
}

// ecGroups maps curves to OpenSSL group names and coordinate sizes.
var ecGroups = map[strict.Curve]struct {
	name string
	size int
}{
	strict.CurveP256:          {"P-256", 32},
	strict.CurveP384:          {"P-384", 48},
	strict.CurveP521:          {"P-521", 66},
	strict.CurveBrainpoolP256: {"brainpoolP256r1", 32},
	strict.CurveBrainpoolP384: {"brainpoolP384r1", 48},
	strict.CurveBrainpoolP512: {"brainpoolP512r1", 64},
}

// VerifyECDSA checks an ECDSA signature; point must be the uncompressed
// SEC1 encoding (0x04 || X || Y). In FIPS mode the Brainpool curves are
// refused.
func (p *Primitives) VerifyECDSA(curve strict.Curve, point []byte, digest, r, s []byte) error {
	st, err := p.cur()
	if err != nil {
		return err
	}
	g, ok := ecGroups[curve]
	if !ok {
		return refuse(fmt.Sprintf("ECDSA curve %q is not supported", string(curve)), nil)
	}
	if st.fips {
		if err := fipsDecision(fipsRequest{op: fipsECDSA, curve: curve}); err != nil {
			return err
		}
	}
	if len(point) != 1+2*g.size || point[0] != 4 {
		return errBadSignature("%s public point is not an uncompressed %d-byte point", curve, 1+2*g.size)
	}
	return p.unavailable(st, "ECDSA on "+string(curve), st.ctx.VerifyECDSA(g.name, point, digest, r, s))
}

// edKeys maps EdDSA curves to OpenSSL key types and key/signature sizes.
var edKeys = map[strict.Curve]struct {
	keyType      string
	pub, sigSize int
}{
	strict.CurveEd25519: {"ED25519", 32, 64},
	strict.CurveEd448:   {"ED448", 57, 114},
}

// VerifyEdDSA checks a pure Ed25519 or Ed448 signature (empty context) whose
// message is digest. In FIPS mode the FIPS provider decides whether it
// offers EdDSA (OpenSSL versions differ).
func (p *Primitives) VerifyEdDSA(curve strict.Curve, pub, digest, sig []byte) error {
	st, err := p.cur()
	if err != nil {
		return err
	}
	k, ok := edKeys[curve]
	if !ok {
		return refuse(fmt.Sprintf("EdDSA curve %q is not supported", string(curve)), nil)
	}
	if st.fips {
		if err := fipsDecision(fipsRequest{op: fipsEdDSA, curve: curve}); err != nil {
			return err
		}
	}
	if len(pub) != k.pub {
		return errBadSignature("%d-byte %s public key, want %d", len(pub), curve, k.pub)
	}
	if len(sig) != k.sigSize {
		return errBadSignature("%d-byte %s signature, want %d", len(sig), curve, k.sigSize)
	}
	return p.unavailable(st, string(curve), st.ctx.VerifyEdDSA(k.keyType, pub, digest, sig))
}
