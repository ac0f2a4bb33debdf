package legacy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/version"
)

// Name is the backend's name as users select it.
const Name = "internal-legacy"

// Backend is the internal-legacy backend. It holds no state: every method is
// a pure function of its arguments, so a Backend is safe for concurrent use.
// The zero value is ready to use; [New] is the usual constructor.
type Backend struct{}

var _ core.Backend = (*Backend)(nil)

// New returns the internal-legacy backend.
func New() *Backend { return &Backend{} }

// Init implements [core.Initializer] (rpmInitCrypto). The legacy profile has
// no policy, so Options.Policy is ignored (as rpm 4.18 ignores crypto
// policies) and Options.Time is unused (4.18 checks no expiry). FIPS
// "require" is refused: this backend's crypto is not a FIPS module.
func (b *Backend) Init(opts core.Options) error {
	switch opts.FIPS {
	case "", "auto", "off":
		return nil
	case "require":
		return errors.New("internal-legacy: FIPS mode required, but this backend has no FIPS support")
	}
	return fmt.Errorf("internal-legacy: unknown FIPS setting %q (want auto, require or off)", opts.FIPS)
}

// Capabilities implements [core.Capable]: none, core drives this
// in-process backend call by call (in a backend process, next to it).
func (b *Backend) Capabilities() core.Capabilities { return core.Capabilities{} }

// Describe implements [core.Describer].
func (b *Backend) Describe() (core.Description, error) {
	return core.Description{
		Name:        Name,
		Version:     version.Version,
		Profile:     core.ProfileLegacy,
		Protocol:    0,
		Library:     "Go standard library crypto (rpm 4.18 internal OpenPGP parser semantics)",
		PubKeyAlgos: rpm418PubKeyNames(),
		HashAlgos:   rpm418HashNames(),
		FIPS:        false,
		Notes:       "rpm <= 4.19 semantics: v4 keys only, no policy, no expiry or revocation checks, never NOTTRUSTED; SHA3 digests offered but not used by signatures",
	}, nil
}

// rpm418PubKeyNames names the public-key algorithms rpm 4.18 verifies (the
// RPM418 column of core's algorithm table); its EdDSA is Ed25519 only
// (pgpSupportedCurve).
func rpm418PubKeyNames() []string {
	var names []string
	for _, a := range core.PubKeyAlgos(func(a core.PubKeyInfo) bool { return a.RPM418 }) {
		n := a.String()
		if a == core.PubKeyEdDSA {
			n += " (Ed25519)"
		}
		names = append(names, n)
	}
	return names
}

// rpm418HashNames names the hashes rpm 4.18 uses in signatures (the RPM418
// column of core's algorithm table).
func rpm418HashNames() []string {
	var names []string
	for _, h := range core.Hashes(func(h core.HashInfo) bool { return h.RPM418 }) {
		names = append(names, h.Name)
	}
	return names
}

// cString returns b up to its first NUL: pgpDigParamsUserID returns a C
// string, so a user ID is reported only up to an embedded NUL.
func cString(b []byte) string {
	s := string(b)
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return s
}

// ParseSignature implements [core.Parser]: pgpPrtParams(pkt, len,
// PGPTAG_SIGNATURE). pkt must be exactly one v3 or v4 signature packet of a
// supported algorithm whose MPIs fill it (trailing data is an error); a v4
// signature must have a hashed creation time; a critical subpacket other
// than creation time, issuer or key flags is an error. The issuer is taken
// from an 8-byte Issuer subpacket (hashed first, then unhashed) only for
// types 0x00, 0x01, 0x02 and 0x13; otherwise the key ID is zero.
func (b *Backend) ParseSignature(pkt []byte) (core.ParseResult, error) {
	d, why := prtParams(pkt, tagSignature)
	if d == nil {
		if why.logged() {
			// rpm 4.18 logs this warning while parsing (rpmio/rpmpgp_internal.c
			// pgpPrtSig: rpmlog(RPMLOG_WARNING, _("Unsupported version of
			// signature: V%d\n"), version)): it goes to stderr next to the
			// BAD item. Params of kind KindInvalid carry the warning.
			return core.ParseResult{Params: &core.Params{Kind: core.KindInvalid}, Lint: string(why)}, nil
		}
		return core.ParseResult{Lint: "invalid OpenPGP signature: " + string(why)}, nil
	}
	return core.ParseResult{Params: sigToParams(d, pkt)}, nil
}

