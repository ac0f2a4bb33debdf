package legacy

import (
	"crypto/sha1"
	"errors"
	"strings"
)

// Fingerprints, key IDs, certificate splitting, pgpPrtParams and
// pgpPrtParamsSubkeys, ported from rpm 4.18 rpmio/rpmpgp_internal.c.

// maxCertPackets bounds the packets walked in one certificate. rpm 4.18 has
// no such limit (only the 65535-byte cap, which allows ~32k empty packets);
// this is ours and far above any real certificate.
const maxCertPackets = 8192

// maxBindingChecks bounds the subkey binding signatures verified while
// parsing one certificate (each is a public-key operation). rpm 4.18 has no
// such limit; real certificates have a handful of subkeys.
const maxBindingChecks = 256

// fingerprintOf is rpm 4.18's getPubkeyFingerprint on a key packet body
// (RFC 4880 section 12.2: SHA-1 over 0x99, 2-byte length, body). Only v4
// RSA, DSA and EdDSA keys whose MPIs exactly fill the packet have one; v3, v5
// and v6 keys fail ("Unsupported version of key: V%d"). The strict profile
// also fingerprints v6 keys (32 bytes) and every algorithm.
func fingerprintOf(h []byte) ([]byte, bool) {
	if len(h) < 1 || h[0] != 4 {
		return nil, false
	}
	// "Packet must be strictly larger than v to have room for the required
	// MPIs and (for EdDSA) the curve ID"
	if len(h) < 7 {
		return nil, false
	}
	se := h[6:]
	mpis := -1
	switch h[5] {
	case algoEdDSA:
		// EdDSA has a curve OID before the MPIs.
		if se[0] == 0x00 || se[0] == 0xff || len(se) < 1+int(se[0]) {
			return nil, false
		}
		se = se[1+int(se[0]):]
		mpis = 1
	case algoRSA:
		mpis = 2
	case algoDSA:
		mpis = 4
	default:
		return nil, false
	}
	if _, ok := processMpis(mpis, se, false); !ok {
		return nil, false
	}
	hh := sha1.New()
	// rpm writes the length as two bytes (hlen >> 8, hlen) truncated to 16
	// bits; bodies over 65535 bytes cannot reach here through pgpPrtParams.
	hh.Write([]byte{0x99, byte(len(h) >> 8), byte(len(h))})
	hh.Write(h)
	return hh.Sum(nil), true
}

// keyIDOf is rpm 4.18's getKeyID: the low 64 bits of the v4 fingerprint.
func keyIDOf(h []byte) ([8]byte, bool) {
	var id [8]byte
	fp, ok := fingerprintOf(h)
	if !ok {
		return id, false
	}
	copy(id[:], fp[len(fp)-8:])
	return id, true
}

// errNotAKey is returned by the fingerprint helpers.
var errNotAKey = errors.New("internal-legacy: first packet is not a v4 RSA, DSA or EdDSA key (rpm 4.18 pgpPubkeyFingerprint fails)")

// pubkeyFingerprint is rpm 4.18's pgpPubkeyFingerprint: decode the first
// packet, whatever its tag (4.18 does not check that it is a primary key;
// a v4 subkey packet also works), and fingerprint its body.
func pubkeyFingerprint(buf []byte) ([]byte, error) {
	p, ok := decodePkt(buf, 0)
	if !ok {
		return nil, errors.New("internal-legacy: cannot decode the first OpenPGP packet")
	}
	body := p.bodyOf(buf)
	fp, ok := fingerprintOf(body)
	if !ok {
		if len(body) > 0 && body[0] != 4 {
			// getPubkeyFingerprint: pgpVersion succeeded, "default:"
			// logs rpm's warning (rpmio/rpmpgp_internal.c:723); its text
			// is the explanation.
			return nil, errors.New(unsupportedKey + itoa(int(body[0])))
		}
		return nil, errNotAKey
	}
	return fp, nil
}

// certLen is rpm 4.18's pgpPubKeyCertLen: the offset of the second primary
// key packet, or the whole length when there is none. A packet that does not
// decode is an error; nothing else is checked (the strict profile also
// rejects non-certificate packets).
func certLen(buf []byte) (int, error) {
	off := 0
	for off < len(buf) {
		p, ok := decodePkt(buf, off)
		if !ok {
			return 0, errors.New("internal-legacy: malformed OpenPGP packet in key data")
		}
		if p.tag == tagPublicKey && off != 0 {
			return off, nil
		}
		off = p.end()
	}
	return len(buf), nil
}

