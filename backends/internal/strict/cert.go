package strict

import (
	"errors"
	"fmt"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
)

// userIDBundle is a User ID or User Attribute with its verified
// self-signatures (RFC 9580, Section 10.1).
type userIDBundle struct {
	tag   byte
	value []byte
	sigs  []*packet.Signature // certifications 0x10-0x13 by the primary key
	revs  []*packet.Signature // certification revocations 0x30 by the primary key
}

// subkeyBundle is a subkey with its verified binding signatures.
type subkeyBundle struct {
	key      *publicKey
	bindings []*packet.Signature // subkey bindings 0x18 (with a good backsig if signing)
	revs     []*packet.Signature // subkey revocations 0x28
	// unverifiable is why a self-signature of the subkey could not be
	// checked at all (an error wrapping ErrUnsupported), if one could not.
	unverifiable error
}

// cert is a parsed, canonicalized certificate: the self-signatures are
// verified once here (Sequoia Cert::canonicalize), while policy and time
// are applied per evaluation (validity.go). Bad self-signatures and
// third-party signatures are dropped.
type cert struct {
	raw     []byte
	primary *publicKey
	direct  []*packet.Signature // direct-key signatures 0x1f
	revs    []*packet.Signature // key revocations 0x20
	uids    []*userIDBundle
	subkeys []*subkeyBundle
	// unverifiable is why a self-signature over the primary key or a User
	// ID could not be checked at all (an error wrapping ErrUnsupported:
	// the primitives lack the algorithm), if one could not.
	unverifiable error
}

// noteUnverifiable keeps the first error that says a self-signature could
// not be checked (as opposed to one that is bad), so that "No binding
// signature" can say why.
func noteUnverifiable(dst *error, err error) {
	if *dst == nil && errors.Is(err, ErrUnsupported) {
		*dst = err
	}
}

// explainNoBinding gives a "No binding signature" error without a cause the
// reason the self-signatures could not be checked, when there is one.
func explainNoBinding(err, unverifiable error) error {
	if le, ok := err.(*packet.ContextError); ok && le.Cause == nil && unverifiable != nil {
		return packet.Wrapf(unverifiable, "%s", le.Msg)
	}
	return err
}

// firstUserID is the first User ID packet's value, which rpm-sequoia shows
// in the pgpVerifySignature2 header (cert.userids().next()).
func (c *cert) firstUserID() string {
	for _, u := range c.uids {
		if u.tag == packet.TagUserID {
			return string(u.value)
		}
	}
	return ""
}

// isCertBodyTag reports whether a packet may appear inside a certificate
// after the primary key (RFC 9580, Section 10.1; rpm-sequoia
// _pgpPubKeyCertLen).
func isCertBodyTag(t byte) bool {
	switch t {
	case packet.TagPublicSubkey, packet.TagSecretSubkey, packet.TagUserID, packet.TagUserAttribute, packet.TagSignature, packet.TagMarker, packet.TagTrust, packet.TagPadding:
		return true
	}
	// Unknown (reserved for future use) and private/experimental tags.
	return t == 0 || (t > 21 && t < 64 && t != 20)
}

// certLength is pgpPubKeyCertLen: the length of the first certificate in
// pkts. It fails on a buffer not starting with a key, on packets that do
// not belong in a certificate, and on partial or indeterminate lengths.
func certLength(pkts []byte) (int, error) {
	off, n := 0, 0
	for off < len(pkts) {
		p, used, err := packet.ReadPacket(pkts[off:])
		if err != nil {
			return 0, err
		}
		if p.Indeterminate {
			return 0, errors.New("indeterminate length packet in certificate")
		}
		switch {
		case p.Tag == packet.TagPublicKey || p.Tag == packet.TagSecretKey:
			if off > 0 {
				return off, nil
			}
		case isCertBodyTag(p.Tag):
			if off == 0 {
				return 0, fmt.Errorf("%s is not a valid start of a certificate", packet.TagName(p.Tag))
			}
		default:
			return 0, fmt.Errorf("%s does not belong in a certificate", packet.TagName(p.Tag))
		}
		off += used
		n++
		if n > maxCertPackets {
			return 0, fmt.Errorf("certificate has more than %d packets", maxCertPackets)
		}
	}
	if off == 0 {
		return 0, errors.New("No certificate found")
	}
	return off, nil
}

