package strict

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
	"github.com/rpmpgp/rpmpgp/policyconf"
)

// evalPolicy is a policy as Sequoia applies it: the configured policy with
// its reference time, or the NullPolicy (null=true), which accepts every
// algorithm and packet but still checks structure, time and crypto.
type evalPolicy struct {
	p    *policyconf.Policy
	now  time.Time // the policy's reference time for cutoffs
	null bool
}

// checkSig is Sequoia's Policy::signature: hash cutoffs (CR and SPR, or
// SPR only; revocations get the hash revocation tolerance) and critical
// subpackets. The packet version is checked separately ([checkPacket]).
func (e evalPolicy) checkSig(s *packet.Signature, sec policyconf.Security) error {
	if e.null {
		return nil
	}
	revocation := s.SigType == packet.SigKeyRevocation || s.SigType == packet.SigSubkeyRevoke || s.SigType == packet.SigCertRevocation
	if err := e.p.CheckHash(s.HashAlgo, sec, revocation, e.now); err != nil {
		return err
	}
	if len(s.CriticalRejected) > 0 {
		return s.CriticalRejected[0]
	}
	return nil
}

// checkCertSig is the check applied to self-signatures while a
// certificate is evaluated: Policy::signature and Policy::packet.
func (e evalPolicy) checkCertSig(s *packet.Signature, sec policyconf.Security) error {
	if err := e.checkSig(s, sec); err != nil {
		return err
	}
	return e.checkPacket(s)
}

// checkPacket is Policy::packet for a signature (rpm-sequoia calls it
// explicitly, sequoia issue #953).
func (e evalPolicy) checkPacket(s *packet.Signature) error {
	if e.null {
		return nil
	}
	return e.p.CheckPacket("signature", s.Version, e.now)
}

// checkKey is Policy::key: the asymmetric algorithm bucket.
func (e evalPolicy) checkKey(k *publicKey) error {
	if e.null {
		return nil
	}
	// Sequoia StandardPolicy::key adds the context "Policy rejected
	// asymmetric algorithm" (rpm tests/rpmsigdig.at shows it in the
	// pgpPubKeyLint text: "Policy rejects <KEYID>: Policy rejected
	// asymmetric algorithm, because NistP256 is not considered secure").
	const ctx = "Policy rejected asymmetric algorithm"
	bucket, ok := policyconf.AsymmetricBucket(k.algo, k.bits, k.bucketCurve())
	if !ok {
		return packet.Wrapf(fmt.Errorf("%v is not considered secure", k.algo), ctx)
	}
	if err := e.p.CheckAsymmetric(bucket, e.now); err != nil {
		return packet.Wrapf(err, ctx)
	}
	return nil
}

// userIDSecurity is Sequoia's UserID hash_algo_security: short, printable
// UTF-8 User IDs need only second-preimage resistance.
func userIDSecurity(u *userIDBundle) policyconf.Security {
	if u.tag != packet.TagUserID || len(u.value) > 96 || !utf8.Valid(u.value) {
		return policyconf.CollisionResistance
	}
	for _, r := range string(u.value) {
		if r < 0x20 || r == 0x7f {
			return policyconf.CollisionResistance
		}
	}
	return policyconf.SecondPreimageResistance
}

// newestValid returns the newest signature in sigs that is alive at t and
// accepted by the policy ("the newest valid binding at t wins", Sequoia
// ComponentBundle::binding_signature), or the reason none is.
func newestValid(sigs []*packet.Signature, e evalPolicy, t time.Time, sec policyconf.Security, extra func(*packet.Signature) error) (*packet.Signature, error) {
	var best *packet.Signature
	var lastErr error
	for _, s := range sigs {
		if err := s.AliveAt(t, 0); err != nil {
			continue
		}
		if err := e.checkCertSig(s, sec); err != nil {
			lastErr = err
			continue
		}
		if extra != nil {
			if err := extra(s); err != nil {
				lastErr = err
				continue
			}
		}
		if best == nil || s.Created.After(best.Created) {
			best = s
		}
	}
	if best == nil {
		return nil, packet.Wrapf(lastErr, "No binding signature at time %s", packet.SequoiaTime(t))
	}
	return best, nil
}