// parseFailure says why a blob did not parse; rpm 4.18 itself prints nothing
// except the version warnings, which are reproduced verbatim.
type parseFailure string

// logged reports whether rpm 4.18 logs the failure as a warning
// ("Unsupported version of signature: V%d" from pgpPrtSig, "Unsupported
// version of key: V%d" from pgpPrtKey, rpmio/rpmpgp_internal.c); see
// describePktFailure, the only source of these texts.
func (f parseFailure) logged() bool {
	return strings.HasPrefix(string(f), unsupportedSig) || strings.HasPrefix(string(f), unsupportedKey)
}

// rpm 4.18's warnings for packet versions it does not know.
const (
	unsupportedSig = "Unsupported version of signature: V"
	unsupportedKey = "Unsupported version of key: V"
)

// prtParams is rpm 4.18's pgpPrtParams(pkts, pktlen, pkttype, &ret) for
// pkttype PGPTAG_SIGNATURE or PGPTAG_PUBLIC_KEY.
//
// For a certificate it walks every packet: user IDs and signatures that do
// not follow a subkey are parsed into the primary key's params but never
// verified (4.18 checks no user-ID self-signature: the strict profile and
// rpm >= 4.19 do); each subkey must be followed immediately by a subkey
// binding signature made by the primary key, which is verified (CVE-2021-3521
// fix); revocations are parsed and ignored. No expiry or key-flag checks.
func prtParams(buf []byte, pkttype uint8) (*digParams, parseFailure) {
	if len(buf) > maxOpenPGPBytes {
		return nil, "OpenPGP data larger than 65535 bytes (RPM_MAX_OPENPGP_BYTES)"
	}
	var (
		d        *digParams
		off      int
		n        int
		expect   uint8
		first    pkt // all[0]
		prev     pkt // all[i-1]
		checks   int
		failWhy  parseFailure = "malformed OpenPGP packet"
		finished              = true
	)
	for off < len(buf) {
		p, ok := decodePkt(buf, off)
		if !ok {
			finished = false
			break
		}
		if n >= maxCertPackets {
			return nil, "too many packets"
		}
		if d == nil {
			if pkttype != 0 && p.tag != pkttype {
				failWhy = "unexpected OpenPGP packet type"
				finished = false
				break
			}
			d = &digParams{tag: p.tag}
			first = p
		}
		var selfsig *digParams
		if expect != 0 {
			if p.tag != expect {
				failWhy = "subkey not followed by a signature"
				finished = false
				break
			}
			selfsig = &digParams{tag: p.tag}
		}
		target := d
		if selfsig != nil {
			target = selfsig
		}
		if !prtPkt(buf, p, target) {
			failWhy = describePktFailure(buf, p)
			finished = false
			break
		}
		if selfsig != nil {
			// "subkeys must be followed by binding signature"
			if selfsig.sigtype != sigTypeSubkeyBinding {
				failWhy = "subkey not followed by a subkey binding signature"
				finished = false
				break
			}
			checks++
			if checks > maxBindingChecks {
				return nil, "too many subkey binding signatures"
			}
			if !verifySelf(buf, d, selfsig, first, prev) {
				failWhy = "subkey binding signature does not verify"
				finished = false
				break
			}
			expect = 0
		}
		if p.tag == tagPublicSubkey {
			expect = tagSignature
		}
		prev = p
		n++
		off = p.end()
		if pkttype == tagSignature {
			break
		}
	}
	if !finished || d == nil || off != len(buf) || expect != 0 {
		if finished && d != nil && off != len(buf) {
			failWhy = "trailing data after the OpenPGP packet"
		} else if finished && expect != 0 {
			failWhy = "subkey not followed by a signature"
		} else if d == nil && finished {
			failWhy = "no OpenPGP packet"
		}
		return nil, failWhy
	}
	return d, ""
}

