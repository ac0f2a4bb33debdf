package strict

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/policyconf"
)

// clockSkew is the tolerance rpm-sequoia allows for signatures from the
// future (pgp_verify_signature: signature_alive(None, 5 min)).
const clockSkew = 5 * time.Minute

// VerifySignature mirrors pgpVerifySignature2 exactly as rpm-sequoia 1.10.2
// (src/lib.rs pgp_verify_signature) orders its checks:
//
//  1. the signature must have a creation time and be alive now (5 minutes
//     of clock skew) — else FAIL;
//  2. the policy must accept its hash (collision resistance), critical
//     subpackets and packet version; if only the NullPolicy accepts it the
//     verdict can at best be NOTTRUSTED ("legacy");
//  3. it must name an issuer — else FAIL;
//  4. without a key: the 16-bit digest prefix must match (else FAIL); an
//     unsupported algorithm or legacy cryptography gives NOTTRUSTED, and
//     otherwise NOKEY;
//  5. with a key: the certificate is evaluated under the policy at the
//     signature time, then now, then under the NullPolicy (legacy); an
//     expired or revoked certificate or key is legacy; a missing, wrong
//     or non-signing key is FAIL; then the signature math decides: FAIL,
//     or NOTTRUSTED if legacy, else OK.
func (b *Backend) VerifySignature(key *core.Params, sigp *core.Params, d core.Digest) (core.Verdict, error) {
	if d == nil {
		return core.Verdict{}, errors.New("strict: nil digest")
	}
	return b.verify(key, sigp, func(sig *packet.Signature) error {
		if d.Algo() != sig.HashAlgo {
			return fmt.Errorf("strict: digest is %v but the signature uses %v", d.Algo(), sig.HashAlgo)
		}
		return nil
	}, func(sig *packet.Signature) ([]byte, error) { return finishDigest(d, sig.Trailer()) })
}

// VerifyHash implements [core.HashVerifier]: VerifySignature on a sum the
// caller finalised (signed data, then the trailer of RFC 9580, Section
// 5.2.4), for rpm 4.18 hosts that keep their own digest context.
func (b *Backend) VerifyHash(key *core.Params, sigp *core.Params, sum []byte) (core.Verdict, error) {
	return b.verify(key, sigp, func(sig *packet.Signature) error {
		if size := sig.HashAlgo.Info().Size; size == 0 || len(sum) != size {
			return fmt.Errorf("strict: a %v sum has %d bytes, not %d", sig.HashAlgo, len(sum), size)
		}
		return nil
	}, func(*packet.Signature) ([]byte, error) { return sum, nil })
}

// verify is VerifySignature and VerifyHash: check vets the digest against
// the parsed signature before anything else, sum yields the final digest.
func (b *Backend) verify(key *core.Params, sigp *core.Params, check func(*packet.Signature) error, sum func(*packet.Signature) ([]byte, error)) (core.Verdict, error) {
	if sigp == nil || sigp.Kind != core.KindSignature {
		return core.Verdict{RC: core.RCFail}, nil // "sig parameter does not designate a signature"
	}
	sig, err := reparseSignature(sigp.Packet)
	if err != nil {
		return core.Verdict{RC: core.RCFail}, nil
	}
	if err := check(sig); err != nil {
		return core.Verdict{}, err
	}
	var c *cert
	if key != nil {
		if key.Kind != core.KindKey && key.Kind != core.KindSubkey {
			return core.Verdict{RC: core.RCFail}, nil // "key parameter is not a cert"
		}
		if c, err = b.cert(key.Packet); err != nil {
			return core.Verdict{RC: core.RCFail}, nil
		}
	}
	pol, now := b.settings()
	v := &verification{b: b, pol: pol, now: now, sig: sig, cert: c, key: key, sum: func() ([]byte, error) { return sum(sig) }}
	rc := v.run()
	header := verifyHeader(nil, "", false)
	if c != nil {
		header = verifyHeader(c.primary.fpr, c.firstUserID(), true)
	}
	return core.Verdict{RC: rc, Lint: formatLints(header, v.lints)}, nil
}

// reparseSignature parses a signature packet kept in Params.Packet.
func reparseSignature(pkt []byte) (*packet.Signature, error) {
	if len(pkt) > MaxSignatureBytes {
		return nil, errors.New("signature too large")
	}
	p, n, err := packet.ReadPacket(pkt)
	if err != nil || p.Tag != packet.TagSignature || n != len(pkt) {
		return nil, errors.New("not a bare signature packet")
	}
	return packet.ParseSignature(p.Body, 0)
}

// verification holds the state of one pgpVerifySignature2 call.
type verification struct {
	b      *Backend
	pol    *policyconf.Policy
	now    time.Time
	sig    *packet.Signature
	cert   *cert
	key    *core.Params
	lints  []error
	legacy bool
	// sum returns the digest of the signed data and the trailer.
	sum func() ([]byte, error)
}

func (v *verification) lint(cause error, format string, args ...any) {
	v.lints = append(v.lints, packet.Wrapf(cause, format, args...))
}

// sigID is rpm-sequoia's sig_id(): "<prefix hex> created at <%c>".
func (v *verification) sigID() string {
	when := "<unknown>"
	if v.sig.HasCreated {
		when = chronoC(v.sig.Created)
	}
	return fmt.Sprintf("%02x%02x created at %s", v.sig.Prefix[0], v.sig.Prefix[1], when)
}