// revokedAt applies Sequoia's revocation rules (ComponentBundle::
// _revocation_status) to the Reasons for Revocation of RFC 9580, Section
// 5.2.3.31: "key is superseded", "key is retired" and "User ID no longer
// valid" are soft revocations (signatures made before them stay valid),
// any other reason, or none, is hard (key material compromised). With
// hardFinal a hard revocation counts whenever it was made; every other
// revocation counts only if it is alive at t and not older than selfsig,
// the newest self-signature alive at t: a newer self-signature
// re-validates a softly revoked component. User ID revocations are never
// final (hardFinal false, as in Sequoia).
func revokedAt(revs []*packet.Signature, e evalPolicy, t time.Time, selfsig *packet.Signature, sec policyconf.Security, hardFinal bool) []*packet.Signature {
	var out []*packet.Signature
	for _, r := range revs {
		if e.checkCertSig(r, sec) != nil {
			continue
		}
		if hardFinal && r.IsHardRevocation() {
			out = append(out, r)
			continue
		}
		if selfsig != nil && selfsig.Created.After(r.Created) {
			continue // superseded by a newer self-signature
		}
		if r.AliveAt(t, 0) == nil {
			out = append(out, r)
		}
	}
	return out
}

// softRevocationOverride returns the self-signature a soft revocation
// (RFC 9580, Section 5.2.3.31) of the primary key is compared with: the
// newer of the binding (the primary User ID's binding, else the
// direct-key signature) and the direct-key signature. Both kinds of
// self-signature state the primary key's properties (RFC 9580, Sections
// 5.2.1.10 and 5.2.3.10), so either re-validates a superseded or retired
// key, as in Sequoia's Cert::revocation_status; comparing only with the
// User ID binding kept keys re-validated by a direct-key signature revoked.
func softRevocationOverride(binding, direct *packet.Signature) *packet.Signature {
	if binding != nil && direct != nil && direct.Created.After(binding.Created) {
		return direct
	}
	return binding
}

// validKey is a key amalgamation valid under a policy at a time
// (Sequoia ValidKeyAmalgamation).
type validKey struct {
	key     *publicKey
	primary bool
	binding *packet.Signature // the binding self-signature used
	// direct is the certificate's direct-key signature valid at t, if
	// any. Sequoia consults it for every key, subkeys included, when the
	// binding lacks a subpacket: its subpackets "apply to all components
	// of the certificate" (ValidAmalgamation::direct_key_signature, map).
	direct *packet.Signature
	revs   []*packet.Signature
	t      time.Time
	// cert is the primary key of a subkey's certificate: a subkey is
	// alive only while the certificate is (ValidKeyAmalgamation::alive).
	cert *validKey
}

// keyFlags returns the key flags of the binding, falling back to the
// direct-key signature (Sequoia ValidKeyAmalgamation::key_flags, through
// ValidAmalgamation::map; for subkeys too). Nothing is inferred when
// neither carries a Key Flags subpacket: the key has no capabilities.
func (k *validKey) keyFlags() (byte, bool) {
	if k.binding != nil && k.binding.HasKeyFlags {
		return k.binding.KeyFlags, true
	}
	if k.direct != nil && k.direct.HasKeyFlags {
		return k.direct.KeyFlags, true
	}
	return 0, false
}

// forSigning is Sequoia's for_signing(): the signing key flag is set. A
// key without key flags is not signing capable (rpm-sequoia#58).
func (k *validKey) forSigning() bool {
	f, ok := k.keyFlags()
	return ok && f&packet.KeyFlagSign != 0
}

// expiration is the key expiration time (RFC 9580, Section 5.2.3.13): the
// binding's Key Expiration Time if it has one, else the direct-key
// signature's, relative to this key's creation (Sequoia
// ValidKeyAmalgamation::alive and key_expiration_time, subkeys included).
func (k *validKey) expiration() (time.Time, bool) {
	for _, s := range []*packet.Signature{k.binding, k.direct} {
		if s != nil && s.HasKeyExpiry {
			if s.KeyLifetime == 0 {
				return time.Time{}, false
			}
			return k.key.created.Add(time.Duration(s.KeyLifetime) * time.Second), true
		}
	}
	return time.Time{}, false
}

// alive is Sequoia's ValidKeyAmalgamation::alive at the evaluation time.
func (k *validKey) alive() error {
	what := "The subkey is not live"
	if k.primary {
		what = "The primary key is not live"
	} else if k.cert != nil {
		if err := k.cert.alive(); err != nil {
			return packet.Wrapf(err, "The certificate is not live")
		}
	}
	if k.key.created.After(k.t) {
		return packet.Wrapf(fmt.Errorf("Not live until %s", packet.SequoiaTime(k.key.created)), "%s", what)
	}
	if e, ok := k.expiration(); ok && !e.After(k.t) {
		return packet.Wrapf(fmt.Errorf("Expired on %s", packet.SequoiaTime(e)), "%s", what)
	}
	return nil
}

// validCert is a certificate valid under a policy at a time (Sequoia
// ValidCert).
type validCert struct {
	c          *cert
	t          time.Time
	primary    *validKey
	primaryUID *userIDBundle
	keys       []*validKey // primary first, then the valid subkeys
}

