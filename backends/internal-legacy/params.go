package legacy

import "github.com/rpmpgp/rpmpgp/core"

// Signature and key packet parsing, ported from rpm 4.18
// rpmio/rpmpgp_internal.c (pgpPrtSubType, processMpis, pgpPrtSig,
// pgpPrtKey, pgpPrtPubkeyParams, pgpPrtUserID, pgpPrtPkt) and the MPI
// handling of rpmio/digest_libgcrypt.c. RFC 4880 sections 5.2, 5.5.2, 3.2.

// Bits of digParams.saved, as rpm's PGPDIG_*: SAVED_* are never reset,
// SIG_HAS_* are reset for each signature parsed into the same params.
const (
	savedTime          = 1 << 0
	savedID            = 1 << 1
	sigHasCreationTime = 1 << 2
	sigHasKeyFlags     = 1 << 3
)

// Subpacket types rpm 4.18 implements (RFC 4880 section 5.2.3.1).
const (
	subSigCreateTime = 2
	subIssuerKeyID   = 16
	subKeyFlags      = 27
	subCritical      = 0x80
)

// maxMPIBits is libgcrypt's MAX_EXTERN_MPI_BITS: gcry_mpi_scan with
// GCRYMPI_FMT_PGP refuses a larger bit count, so rpm 4.18's setmpi callbacks
// (digest_libgcrypt.c pgpSet*Mpi*) fail and the packet does not parse.
const maxMPIBits = 16384

// digAlg is rpm's pgpDigAlg: the algorithm-specific MPIs of a key or
// signature. mpis holds the raw value bytes of each MPI exactly as stored
// (length from the bit count, the top bit never checked: rpm issue 2351).
type digAlg struct {
	algo  uint8
	curve int // curveEd25519 for EdDSA keys, else 0
	mpis  [][]byte
}

// Curves (rpm's PGPCURVE_*); only Ed25519 is usable in 4.18.
const (
	curveEd25519 = 6
)

// digParams is rpm 4.18's struct pgpDigParams_s. A key's params also absorb
// the non-binding signatures of its certificate, exactly as in rpm.
type digParams struct {
	tag        uint8
	userID     []byte
	hasUserID  bool
	hash       []byte // the hashed part of a signature (v3: 5 bytes)
	keyFlags   uint8
	version    uint8
	time       uint32
	pubkeyAlgo uint8
	hashAlgo   uint8
	sigtype    uint8
	signhash16 [2]byte
	signid     [8]byte
	saved      uint8
	alg        *digAlg
}

// sigMPIs and keyMPIs are the MPI counts of pgpSignatureNew/pgpPubkeyNew
// (digest_libgcrypt.c); -1 means unsupported (processMpis then fails).
func sigMPIs(algo uint8) int {
	switch algo {
	case algoRSA:
		return 1
	case algoDSA, algoEdDSA:
		return 2
	}
	// ECDSA and everything else: rpm 4.18 has no verifier (pgpSetMpiNULL).
	// The strict profile (rpm-sequoia) supports ECDSA, Ed448 and more.
	return -1
}

func keyMPIs(algo uint8, curve int) int {
	switch algo {
	case algoRSA:
		return 2
	case algoDSA:
		return 4
	case algoEdDSA:
		// pgpPubkeyNew: EdDSA only on a curve libgcrypt supports, and 4.18's
		// pgpSupportedCurve knows only Ed25519.
		if curve == curveEd25519 {
			return 1
		}
	}
	return -1
}

// processMpis is rpm 4.18's processMpis: exactly want MPIs must fill p. Each
// MPI's length is 2 + (bits+7)/8 (pgpMpiLen); the top bit is not checked.
// When store is set, each MPI also goes through libgcrypt's gcry_mpi_scan
// (the setmpi callback), which refuses more than maxMPIBits bits.
func processMpis(want int, p []byte, store bool) ([][]byte, bool) {
	var out [][]byte
	i := 0
	for ; i < want && len(p) >= 2; i++ {
		bits := int(p[0])<<8 | int(p[1])
		mpil := 2 + (bits+7)>>3
		if len(p) < mpil {
			return nil, false
		}
		if store {
			if bits > maxMPIBits {
				return nil, false
			}
			out = append(out, p[2:mpil])
		}
		p = p[mpil:]
	}
	// "Does the size and number of MPI's match our expectations?"
	if len(p) != 0 || i != want {
		return nil, false
	}
	return out, true
}

