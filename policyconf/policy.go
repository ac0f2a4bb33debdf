// Package policyconf reads Sequoia crypto-policy files (the
// sequoia-policy-config format that Fedora's rpm-sequoia reads) and evaluates
// the resulting cutoffs.
//
// A nil *Policy is valid and means [Default].
package policyconf

import (
	"fmt"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
)

// Security is the hash property a signature needs (Sequoia's
// HashAlgoSecurity). The zero value is the stricter CollisionResistance.
type Security int

const (
	// CollisionResistance is required for data signatures and third-party
	// certifications; it checks both the CR and the SPR cutoffs.
	CollisionResistance Security = iota
	// SecondPreimageResistance suffices for self-signatures over keys,
	// subkey bindings, backsigs and short user IDs; it checks SPR only.
	SecondPreimageResistance
)

// Policy is a set of cutoffs: something is rejected when the reference time
// is at or after its cutoff. A nil cutoff means "always accepted"; a name
// missing from a table is rejected (Sequoia's DEFAULT_POLICY = REJECT).
type Policy struct {
	// HashCR and HashSPR map lower-case hash names ("sha1") to cutoffs.
	HashCR, HashSPR map[string]*time.Time
	// Asymmetric maps bucket names ("rsa2048", "eddsa") to cutoffs.
	Asymmetric map[string]*time.Time
	// Symmetric and AEAD map their names ("aes128", "ocb") to cutoffs.
	Symmetric, AEAD map[string]*time.Time
	// Packets maps packet names ("signature") to the unversioned cutoff.
	Packets map[string]*time.Time
	// PacketVersions maps packet name -> version -> cutoff; a per-version
	// entry overrides the packet's unversioned one.
	PacketVersions map[string]map[int]*time.Time
	// Source names the file or variable the policy was read from ("" for the
	// built-in defaults).
	Source string
}

// HashRevocationTolerance is added to hash cutoffs for revocation signatures
// (Sequoia's hash_revocation_tolerance, 7 years; not configurable).
const HashRevocationTolerance = (7*365 + 2) * 24 * time.Hour

// HashName returns the policy-file name of h, or "" for one the format
// cannot name (the Policy column of core's algorithm table).
func HashName(h core.HashAlgo) string { return h.Info().Policy }

// PolicyViolation is the error a check returns, worded as Sequoia words
// Error::PolicyViolation: "SHA1 is not considered secure since 2013-02-01T00:00:00Z".
type PolicyViolation struct {
	What   string     // "SHA1", "RSA1024", "Signature Packet v3"
	Cutoff *time.Time // when it stopped being accepted (epoch = never)
}

func (e *PolicyViolation) Error() string {
	if e.Cutoff == nil || e.Cutoff.Unix() <= 0 {
		return fmt.Sprintf("%s is not considered secure", e.What)
	}
	return fmt.Sprintf("%s is not considered secure since %s", e.What, e.Cutoff.UTC().Format("2006-01-02T15:04:05Z"))
}

// rejected reports whether t is at or after cutoff+tolerance.
func rejected(cutoff *time.Time, tolerance time.Duration, t time.Time) bool {
	if cutoff == nil {
		return false
	}
	return !t.Before(cutoff.Add(tolerance))
}

func lookup(m map[string]*time.Time, name string) (*time.Time, bool) {
	c, ok := m[name]
	return c, ok
}

var epoch = time.Unix(0, 0).UTC()

// CheckHash reports whether hash h may be used for a signature needing sec at
// reference time t (Sequoia's StandardPolicy::signature hash check).
// revocation adds [HashRevocationTolerance].
func (p *Policy) CheckHash(h core.HashAlgo, sec Security, revocation bool, t time.Time) error {
	p = orDefault(p)
	name := HashName(h)
	tol := time.Duration(0)
	if revocation {
		tol = HashRevocationTolerance
	}
	display := h.String()
	if name == "" {
		return &PolicyViolation{What: display, Cutoff: &epoch}
	}
	// Collision resistance implies second-preimage resistance; the CR
	// cutoff is checked first so that a data signature's lint names the CR
	// date ("SHA1 is not considered secure since 2013-02-01T00:00:00Z").
	if sec == CollisionResistance {
		cr, ok := lookup(p.HashCR, name)
		if !ok {
			return &PolicyViolation{What: display, Cutoff: &epoch}
		}
		if rejected(cr, tol, t) {
			return &PolicyViolation{What: display, Cutoff: cr}
		}
	}
	spr, ok := lookup(p.HashSPR, name)
	if !ok {
		return &PolicyViolation{What: display, Cutoff: &epoch}
	}
	if rejected(spr, tol, t) {
		return &PolicyViolation{What: display, Cutoff: spr}
	}
	return nil
}