// parseCert parses and canonicalizes the first certificate in data.
func parseCert(data []byte, prims Primitives) (*cert, error) {
	if len(data) > MaxCertBytes {
		return nil, fmt.Errorf("certificate is larger than %d bytes", MaxCertBytes)
	}
	if len(data) == 0 {
		return nil, errors.New("Expected an OpenPGP packet, encountered the end of the file")
	}
	first, used, err := packet.ReadPacket(data)
	if err != nil {
		return nil, err
	}
	if first.Tag != packet.TagPublicKey && first.Tag != packet.TagSecretKey {
		return nil, fmt.Errorf("Unexpected OpenPGP packet in this context %s", packet.TagName(first.Tag))
	}
	pk, err := parsePublicKey(first.Body, first.Tag == packet.TagSecretKey, prims)
	if err != nil {
		return nil, packet.Wrapf(err, "Failed to parse %s", packet.TagName(first.Tag))
	}
	c := &cert{primary: pk}
	off := used
	var curUID *userIDBundle
	var curSub *subkeyBundle
	skipping := false // inside a subkey that did not parse
	for n := 1; off < len(data); n++ {
		if n > maxCertPackets {
			return nil, fmt.Errorf("certificate has more than %d packets", maxCertPackets)
		}
		p, used, err := packet.ReadPacket(data[off:])
		if err != nil {
			return nil, packet.Wrapf(err, "Failed to read an OpenPGP certificate")
		}
		if p.Tag == packet.TagPublicKey || p.Tag == packet.TagSecretKey || !isCertBodyTag(p.Tag) {
			break // the next certificate (or a non-certificate packet) starts
		}
		off += used
		switch p.Tag {
		case packet.TagUserID, packet.TagUserAttribute:
			curUID = &userIDBundle{tag: p.Tag, value: p.Body}
			c.uids = append(c.uids, curUID)
			curSub, skipping = nil, false
		case packet.TagPublicSubkey, packet.TagSecretSubkey:
			curUID = nil
			sk, err := parsePublicKey(p.Body, p.Tag == packet.TagSecretSubkey, prims)
			if err != nil {
				curSub, skipping = nil, true
				continue
			}
			curSub, skipping = &subkeyBundle{key: sk}, false
			c.subkeys = append(c.subkeys, curSub)
		case packet.TagSignature:
			if skipping {
				continue
			}
			sig, err := packet.ParseSignature(p.Body, 0)
			if err != nil {
				continue // Sequoia keeps it as an unknown packet: ignored
			}
			c.attach(sig, curUID, curSub, prims)
		}
	}
	c.raw = data[:off]
	return c, nil
}

// selfIssued reports whether sig claims to be issued by key (or names no
// issuer at all, in which case Sequoia tries the key).
func selfIssued(sig *packet.Signature, key *publicKey) bool {
	if len(sig.Issuers) == 0 {
		return true
	}
	for _, i := range sig.Issuers {
		if key.matches(i) {
			return true
		}
	}
	return false
}

// attach verifies a signature found in a certificate and files it with its
// component if it is a good self-signature (RFC 9580, Section 5.2.1).
func (c *cert) attach(sig *packet.Signature, uid *userIDBundle, sub *subkeyBundle, prims Primitives) {
	pk := c.primary
	if !selfIssued(sig, pk) {
		return // third-party certification: not used by rpm-sequoia
	}
	pkHash := append(pk.hashPrefix(), pk.body...)
	switch {
	case uid != nil:
		if (sig.SigType >= packet.SigGenericCert && sig.SigType <= packet.SigPositiveCert) || sig.SigType == packet.SigCertRevocation {
			if err := verifyOver(prims, pk, sig, pkHash, userIDHashPrefix(sig, uid.tag, uid.value), uid.value); err != nil {
				noteUnverifiable(&c.unverifiable, err)
				return
			}
			if sig.SigType == packet.SigCertRevocation {
				uid.revs = append(uid.revs, sig)
			} else {
				uid.sigs = append(uid.sigs, sig)
			}
		}
	case sub != nil:
		if sig.SigType != packet.SigSubkeyBinding && sig.SigType != packet.SigSubkeyRevoke {
			return
		}
		skHash := append(sub.key.hashPrefix(), sub.key.body...)
		if err := verifyOver(prims, pk, sig, pkHash, skHash); err != nil {
			noteUnverifiable(&sub.unverifiable, err)
			return
		}
		if sig.SigType == packet.SigSubkeyRevoke {
			sub.revs = append(sub.revs, sig)
			return
		}
		// RFC 9580, Section 5.2.1.9 / 11.1: a signing-capable subkey needs
		// a Primary Key Binding signature (0x19) by the subkey embedded in
		// its binding signature.
		if sig.SignsData() {
			sig.Backsigs = goodBacksigs(prims, sig, sub, pkHash, skHash)
			if len(sig.Backsigs) == 0 {
				return
			}
		}
		sub.bindings = append(sub.bindings, sig)
	default:
		if sig.SigType != packet.SigDirectKey && sig.SigType != packet.SigKeyRevocation {
			return
		}
		if err := verifyOver(prims, pk, sig, pkHash); err != nil {
			noteUnverifiable(&c.unverifiable, err)
			return
		}
		if sig.SigType == packet.SigKeyRevocation {
			c.revs = append(c.revs, sig)
		} else {
			c.direct = append(c.direct, sig)
		}
	}
}

// goodBacksigs returns the Primary Key Binding signatures embedded in a
// subkey binding that the subkey really made over the primary key and
// itself (RFC 9580, Sections 5.2.1.9 and 5.2.4). Whether one of them is
// alive and acceptable is decided per evaluation ([subkeyBundle.withPolicy]).
func goodBacksigs(prims Primitives, binding *packet.Signature, sub *subkeyBundle, pkHash, skHash []byte) []*packet.Signature {
	var out []*packet.Signature
	for _, e := range binding.Embedded {
		if e.SigType != packet.SigPrimaryBinding {
			continue
		}
		if err := verifyOver(prims, sub.key, e, pkHash, skHash); err != nil {
			noteUnverifiable(&sub.unverifiable, err)
			continue
		}
		out = append(out, e)
	}
	return out
}