// describePktFailure explains why prtPkt failed, with 4.18's own warning
// text for unsupported versions.
func describePktFailure(buf []byte, p pkt) parseFailure {
	body := p.bodyOf(buf)
	switch p.tag {
	case tagPublicKey:
		// pgpPrtPkt: getKeyID -> getPubkeyFingerprint, whose "default:"
		// case warns (rpmio/rpmpgp_internal.c:723); a subkey packet is
		// skipped by pgpPrtPkt and never warns.
		if len(body) > 0 && body[0] != 4 {
			return parseFailure(unsupportedKey + itoa(int(body[0])))
		}
		if len(body) > 5 && body[5] != algoRSA && body[5] != algoDSA && body[5] != algoEdDSA {
			return "unsupported public key algorithm"
		}
		return "malformed public key packet"
	case tagSignature:
		// pgpPrtSig: pgpVersion needs one byte; versions other than 3 and 4
		// reach "default:".
		if len(body) > 0 && body[0] != 3 && body[0] != 4 {
			return parseFailure(unsupportedSig + itoa(int(body[0])))
		}
		return "malformed or unsupported signature packet"
	case tagReserved:
		return "packet with reserved tag 0"
	}
	return "malformed OpenPGP packet"
}

func itoa(v int) string {
	if v == 0 {
		return "0"
	}
	var b [8]byte
	i := len(b)
	for v > 0 && i > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}

// verifySelf is rpm 4.18's pgpVerifySelf for a subkey binding signature:
// hash the primary key (all[0]) and the subkey (all[i-1]) with the
// signature's hash, then pgpVerifySignature with the primary key. Other
// signature types are "ignored" by 4.18 (rc 0) but pgpPrtParams never calls
// it for them.
func verifySelf(buf []byte, key, sig *digParams, first, sub pkt) bool {
	if first.tag != tagPublicKey || sub.tag != tagPublicSubkey {
		return false
	}
	h, ok := newLegacyHash(sig.hashAlgo)
	if !ok {
		// rpmDigestInit fails for hashes libgcrypt-rpm 4.18 does not map.
		return false
	}
	for _, kp := range []pkt{first, sub} {
		body := kp.bodyOf(buf)
		h.Write([]byte{0x99, byte(len(body) >> 8), byte(len(body))})
		h.Write(body)
	}
	return verifyDigest(key, sig, h) == rcOK
}

// prtSubkeys is rpm 4.18's pgpPrtParamsSubkeys. Only subkeys whose
// immediately following signature is a subkey binding with the signing key
// flag (0x02) are returned; revoked (0x28 follows) or non-signing subkeys are
// dropped silently. A subkey that is not followed by a binding or revocation
// signature makes the whole call fail, unless it is the very last packet.
// The strict profile returns every subkey and judges it at use time.
func prtSubkeys(buf []byte, main *digParams) ([]*digParams, parseFailure) {
	var out []*digParams
	off := 0
	n := 0
	for off < len(buf) {
		p, ok := decodePkt(buf, off)
		if !ok {
			break
		}
		n++
		if n > maxCertPackets {
			return nil, "too many packets"
		}
		off = p.end()
		if p.tag != tagPublicSubkey {
			continue
		}
		if !main.hasUserID {
			// 4.18 does xstrdup(mainkey->userid) here; with no user ID that
			// is a NULL dereference (rpmkeys crashes). We refuse instead.
			return nil, "certificate without a user ID has subkeys (rpm 4.18 crashes on this)"
		}
		sk := &digParams{tag: tagPublicSubkey, userID: main.userID, hasUserID: true}
		body := p.bodyOf(buf)
		id, ok := keyIDOf(body)
		if !ok {
			continue
		}
		sk.signid = id
		if !prtKey(body, sk) {
			continue
		}
		sp, ok := decodePkt(buf, off)
		if !ok {
			break
		}
		if sp.tag != tagSignature {
			break
		}
		// parseSubkeySig: parsed without its MPIs (tag 0).
		sig := &digParams{}
		if !prtSig(sp.bodyOf(buf), sig, false) {
			break
		}
		if sig.sigtype != sigTypeSubkeyBinding && sig.sigtype != sigTypeSubkeyRevoke {
			break
		}
		// "Is the subkey revoked or incapable of signing?"
		if sig.sigtype == sigTypeSubkeyBinding && sig.saved&sigHasKeyFlags != 0 && sig.keyFlags&0x02 != 0 {
			sk.keyFlags = sig.keyFlags
			sk.saved |= sigHasKeyFlags
			out = append(out, sk)
		}
		off = sp.end()
	}
	if off != len(buf) {
		return nil, "subkey not followed by a subkey binding or revocation signature"
	}
	return out, ""
}