// CheckAsymmetric reports whether the asymmetric bucket (see [AsymmetricBucket])
// is acceptable at reference time t.
func (p *Policy) CheckAsymmetric(bucket string, t time.Time) error {
	p = orDefault(p)
	c, ok := lookup(p.Asymmetric, bucket)
	if !ok {
		return &PolicyViolation{What: displayBucket(bucket), Cutoff: &epoch}
	}
	if rejected(c, 0, t) {
		return &PolicyViolation{What: displayBucket(bucket), Cutoff: c}
	}
	return nil
}

// CheckPacket reports whether packet name (e.g. "signature") in version v
// (0 for unversioned packets) is acceptable at reference time t.
func (p *Policy) CheckPacket(name string, v int, t time.Time) error {
	p = orDefault(p)
	what := packetDisplay(name, v)
	if vs, ok := p.PacketVersions[name]; ok {
		if c, ok := vs[v]; ok {
			if rejected(c, 0, t) {
				return &PolicyViolation{What: what, Cutoff: c}
			}
			return nil
		}
	}
	c, ok := lookup(p.Packets, name)
	if !ok {
		return &PolicyViolation{What: what, Cutoff: &epoch}
	}
	if rejected(c, 0, t) {
		return &PolicyViolation{What: what, Cutoff: c}
	}
	return nil
}

func packetDisplay(name string, v int) string {
	disp := map[string]string{"signature": "Signature Packet", "publickey": "Public-Key Packet", "publicsubkey": "Public-Subkey Packet", "userid": "User ID Packet"}[name]
	if disp == "" {
		disp = name
	}
	if v > 0 {
		return fmt.Sprintf("%s v%d", disp, v)
	}
	return disp
}

func displayBucket(b string) string {
	switch b {
	case "eddsa":
		return "EdDSA"
	case "ed25519":
		return "Ed25519"
	case "ed448":
		return "Ed448"
	case "cv25519":
		return "Cv25519"
	}
	// rsa2048 -> RSA2048, nistp256 -> NistP256, as Sequoia's Display.
	switch {
	case len(b) > 3 && b[:3] == "rsa":
		return "RSA" + b[3:]
	case len(b) > 3 && b[:3] == "dsa":
		return "DSA" + b[3:]
	case len(b) > 7 && b[:7] == "elgamal":
		return "ElGamal" + b[7:]
	case len(b) > 5 && b[:5] == "nistp":
		return "NistP" + b[5:]
	case len(b) > 9 && b[:9] == "brainpool":
		return "BrainpoolP" + b[10:]
	}
	return b
}

// AsymmetricBucket maps a key to its policy bucket as sequoia-openpgp >= 2.1
// does (policy.rs key()): RSA, DSA and ElGamal rounded down by size (<2048 ->
// 1024, <3072 -> 2048, <4096 -> 3072, else 4096); ECDSA/ECDH by curve
// ("nistp256", "brainpoolp256", "cv25519"); legacy EdDSA -> "eddsa"; RFC 9580
// algorithms by name. curve is the Name of a row of core's curve table
// ("P-256", "brainpoolP256r1", "Curve25519", "Ed25519", ...). ok is false
// for an unknown key type (which the policy rejects).
func AsymmetricBucket(algo core.PubKeyAlgo, bits int, curve string) (bucket string, ok bool) {
	info := algo.Info()
	switch info.PolicyBy {
	case core.PolicyFixed:
		return info.Policy, true
	case core.PolicyBySize:
		switch {
		case bits < 2048:
			return info.Policy + "1024", true
		case bits < 3072:
			return info.Policy + "2048", true
		case bits < 4096:
			return info.Policy + "3072", true
		}
		return info.Policy + "4096", true
	case core.PolicyByCurve:
		if info.Family == core.PubKeyEdDSA {
			// Legacy EdDSA exists only on Ed25519 (RFC 9580, Section 9.2).
			if curve == "Ed25519" || curve == "" {
				return "eddsa", true
			}
			return "", false
		}
		// The Policy column of core's curve table.
		if c, ok := core.CurveByName(curve); ok && c.Policy != "" {
			return c.Policy, true
		}
	}
	return "", false
}

func orDefault(p *Policy) *Policy {
	if p == nil {
		return Default()
	}
	return p
}