// prtSubType is rpm 4.18's pgpPrtSubType over one subpacket area. It returns
// false (rpm: rc 1) when the area is malformed, on a duplicate hashed
// creation time or key flags, and on any critical subpacket rpm does not
// implement.
func prtSubType(h []byte, sigtype uint8, d *digParams, hashed bool) bool {
	p := h
	for len(p) > 0 {
		impl := false
		lenlen, plen := pgpLen(p)
		if lenlen == 0 || plen < 1 || lenlen+plen > len(p) {
			break
		}
		p = p[lenlen:]
		body := p[:plen] // body[0] is the type
		switch body[0] &^ subCritical {
		case subSigCreateTime:
			// RFC 4880 section 5.2.3.4: creation time MUST be hashed.
			if !hashed || plen-1 != 4 {
				break
			}
			if d.saved&sigHasCreationTime != 0 {
				return false // duplicate timestamps not allowed
			}
			impl = true
			if d.saved&savedTime == 0 {
				d.time = grab(body[1:5])
			}
			d.saved |= savedTime | sigHasCreationTime
		case subIssuerKeyID:
			// rpm 4.18 takes the issuer (RFC 4880 section 5.2.3.5) only for
			// positive certifications and binary/text/standalone signatures,
			// and only when it is exactly 8 bytes; the subpacket counts as
			// implemented (so a critical Issuer is accepted) either way.
			// Subpacket 33 (Issuer Fingerprint) is unknown to 4.18: never used
			// and fatal when critical. The strict profile (rpm-sequoia)
			// takes the issuer from Issuer or Issuer Fingerprint for every
			// signature type.
			impl = true
			if d.saved&savedID == 0 && (sigtype == sigTypePositiveCert ||
				sigtype == sigTypeBinary || sigtype == sigTypeText || sigtype == sigTypeStandalone) {
				if plen-1 != 8 {
					break
				}
				d.saved |= savedID
				copy(d.signid[:], body[1:9])
			}
		case subKeyFlags:
			// Subpackets in the unhashed section cannot be trusted.
			if !hashed {
				break
			}
			if d.saved&sigHasKeyFlags != 0 {
				return false // reject duplicate key usage flags
			}
			impl = true
			d.saved |= sigHasKeyFlags
			d.keyFlags = 0
			if plen >= 2 {
				d.keyFlags = body[1]
			}
		}
		// RFC 4880 section 5.2.3.1: an unknown critical subpacket makes the
		// signature invalid. rpm 4.18 "knows" only the three above, so a
		// critical Key Expiration Time, Primary User ID, Embedded Signature
		// or Issuer Fingerprint (as Sequoia writes them) is fatal. The
		// strict profile understands all of them.
		if !impl && body[0]&subCritical != 0 {
			return false
		}
		p = p[plen:]
	}
	return len(p) == 0
}

// prtSig is rpm 4.18's pgpPrtSig. withMPIs corresponds to a non-zero tag
// argument (pgpPrtParams passes the packet tag; parseSubkeySig passes 0 and
// so never looks at the MPIs). A signature parsed into params that already
// hold a key or signature (pubkeyAlgo != 0) only updates the saved flags and
// the time/issuer they allow, as in rpm.
func prtSig(h []byte, d *digParams, withMPIs bool) bool {
	// "Reset the saved flags"
	d.saved &= savedTime | savedID
	d.keyFlags = 0
	if len(h) < 1 {
		return false
	}
	switch h[0] {
	case 3:
		// RFC 4880 section 5.2.2: version, hashlen(5), type, time(4),
		// keyid(8), pubkey algo, hash algo, left 16 bits; then the MPIs.
		const v3len = 19
		if len(h) <= v3len || h[1] != 5 {
			return false
		}
		if d.pubkeyAlgo == 0 {
			d.version = 3
			d.sigtype = h[2]
			d.hash = append([]byte(nil), h[2:7]...)
			if d.saved&savedTime == 0 {
				d.time = grab(h[3:7])
			}
			if d.saved&savedID == 0 {
				copy(d.signid[:], h[7:15])
			}
			d.saved = savedTime | sigHasCreationTime | savedID
			d.pubkeyAlgo = h[15]
			d.hashAlgo = h[16]
			copy(d.signhash16[:], h[17:19])
		}
		if withMPIs {
			return prtSigParams(h[15], h[v3len:], d)
		}
		return true
	case 4:
		// RFC 4880 section 5.2.3: version, type, pubkey algo, hash algo,
		// hashed subpacket count(2) + data, unhashed count(2) + data,
		// left 16 bits, MPIs.
		if len(h) <= 6 {
			return false
		}
		sigtype, pubkeyAlgo, hashAlgo := h[1], h[2], h[3]
		p := 4
		plen := int(h[4])<<8 | int(h[5])
		p += 2
		if p+plen > len(h) {
			return false
		}
		if d.pubkeyAlgo == 0 {
			d.hash = append([]byte(nil), h[:6+plen]...)
		}
		if !prtSubType(h[p:p+plen], sigtype, d, true) {
			return false
		}
		p += plen
		// RFC 4880 section 5.2.3.4: creation time MUST be present (hashed).
		if d.saved&sigHasCreationTime == 0 {
			return false
		}
		if len(h)-p < 2 {
			return false
		}
		plen = int(h[p])<<8 | int(h[p+1])
		p += 2
		if p+plen > len(h) {
			return false
		}
		if !prtSubType(h[p:p+plen], sigtype, d, false) {
			return false
		}
		p += plen
		if len(h)-p < 2 {
			return false
		}
		if d.pubkeyAlgo == 0 {
			d.version = 4
			d.sigtype = sigtype
			d.pubkeyAlgo = pubkeyAlgo
			d.hashAlgo = hashAlgo
			copy(d.signhash16[:], h[p:p+2])
		}
		p += 2
		if withMPIs {
			return prtSigParams(pubkeyAlgo, h[p:], d)
		}
		return true
	}
	// rpm logs "Unsupported version of signature: V%d" and fails (v5/v6
	// signatures; the strict profile parses v6).
	return false
}