func sigToParams(d *digParams, pkt []byte) *core.Params {
	return &core.Params{
		Kind:         core.KindSignature,
		Version:      int(d.version),
		PubKeyAlgo:   core.PubKeyAlgo(d.pubkeyAlgo),
		HashAlgo:     core.HashAlgo(d.hashAlgo),
		SigType:      int(d.sigtype),
		KeyID:        core.KeyID(d.signid),
		CreationTime: d.time,
		HashPrefix:   d.signhash16,
		Packet:       append([]byte(nil), pkt...),
	}
}

// ParseCertificate implements [core.Parser]: pgpPrtParams(pkts, len,
// PGPTAG_PUBLIC_KEY) with rpm 4.18's rules (see prtParams): the first
// packet must be a v4 RSA, DSA or Ed25519 primary key; every signature must
// parse (unknown critical subpackets are fatal) but only subkey bindings are
// verified. UserID is the last user ID of the certificate; HashAlgo is 0
// (4.18 records none for keys).
func (b *Backend) ParseCertificate(cert []byte) (core.ParseResult, error) {
	d, why := prtParams(cert, tagPublicKey)
	if d == nil {
		return core.ParseResult{Lint: "invalid OpenPGP certificate: " + string(why)}, nil
	}
	return core.ParseResult{Params: keyToParams(d, cert, core.KindKey)}, nil
}

func keyToParams(d *digParams, cert []byte, kind core.Kind) *core.Params {
	p := &core.Params{
		Kind:         kind,
		Version:      int(d.version),
		PubKeyAlgo:   core.PubKeyAlgo(d.pubkeyAlgo),
		HashAlgo:     core.HashAlgo(d.hashAlgo),
		SigType:      -1,
		KeyID:        core.KeyID(d.signid),
		CreationTime: d.time,
		Packet:       append([]byte(nil), cert...),
	}
	if d.hasUserID {
		p.UserID = cString(d.userID)
	}
	return p
}

// Subkeys implements [core.Parser]: pgpPrtParamsSubkeys on a certificate
// that pgpPrtParams accepts (rpm only calls it then; otherwise this returns
// an error). Only signing-capable, bound, unrevoked-by-the-next-packet
// subkeys are returned (see prtSubkeys); a failing call is an error, as it
// makes rpm 4.18's rpmGetSubkeys and so the key import fail.
func (b *Backend) Subkeys(cert []byte) ([]*core.Params, error) {
	main, why := prtParams(cert, tagPublicKey)
	if main == nil {
		return nil, fmt.Errorf("internal-legacy: certificate does not parse: %s", why)
	}
	subs, why := prtSubkeys(cert, main)
	if why != "" {
		return nil, fmt.Errorf("internal-legacy: pgpPrtParamsSubkeys fails: %s", why)
	}
	out := make([]*core.Params, 0, len(subs))
	for _, s := range subs {
		p := keyToParams(s, cert, core.KindSubkey)
		out = append(out, p)
	}
	if err := fillSubkeyFingerprints(cert, out); err != nil {
		return nil, err
	}
	return out, nil
}

// fillSubkeyFingerprints sets Fingerprint on subkey params (4.18 keeps only
// key IDs; the contract wants the fingerprint, which is computed the same
// way from the subkey packet).
func fillSubkeyFingerprints(cert []byte, subs []*core.Params) error {
	off := 0
	i := 0
	for off < len(cert) && i < len(subs) {
		p, ok := decodePkt(cert, off)
		if !ok {
			break
		}
		off = p.end()
		if p.tag != tagPublicSubkey {
			continue
		}
		fp, ok := fingerprintOf(p.bodyOf(cert))
		if !ok {
			continue
		}
		var id core.KeyID
		copy(id[:], fp[len(fp)-8:])
		for _, s := range subs {
			if s.Fingerprint == nil && s.KeyID == id {
				s.Fingerprint = fp
				i++
				break
			}
		}
	}
	for _, s := range subs {
		if s.Fingerprint == nil {
			return errors.New("internal-legacy: subkey fingerprint not found")
		}
	}
	return nil
}

