package strict

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/policyconf"
)

// Config describes a strict backend: its identity and its primitives. The
// zero value (no Primitives) gives a backend that fails closed: Init fails,
// no digest can be computed and no signature verifies.
type Config struct {
	// Name is the backend name users select ("gocrypto", "openssl").
	Name string
	// Version is the backend's own version.
	Version string
	// Library names the crypto library ("Go 1.26.8", "OpenSSL 3.0.19");
	// empty means Primitives.Name().
	Library string
	// Primitives does every digest and public-key operation; nil means
	// none (see above).
	Primitives Primitives
}

// Backend implements [core.Backend] with rpm-sequoia 1.10.2 semantics on
// top of a [Primitives] implementation. Use [New]; the zero value is not
// usable. It is safe for concurrent use.
type Backend struct {
	cfg   Config
	cache certCache

	mu     sync.RWMutex
	policy *policyconf.Policy
	at     time.Time // zero: wall clock
}

var _ core.Backend = (*Backend)(nil)

// New returns a strict backend using cfg.Primitives, with the default
// policy (policyconf.Default) and the wall clock until Init is called.
func New(cfg Config) *Backend {
	if cfg.Primitives == nil {
		cfg.Primitives = noPrimitives{}
	}
	return &Backend{cfg: cfg, policy: policyconf.Default()}
}

// Init mirrors rpmInitCrypto (rpm-sequoia _rpmInitCrypto): it parses the
// policy (nil: the built-in default, StandardPolicy plus v3 signatures),
// stores the reference time and applies the FIPS option. An error leaves
// the previous settings in place; callers must not use the backend then.
func (b *Backend) Init(opts core.Options) error {
	if _, none := b.cfg.Primitives.(noPrimitives); none || b.cfg.Primitives == nil {
		return errors.New("strict: no primitives configured")
	}
	pol := policyconf.Default()
	if opts.Policy != nil {
		name := opts.PolicySource
		if name == "" {
			name = "<policy>"
		}
		p, err := policyconf.Parse(name, opts.Policy)
		if err != nil {
			return fmt.Errorf("%s: reading crypto policy: %w", b.cfg.Name, err)
		}
		pol = p
	}
	switch opts.FIPS {
	case "", "auto", "off":
	case "require":
		if !b.cfg.Primitives.FIPS() {
			return fmt.Errorf("%s: FIPS mode required, but %s does not run in FIPS mode", b.cfg.Name, b.cfg.Primitives.Name())
		}
	default:
		return fmt.Errorf("%s: invalid FIPS option %q (want auto, require or off)", b.cfg.Name, opts.FIPS)
	}
	b.mu.Lock()
	b.policy, b.at = pol, opts.Time
	b.mu.Unlock()
	// Cached certificates carry self-signature checks made with the
	// previous settings (an openssl backend may have switched its FIPS
	// mode in Init): start afresh.
	b.cache.reset()
	return nil
}

// settings returns the policy and the reference time "now".
func (b *Backend) settings() (*policyconf.Policy, time.Time) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	now := b.at
	if now.IsZero() {
		now = time.Now()
	}
	return b.policy, now.UTC()
}

// Capabilities implements [core.Capable]: none, core drives this
// in-process backend call by call (in a backend process, next to it).
func (b *Backend) Capabilities() core.Capabilities { return core.Capabilities{} }

// Describe reports the backend's identity and capabilities.
func (b *Backend) Describe() (core.Description, error) {
	lib := b.cfg.Library
	if lib == "" && b.cfg.Primitives != nil {
		lib = b.cfg.Primitives.Name()
	}
	d := core.Description{
		Name: b.cfg.Name, Version: b.cfg.Version, Profile: core.ProfileStrict, Library: lib,
		FIPS: b.cfg.Primitives != nil && b.cfg.Primitives.FIPS(),
	}
	// The algorithm families the strict code verifies (RSA once, not its
	// deprecated Sign-Only variant).
	for _, a := range core.PubKeyAlgos(func(a core.PubKeyInfo) bool { return a.Strict && a.Family == a.Algo }) {
		if b.cfg.Primitives != nil && signatureAlgoSupported(b.cfg.Primitives, a) == nil {
			d.PubKeyAlgos = append(d.PubKeyAlgos, a.String())
		}
	}
	for _, h := range core.RequiredDigests {
		if b.cfg.Primitives == nil {
			break
		}
		if _, err := b.cfg.Primitives.NewHash(h); err == nil {
			d.HashAlgos = append(d.HashAlgos, h.String())
		}
	}
	return d, nil
}

