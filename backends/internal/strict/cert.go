package strict

import (
	"errors"
	"fmt"
)

// userIDBundle is a User ID or User Attribute with its verified
// self-signatures (RFC 9580, Section 10.1).
type userIDBundle struct {
	tag   byte
	value []byte
	sigs  []*signature // certifications 0x10-0x13 by the primary key
	revs  []*signature // certification revocations 0x30 by the primary key
}

// subkeyBundle is a subkey with its verified binding signatures.
type subkeyBundle struct {
	key      *publicKey
	bindings []*signature // subkey bindings 0x18 (with a good backsig if signing)
	revs     []*signature // subkey revocations 0x28
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
	direct  []*signature // direct-key signatures 0x1f
	revs    []*signature // key revocations 0x20
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
	if le, ok := err.(*lintError); ok && le.cause == nil && unverifiable != nil {
		return wrapf(unverifiable, "%s", le.msg)
	}
	return err
}

// firstUserID is the first User ID packet's value, which rpm-sequoia shows
// in the pgpVerifySignature2 header (cert.userids().next()).
func (c *cert) firstUserID() string {
	for _, u := range c.uids {
		if u.tag == tagUserID {
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
	case tagPublicSubkey, tagSecretSubkey, tagUserID, tagUserAttribute, tagSignature, tagMarker, tagTrust, tagPadding:
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
		p, used, err := readPacket(pkts[off:])
		if err != nil {
			return 0, err
		}
		if p.indeterminate {
			return 0, errors.New("indeterminate length packet in certificate")
		}
		switch {
		case p.tag == tagPublicKey || p.tag == tagSecretKey:
			if off > 0 {
				return off, nil
			}
		case isCertBodyTag(p.tag):
			if off == 0 {
				return 0, fmt.Errorf("%s is not a valid start of a certificate", tagName(p.tag))
			}
		default:
			return 0, fmt.Errorf("%s does not belong in a certificate", tagName(p.tag))
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
	first, used, err := readPacket(data)
	if err != nil {
		return nil, err
	}
	if first.tag != tagPublicKey && first.tag != tagSecretKey {
		return nil, fmt.Errorf("Unexpected OpenPGP packet in this context %s", tagName(first.tag))
	}
	pk, err := parsePublicKey(first.body, first.tag == tagSecretKey, prims)
	if err != nil {
		return nil, wrapf(err, "Failed to parse %s", tagName(first.tag))
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
		p, used, err := readPacket(data[off:])
		if err != nil {
			return nil, wrapf(err, "Failed to read an OpenPGP certificate")
		}
		if p.tag == tagPublicKey || p.tag == tagSecretKey || !isCertBodyTag(p.tag) {
			break // the next certificate (or a non-certificate packet) starts
		}
		off += used
		switch p.tag {
		case tagUserID, tagUserAttribute:
			curUID = &userIDBundle{tag: p.tag, value: p.body}
			c.uids = append(c.uids, curUID)
			curSub, skipping = nil, false
		case tagPublicSubkey, tagSecretSubkey:
			curUID = nil
			sk, err := parsePublicKey(p.body, p.tag == tagSecretSubkey, prims)
			if err != nil {
				curSub, skipping = nil, true
				continue
			}
			curSub, skipping = &subkeyBundle{key: sk}, false
			c.subkeys = append(c.subkeys, curSub)
		case tagSignature:
			if skipping {
				continue
			}
			sig, err := parseSignature(p.body, 0)
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
func selfIssued(sig *signature, key *publicKey) bool {
	if len(sig.issuers) == 0 {
		return true
	}
	for _, i := range sig.issuers {
		if key.matches(i) {
			return true
		}
	}
	return false
}

// attach verifies a signature found in a certificate and files it with its
// component if it is a good self-signature (RFC 9580, Section 5.2.1).
func (c *cert) attach(sig *signature, uid *userIDBundle, sub *subkeyBundle, prims Primitives) {
	pk := c.primary
	if !selfIssued(sig, pk) {
		return // third-party certification: not used by rpm-sequoia
	}
	pkHash := append(pk.hashPrefix(), pk.body...)
	switch {
	case uid != nil:
		if (sig.sigType >= sigGenericCert && sig.sigType <= sigPositiveCert) || sig.sigType == sigCertRevocation {
			if err := verifyOver(prims, pk, sig, pkHash, userIDHashPrefix(sig, uid.tag, uid.value), uid.value); err != nil {
				noteUnverifiable(&c.unverifiable, err)
				return
			}
			if sig.sigType == sigCertRevocation {
				uid.revs = append(uid.revs, sig)
			} else {
				uid.sigs = append(uid.sigs, sig)
			}
		}
	case sub != nil:
		if sig.sigType != sigSubkeyBinding && sig.sigType != sigSubkeyRevoke {
			return
		}
		skHash := append(sub.key.hashPrefix(), sub.key.body...)
		if err := verifyOver(prims, pk, sig, pkHash, skHash); err != nil {
			noteUnverifiable(&sub.unverifiable, err)
			return
		}
		if sig.sigType == sigSubkeyRevoke {
			sub.revs = append(sub.revs, sig)
			return
		}
		// RFC 9580, Section 5.2.1.9 / 11.1: a signing-capable subkey needs
		// a Primary Key Binding signature (0x19) by the subkey embedded in
		// its binding signature.
		if sig.signsData() {
			sig.backsigs = goodBacksigs(prims, sig, sub, pkHash, skHash)
			if len(sig.backsigs) == 0 {
				return
			}
		}
		sub.bindings = append(sub.bindings, sig)
	default:
		if sig.sigType != sigDirectKey && sig.sigType != sigKeyRevocation {
			return
		}
		if err := verifyOver(prims, pk, sig, pkHash); err != nil {
			noteUnverifiable(&c.unverifiable, err)
			return
		}
		if sig.sigType == sigKeyRevocation {
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
func goodBacksigs(prims Primitives, binding *signature, sub *subkeyBundle, pkHash, skHash []byte) []*signature {
	var out []*signature
	for _, e := range binding.embedded {
		if e.sigType != sigPrimaryBinding {
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