// withPolicy is Sequoia's Cert::with_policy(policy, t): the primary key
// must pass the policy and have a binding (primary User ID binding or
// direct-key signature) valid at t; subkeys with a valid binding at t are
// included. Liveness and revocation are reported, not enforced.
func (c *cert) withPolicy(e evalPolicy, t time.Time) (*validCert, error) {
	if err := e.checkKey(c.primary); err != nil {
		return nil, err
	}
	direct, derr := newestValid(c.direct, e, t, policyconf.SecondPreimageResistance, nil)
	var bestUID *userIDBundle
	var bestSig *packet.Signature
	var uidErr error
	for _, u := range c.uids {
		sec := userIDSecurity(u)
		s, err := newestValid(u.sigs, e, t, sec, nil)
		if err != nil {
			uidErr = err
			continue
		}
		if len(revokedAt(u.revs, e, t, s, sec, false)) > 0 {
			continue
		}
		// Sequoia primary_userid: the primary flag wins, then the newest
		// binding; only User IDs (not attributes) qualify.
		if u.tag != packet.TagUserID {
			continue
		}
		if bestSig == nil || (s.PrimaryUID && !bestSig.PrimaryUID) ||
			(s.PrimaryUID == bestSig.PrimaryUID && s.Created.After(bestSig.Created)) {
			bestUID, bestSig = u, s
		}
	}
	if bestSig == nil && direct == nil {
		// Both errors say "No binding signature at time <t>"; the User ID
		// one usually carries the more useful policy cause.
		if uidErr != nil {
			return nil, explainNoBinding(uidErr, c.unverifiable)
		}
		return nil, explainNoBinding(derr, c.unverifiable)
	}
	pk := &validKey{key: c.primary, primary: true, binding: bestSig, direct: direct, t: t}
	if pk.binding == nil {
		pk.binding = direct
	}
	pk.revs = revokedAt(c.revs, e, t, softRevocationOverride(pk.binding, direct), policyconf.SecondPreimageResistance, true)
	vc := &validCert{c: c, t: t, primary: pk, primaryUID: bestUID, keys: []*validKey{pk}}
	for _, sb := range c.subkeys {
		if vk, err := sb.withPolicy(e, t, pk); err == nil {
			vc.keys = append(vc.keys, vk)
		}
	}
	return vc, nil
}

// withPolicy validates a subkey as Sequoia's KeyAmalgamation::with_policy
// does: first a binding valid at t (whose backsig, if the binding makes the
// key signing capable, is valid at t too), then the key's algorithm under
// the policy. pk is the certificate's primary key, valid under the same
// policy at t (Sequoia checks it first).
func (sb *subkeyBundle) withPolicy(e evalPolicy, t time.Time, pk *validKey) (*validKey, error) {
	b, err := newestValid(sb.bindings, e, t, policyconf.SecondPreimageResistance, func(s *packet.Signature) error {
		return backsigValid(s, e, t)
	})
	if err != nil {
		return nil, explainNoBinding(err, sb.unverifiable)
	}
	if err := e.checkKey(sb.key); err != nil {
		return nil, err
	}
	vk := &validKey{key: sb.key, binding: b, direct: pk.direct, t: t, cert: pk}
	vk.revs = revokedAt(sb.revs, e, t, b, policyconf.SecondPreimageResistance, true)
	return vk, nil
}

// backsigValid checks the backsig of a subkey binding at t. RFC 9580,
// Section 5.2.1.9 requires a signing-capable subkey's binding to embed a
// Primary Key Binding signature, and Section 5.2.3.18 gives that
// signature its own expiration time: a binding whose backsigs have all
// expired (or are not yet valid, or rejected by the policy) binds no
// signing key at t. As Sequoia's find_binding_signature, one backsig alive
// at t and acceptable to the policy suffices; the first failure is the
// reason given.
func backsigValid(binding *packet.Signature, e evalPolicy, t time.Time) error {
	if !binding.SignsData() {
		return nil
	}
	var first error
	for _, b := range binding.Backsigs {
		err := b.AliveAt(t, 0)
		if err != nil {
			err = packet.Wrapf(err, "Primary key binding signature is not alive")
		} else if err = e.checkCertSig(b, policyconf.SecondPreimageResistance); err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	if first == nil {
		first = errors.New("Primary key binding signature missing")
	}
	return first
}

// alive is ValidCert::alive: the primary key is alive at the time.
func (vc *validCert) alive() error { return vc.primary.alive() }

// revoked is ValidCert::revocation_status() == Revoked.
func (vc *validCert) revoked() bool { return len(vc.primary.revs) > 0 }

// keyByIssuer is vc.keys().key_handle(issuer).next().
func (vc *validCert) keyByIssuer(i packet.Issuer) *validKey {
	for _, k := range vc.keys {
		if k.key.matches(i) {
			return k
		}
	}
	return nil
}