// VerifySignature implements [core.SignatureVerifier] with rpm 4.18's
// pgpVerifySignature: the 16-bit prefix of the digest is checked first
// (mismatch: BAD, with or without a key); without a key the answer is NOKEY;
// with a key the public-key math decides OK or BAD. 4.18 checks nothing else:
// not the signature type, not expiry of signature or key, not revocation,
// not key flags; it never answers NOTTRUSTED and produces no lints. A
// signature over a hash 4.18 cannot compute (SHA-3, RIPEMD-160, ...) is BAD.
//
// sig and key are re-parsed from their Packet fields; the other fields of
// the Params are not trusted. d must use the signature's hash algorithm and
// belong to this backend; it is left unchanged.
func (b *Backend) VerifySignature(key *core.Params, sig *core.Params, d core.Digest) (core.Verdict, error) {
	if d == nil {
		return core.Verdict{}, errors.New("internal-legacy: VerifySignature needs a digest")
	}
	return b.verify(key, sig, d.Algo(), func(kd, sd *digParams) (legacyRC, error) {
		h, err := cloneState(d)
		if err != nil {
			return 0, err
		}
		return verifyDigest(kd, sd, h), nil
	})
}

// VerifyHash implements [core.HashVerifier]: VerifySignature on sum, the
// digest of the signed data followed by the trailer (sigTrailer) that an
// rpm 4.18 host finalised in its own context, as pgpVerifySignature does.
func (b *Backend) VerifyHash(key *core.Params, sig *core.Params, sum []byte) (core.Verdict, error) {
	var algo core.HashAlgo
	if sig != nil {
		if sd, _ := prtParams(sig.Packet, tagSignature); sd != nil {
			algo = core.HashAlgo(sd.hashAlgo)
		}
	}
	return b.verify(key, sig, algo, func(kd, sd *digParams) (legacyRC, error) {
		if size := core.HashAlgo(sd.hashAlgo).Info().Size; len(sum) != size {
			return 0, fmt.Errorf("internal-legacy: a %v sum has %d bytes, not %d", core.HashAlgo(sd.hashAlgo), len(sum), size)
		}
		return verifySum(kd, sd, sum), nil
	})
}

// verify is VerifySignature and VerifyHash: algo is the hash the caller's
// digest uses, check computes the verdict once key and signature are parsed.
func (b *Backend) verify(key *core.Params, sig *core.Params, algo core.HashAlgo, check func(kd, sd *digParams) (legacyRC, error)) (core.Verdict, error) {
	if sig == nil || sig.Kind != core.KindSignature {
		return core.Verdict{}, errors.New("internal-legacy: VerifySignature needs a parsed signature")
	}
	sd, why := prtParams(sig.Packet, tagSignature)
	if sd == nil {
		return core.Verdict{}, fmt.Errorf("internal-legacy: signature packet does not parse: %s", why)
	}
	if algo != core.HashAlgo(sd.hashAlgo) {
		return core.Verdict{}, fmt.Errorf("internal-legacy: digest is %v but the signature uses %v", algo, core.HashAlgo(sd.hashAlgo))
	}
	var kd *digParams
	if key != nil {
		var err error
		kd, err = keyParams(key)
		if err != nil {
			return core.Verdict{}, err
		}
	}
	if _, ok := legacyCryptoHash(sd.hashAlgo); !ok {
		// 4.18's rpmDigestInit returns NULL for this hash, so
		// pgpVerifySignature gets no context and answers FAIL.
		return core.Verdict{RC: core.RCFail, Lint: fmt.Sprintf("rpm 4.18 has no %v digest", core.HashAlgo(sd.hashAlgo))}, nil
	}
	rc, err := check(kd, sd)
	if err != nil {
		return core.Verdict{}, err
	}
	switch rc {
	case rcOK:
		return core.Verdict{RC: core.RCOK}, nil
	case rcNoKey:
		return core.Verdict{RC: core.RCNoKey}, nil
	}
	return core.Verdict{RC: core.RCFail}, nil
}