// prtSigParams is rpm 4.18's pgpPrtSigParams: the MPIs of the signature's
// algorithm must fill the rest of the packet; they are kept only when the
// params describe a signature that has none yet.
func prtSigParams(pubkeyAlgo uint8, p []byte, d *digParams) bool {
	mpis, ok := processMpis(sigMPIs(pubkeyAlgo), p, true)
	if !ok {
		return false
	}
	if d.alg == nil && d.tag == tagSignature {
		d.alg = &digAlg{algo: pubkeyAlgo, mpis: mpis}
	}
	return true
}

// curveOIDEd25519 is the Ed25519 OID 1.3.6.1.4.1.11591.15.1 (RFC 4880bis,
// rpm's curve_oids[] PGPCURVE_ED25519). rpm 4.18 also lists NIST and
// brainpool OIDs and Curve25519, but pgpSupportedCurve accepts only Ed25519.
var curveOIDEd25519 = ed25519OID()

// ed25519OID is the OID of the Ed25519 row of core's curve table.
func ed25519OID() []byte {
	c, _ := core.CurveByName("Ed25519")
	return c.OID
}

// prtPubkeyParams is rpm 4.18's pgpPrtPubkeyParams. h is the whole key
// packet body and p the part after the 6-byte v4 header.
func prtPubkeyParams(pubkeyAlgo uint8, p []byte, hlen int, d *digParams) bool {
	curve := 0
	if pubkeyAlgo == algoEdDSA {
		// rpm checks the OID length against the whole packet length (hlen),
		// not against what is left; the OID compare below is bounded.
		l := 0
		if hlen > 1 && len(p) > 0 {
			l = int(p[0])
		}
		if l == 0 || l == 0xff || l >= hlen || 1+l > len(p) {
			return false
		}
		if l == len(curveOIDEd25519) && string(p[1:1+l]) == string(curveOIDEd25519) {
			curve = curveEd25519
		}
		p = p[1+l:]
	}
	// ECDSA (19) has no verifier in rpm 4.18, so ECDSA keys never parse; the
	// strict profile supports NIST P-256/384/521 (and brainpool).
	mpis, ok := processMpis(keyMPIs(pubkeyAlgo, curve), p, true)
	if !ok {
		return false
	}
	// "We can't handle more than one key at a time"
	if d.alg == nil && (d.tag == tagPublicKey || d.tag == tagPublicSubkey) {
		d.alg = &digAlg{algo: pubkeyAlgo, curve: curve, mpis: mpis}
	}
	return true
}

// prtKey is rpm 4.18's pgpPrtKey: only v4 keys (RFC 4880 section 5.5.2). v3,
// v5 and v6 keys fail (rpm logs "Unsupported version of key: V%d"); the
// strict profile accepts v6 keys (RFC 9580).
func prtKey(h []byte, d *digParams) bool {
	if len(h) < 1 || h[0] != 4 || len(h) <= 6 {
		return false
	}
	// "If _digp->hash is not NULL then signature is already loaded"
	if d.hash == nil {
		d.version = 4
		if d.saved&savedTime == 0 {
			d.time = grab(h[1:5])
		}
		d.pubkeyAlgo = h[5]
		d.saved |= savedTime | sigHasCreationTime
	}
	return prtPubkeyParams(h[5], h[6:], len(h), d)
}

// prtPkt is rpm 4.18's pgpPrtPkt: signatures, primary keys and user IDs are
// parsed into d, tag 0 is an error and every other packet is ignored
// (subkeys are handled by the callers).
func prtPkt(buf []byte, p pkt, d *digParams) bool {
	body := p.bodyOf(buf)
	switch p.tag {
	case tagSignature:
		return prtSig(body, d, true)
	case tagPublicKey:
		id, ok := keyIDOf(body)
		if !ok {
			d.signid = [8]byte{}
			return false
		}
		d.signid = id
		d.saved |= savedID
		return prtKey(body, d)
	case tagUserID:
		// pgpPrtUserID: the last user ID of the certificate wins. The strict
		// profile reports the primary user ID instead.
		d.userID = append(d.userID[:0], body...)
		d.hasUserID = true
		return true
	case tagReserved:
		return false
	}
	return true
}