func (v *verification) run() core.RC {
	sig := v.sig
	if !sig.HasCreated {
		v.lint(nil, "Signature %s invalid: signature missing a creation time", v.sigID())
		return core.RCFail
	}
	if err := sig.AliveAt(v.now, clockSkew); err != nil {
		v.lint(err, "Signature %s invalid: signature is not alive", v.sigID())
		return core.RCFail
	}
	std := evalPolicy{p: v.pol, now: v.now}
	null := evalPolicy{null: true}
	// Policy::signature with the default (collision resistance), then
	// Policy::packet (sequoia issue #953).
	if err := std.checkSig(sig, policyconf.CollisionResistance); err != nil {
		if null.checkSig(sig, policyconf.CollisionResistance) == nil {
			v.legacy = true
			v.lint(err, "Signature %s invalid: signature relies on legacy cryptography", v.sigID())
		} else {
			v.lint(err, "Signature %s invalid: policy violation", v.sigID())
			return core.RCFail
		}
	}
	if err := std.checkPacket(sig); err != nil {
		v.legacy = true
		v.lint(err, "Signature %s invalid: signature relies on legacy cryptography", v.sigID())
	}
	iss, ok := sig.FirstIssuer()
	if !ok {
		v.lint(nil, "Signature %s invalid: signature has no issuer subpacket", v.sigID())
		return core.RCFail
	}
	if v.cert == nil {
		return v.noKey()
	}
	return v.withKey(iss, std, null)
}

// noKey is the "sanity check" branch: recompute the trailer, compare the
// digest prefix (RFC 9580, Section 5.2.3: the left 16 bits of the hash).
func (v *verification) noKey() core.RC {
	sum, err := v.finish()
	if err != nil || sum[0] != v.sig.Prefix[0] || sum[1] != v.sig.Prefix[1] {
		return core.RCFail // "digest prefix mismatch", no lint
	}
	if err := signatureAlgoSupported(v.b.cfg.Primitives, v.sig.PKAlgo); err != nil {
		// rpm-sequoia 1.10.1 (20087fe): importing a key for an algorithm
		// that cannot be used would not help. The lint text is ours; the
		// primitives' reason, if any, is its cause.
		var cause error
		if !errors.Is(err, errNoSupport) {
			cause = err
		}
		v.lint(cause, "Signature %s invalid: public key algorithm %v is not supported", v.sigID(), v.sig.PKAlgo)
		return core.RCNotTrusted
	}
	if v.legacy {
		return core.RCNotTrusted
	}
	return core.RCNoKey
}

// finish returns the digest of the signed data and the trailer.
func (v *verification) finish() ([]byte, error) {
	sum, err := v.sum()
	if err != nil {
		return nil, err
	}
	if len(sum) < 2 {
		return nil, errors.New("short digest")
	}
	return sum, nil
}

// finishDigest duplicates d, appends trailer and returns the digest; d is
// unchanged.
func finishDigest(d core.Digest, trailer []byte) ([]byte, error) {
	dd, err := d.Dup()
	if err != nil {
		return nil, err
	}
	if _, err := dd.Write(trailer); err != nil {
		dd.Close()
		return nil, err
	}
	return dd.Final()
}

func (v *verification) withKey(iss packet.Issuer, std, null evalPolicy) core.RC {
	c := v.cert
	sigTime := v.sig.Created
	keyID := packet.UpperHex(c.primary.keyID[:])
	// The certificate as of the signature time, else now (old
	// self-signatures are often stripped, rpm-sequoia ed4d12b), else under
	// the NullPolicy as legacy.
	vc, err := c.withPolicy(std, sigTime)
	if err != nil {
		vc2, err2 := c.withPolicy(std, v.now)
		if err2 == nil {
			vc = vc2
		} else {
			v.lint(err, "Certificate %s invalid: policy violation", keyID)
			v.legacy = true
			v.lint(err2, "Certificate %s invalid: policy violation", keyID)
			vc3, err3 := c.withPolicy(null, sigTime)
			if err3 != nil {
				return core.RCFail
			}
			vc = vc3
		}
	}
	if err := vc.alive(); err != nil {
		v.legacy = true
		v.lint(err, "Certificate %s invalid: certificate is not alive", keyID)
	}
	if vc.revoked() {
		v.legacy = true
		v.lint(nil, "Certificate %s invalid: certificate is revoked", keyID)
	}
	ka := vc.keyByIssuer(iss)
	if ka == nil {
		v.lint(nil, "Certificate %s does not contain key %s or it is not valid", keyID, iss)
		return core.RCFail
	}
	kaID := packet.UpperHex(ka.key.keyID[:])
	want := v.key.Fingerprint
	if v.key.Kind == core.KindKey || len(want) == 0 {
		want = c.primary.fpr
	}
	if !bytes.Equal(ka.key.fpr, want) {
		v.lint(nil, "Key %s invalid: wrong subkey (%s)", kaID, packet.UpperHex(want))
		return core.RCFail
	}
	if !ka.forSigning() {
		v.lint(nil, "Key %s invalid: not signing capable", kaID)
		return core.RCFail
	}
	if err := ka.alive(); err != nil {
		v.legacy = true
		v.lint(err, "Key %s invalid: key is not alive", kaID)
	}
	if len(ka.revs) > 0 {
		v.legacy = true
		v.lint(nil, "Key %s is invalid: key is revoked", kaID)
	}
	sum, err := v.finish()
	if err != nil {
		return core.RCFail
	}
	if err := verifyDigest(v.b.cfg.Primitives, ka.key, v.sig, sum); err != nil {
		return core.RCFail // crypto failure: no lint, as rpm-sequoia
	}
	if v.legacy {
		return core.RCNotTrusted
	}
	return core.RCOK
}