// NewDigest mirrors rpmDigestInit.
func (b *Backend) NewDigest(algo core.HashAlgo) (core.Digest, error) {
	h, err := b.cfg.Primitives.NewHash(algo)
	if err != nil {
		return nil, fmt.Errorf("%w: %v: %w", core.ErrUnsupportedDigest, algo, err)
	}
	return &digest{h: h}, nil
}

// cert returns the parsed certificate for data, from the cache.
func (b *Backend) cert(data []byte) (*cert, error) {
	return b.cache.get(data, func(d []byte) (*cert, error) {
		return parseCert(append([]byte(nil), d...), b.cfg.Primitives)
	})
}

// ParseSignature mirrors pgpPrtParams2(..., PGPTAG_SIGNATURE) as
// rpm-sequoia's pgp_prt_params: pkt must be exactly one signature packet.
func (b *Backend) ParseSignature(pkt []byte) (core.ParseResult, error) {
	fail := func(err error) (core.ParseResult, error) {
		return core.ParseResult{Lint: formatLints(parseHeader, []error{err})}, nil
	}
	if len(pkt) > MaxSignatureBytes {
		return fail(fmt.Errorf("Signature packet is larger than %d bytes", MaxSignatureBytes))
	}
	if len(pkt) == 0 {
		return fail(errors.New("Expected an OpenPGP packet, encountered the end of the file"))
	}
	p, n, err := packet.ReadPacket(pkt)
	if err != nil {
		if pkt[0]&0x80 != 0 {
			return fail(packet.Wrapf(err, "Failed to parse %s", packet.TagName(packet.CTBTag(pkt[0]))))
		}
		return fail(err)
	}
	if p.Tag != packet.TagSignature {
		return fail(fmt.Errorf("Unexpected OpenPGP packet in this context %s", packet.TagName(p.Tag)))
	}
	sig, err := packet.ParseSignature(p.Body, 0)
	if err != nil {
		if errors.Is(err, packet.ErrMalformedMPI) {
			err = packet.Wrapf(err, "%s", packet.NonConformantMPI)
		}
		return fail(packet.Wrapf(err, "Failed to parse %s", packet.TagName(packet.TagSignature)))
	}
	if n != len(pkt) {
		// Sequoia names the next packet's tag; a trailing fragment that does
		// not frame is reported the same way as garbage.
		next := "Unknown Packet"
		if q, _, err := packet.ReadPacket(pkt[n:]); err == nil {
			next = packet.TagName(q.Tag)
		}
		return fail(fmt.Errorf("Expected a bare OpenPGP signature, but it's followed by a %s", next))
	}
	params := &core.Params{
		Kind: core.KindSignature, Version: sig.Version, PubKeyAlgo: sig.PKAlgo,
		HashAlgo: sig.HashAlgo, SigType: int(sig.SigType), KeyID: sig.SignID(),
		HashPrefix: sig.Prefix, Packet: append([]byte(nil), pkt...),
	}
	if i, ok := sig.FirstIssuer(); ok && i.Fpr != nil {
		params.Fingerprint = append([]byte(nil), i.Fpr...)
	}
	if sig.HasCreated {
		params.CreationTime = uint32(sig.Created.Unix())
	}
	if sig.Version == 6 {
		params.Salt = append([]byte(nil), sig.Salt...)
	}
	return core.ParseResult{Params: params}, nil
}