// keyParams re-derives rpm's pgpDigParams of a key or subkey from its
// certificate.
func keyParams(key *core.Params) (*digParams, error) {
	main, why := prtParams(key.Packet, tagPublicKey)
	if main == nil {
		return nil, fmt.Errorf("internal-legacy: key certificate does not parse: %s", why)
	}
	switch key.Kind {
	case core.KindKey:
		return main, nil
	case core.KindSubkey:
		subs, why := prtSubkeys(key.Packet, main)
		if why != "" {
			return nil, fmt.Errorf("internal-legacy: subkeys do not parse: %s", why)
		}
		for _, s := range subs {
			if core.KeyID(s.signid) == key.KeyID {
				return s, nil
			}
		}
		return nil, fmt.Errorf("internal-legacy: certificate has no signing subkey %v", key.KeyID)
	}
	return nil, fmt.Errorf("internal-legacy: key params of kind %v", key.Kind)
}

// LintKey implements [core.KeyTools]: rpm 4.18's pgpPubKeyLint is a stub that
// accepts everything without explanation. The strict profile explains
// unusable keys and answers FAIL or NOTTRUSTED.
func (b *Backend) LintKey(cert []byte) (core.Verdict, error) {
	return core.Verdict{RC: core.RCOK}, nil
}

// Fingerprint implements [core.KeyTools]: pgpPubkeyFingerprint, the SHA-1 v4
// fingerprint of the first packet (4.18 does not check its tag). No
// dearmoring; v3/v5/v6 keys and other algorithms than RSA, DSA and EdDSA
// fail.
func (b *Backend) Fingerprint(pkt []byte) ([]byte, error) {
	return pubkeyFingerprint(pkt)
}

// KeyID implements [core.KeyTools]: pgpPubkeyKeyID, the low 64 bits of the
// fingerprint.
func (b *Backend) KeyID(pkt []byte) (core.KeyID, error) {
	fp, err := pubkeyFingerprint(pkt)
	if err != nil {
		return core.KeyID{}, err
	}
	var id core.KeyID
	copy(id[:], fp[len(fp)-8:])
	return id, nil
}

// CertLen implements [core.KeyTools]: pgpPubKeyCertLen, the offset of the
// next primary key packet or the whole length; a packet that does not decode
// is an error.
func (b *Backend) CertLen(pkts []byte) (int, error) {
	return certLen(pkts)
}

// Merge implements [core.KeyTools]: rpm 4.18 has no pgpPubkeyMerge (added in
// rpm 6.0); re-importing a known key ID is a no-op there.
func (b *Backend) Merge(a, bb []byte) ([]byte, error) {
	return nil, fmt.Errorf("%w: rpm 4.18 cannot merge certificates (pgpPubkeyMerge is rpm >= 6.0)", core.ErrNotSupported)
}

// ParseArmor implements [core.Armorer]: pgpParsePkts, which in 4.18 decodes
// only the first complete "PUBLIC KEY BLOCK" (CRC24 line required) and skips
// other armor kinds. The text is read as a C string (up to the first NUL).
func (b *Backend) ParseArmor(text []byte) (core.ArmorKind, []byte, error) {
	if len(text) > maxArmorInput {
		return 0, nil, fmt.Errorf("internal-legacy: armored input larger than %d bytes", maxArmorInput)
	}
	kind, data := parsePkts(text)
	return kind, data, nil
}

// WrapArmor implements [core.Armorer]: pgpArmorWrap, byte for byte as rpm
// 4.18 writes it ("Version: rpm-4.18.0", 64-column base64, CRC24 line).
func (b *Backend) WrapArmor(kind core.ArmorKind, data []byte) (string, error) {
	if len(data) > maxArmorInput {
		return "", fmt.Errorf("internal-legacy: data larger than %d bytes", maxArmorInput)
	}
	return armorWrap(kind, data)
}