// ParseCertificate mirrors pgpPrtParams2(..., PGPTAG_PUBLIC_KEY): the
// first certificate in cert, checked for structure only (rpm-sequoia does
// not check bindings here); the user ID and hash algorithm are those valid
// under the policy now.
func (b *Backend) ParseCertificate(data []byte) (core.ParseResult, error) {
	n, lenErr := certLength(data)
	if lenErr == nil {
		data = data[:n]
	}
	c, err := b.cert(data)
	if err != nil {
		if errors.Is(err, packet.ErrMalformedMPI) {
			err = packet.Wrapf(err, "%s", packet.NonConformantMPI)
		}
		return core.ParseResult{Lint: formatLints(parseHeader, []error{packet.Wrapf(err, "Failed to read an OpenPGP certificate")})}, nil
	}
	pol, now := b.settings()
	params := b.keyParams(c, c.primary, core.KindKey)
	if vc, err := c.withPolicy(evalPolicy{p: pol, now: now}, now); err == nil {
		if vc.primaryUID != nil {
			params.UserID = string(vc.primaryUID.value)
		}
		if vc.primary.binding != nil {
			params.HashAlgo = vc.primary.binding.HashAlgo
		}
	}
	return core.ParseResult{Params: params}, nil
}

func (b *Backend) keyParams(c *cert, k *publicKey, kind core.Kind) *core.Params {
	return &core.Params{
		Kind: kind, Version: k.version, PubKeyAlgo: k.algo, SigType: -1,
		KeyID: k.keyID, Fingerprint: append([]byte(nil), k.fpr...),
		CreationTime: uint32(k.created.Unix()), Packet: append([]byte(nil), c.raw...),
	}
}

// Subkeys mirrors pgpPrtParamsSubkeys as rpm-sequoia: all subkeys,
// unchecked (validity is checked when one is used).
func (b *Backend) Subkeys(data []byte) ([]*core.Params, error) {
	if n, err := certLength(data); err == nil {
		data = data[:n]
	}
	c, err := b.cert(data)
	if err != nil {
		return nil, fmt.Errorf("not an OpenPGP certificate: %w", err)
	}
	pol, now := b.settings()
	e := evalPolicy{p: pol, now: now}
	uid := ""
	vc, vcErr := c.withPolicy(e, now)
	if vcErr == nil && vc.primaryUID != nil {
		uid = string(vc.primaryUID.value)
	}
	var out []*core.Params
	for _, sb := range c.subkeys {
		p := b.keyParams(c, sb.key, core.KindSubkey)
		p.UserID = uid
		// A subkey is valid only in a valid certificate (Sequoia
		// KeyAmalgamation::with_policy checks the primary key first).
		if vcErr == nil {
			if vk, err := sb.withPolicy(e, now, vc.primary); err == nil {
				p.HashAlgo = vk.binding.HashAlgo
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// firstKey parses the first packet of pkt, which must be a primary public
// or secret key (pgpPubkeyFingerprint / pgpPubkeyKeyID; no dearmoring).
func (b *Backend) firstKey(pkt []byte) (*publicKey, error) {
	if len(pkt) > MaxCertBytes {
		return nil, fmt.Errorf("key is larger than %d bytes", MaxCertBytes)
	}
	p, _, err := packet.ReadPacket(pkt)
	if err != nil {
		return nil, fmt.Errorf("Not a key: %w", err)
	}
	if p.Tag != packet.TagPublicKey && p.Tag != packet.TagSecretKey {
		return nil, errors.New("Not a key")
	}
	return parsePublicKey(p.Body, p.Tag == packet.TagSecretKey, b.cfg.Primitives)
}

// Fingerprint mirrors pgpPubkeyFingerprint (v4: 20 bytes, v6: 32 bytes).
func (b *Backend) Fingerprint(pkt []byte) ([]byte, error) {
	k, err := b.firstKey(pkt)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), k.fpr...), nil
}

// KeyID mirrors pgpPubkeyKeyID.
func (b *Backend) KeyID(pkt []byte) (core.KeyID, error) {
	k, err := b.firstKey(pkt)
	if err != nil {
		return core.KeyID{}, err
	}
	return k.keyID, nil
}

// CertLen mirrors pgpPubKeyCertLen (rpm-sequoia _pgpPubKeyCertLen).
func (b *Backend) CertLen(pkts []byte) (int, error) {
	if len(pkts) > MaxCertBytes*16 {
		return 0, fmt.Errorf("keyring is larger than %d bytes", MaxCertBytes*16)
	}
	return certLength(pkts)
}
