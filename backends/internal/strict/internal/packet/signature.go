package packet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
)

// Signature types (RFC 9580, Section 5.2.1).
const (
	sigBinary          = 0x00
	sigText            = 0x01
	SigGenericCert     = 0x10
	SigPositiveCert    = 0x13
	SigSubkeyBinding   = 0x18
	SigPrimaryBinding  = 0x19
	SigDirectKey       = 0x1f
	SigKeyRevocation   = 0x20
	SigSubkeyRevoke    = 0x28
	SigCertRevocation  = 0x30
	reasonSuperseded   = 1
	reasonRetired      = 3
	reasonUIDNotValid  = 32
	KeyFlagSign        = 0x02
	subpacketCritical  = 0x80
	subpacketTypeMask  = 0x7f
	maxSignatureSaltSz = 32
)

// Issuer is one Issuer (16) or Issuer Fingerprint (33) subpacket value.
type Issuer struct {
	KeyID core.KeyID
	Fpr   []byte // nil for an Issuer Key ID subpacket
}

// String displays the issuer as Sequoia's KeyHandle does.
func (i Issuer) String() string {
	if i.Fpr != nil {
		return UpperHex(i.Fpr)
	}
	return UpperHex(i.KeyID[:])
}

// Signature is a parsed signature packet (RFC 9580, Section 5.2; v3 per
// RFC 4880, Section 5.2.2).
type Signature struct {
	Version  int
	SigType  byte
	PKAlgo   core.PubKeyAlgo
	HashAlgo core.HashAlgo
	// HashedArea is the v4/v6 hashed subpacket area (without its length).
	HashedArea []byte
	Prefix     [2]byte
	Salt       []byte
	// MPIs holds the signature MPIs' values; Raw holds fixed-size material
	// (Ed25519, Ed448) or material of an algorithm we cannot verify.
	MPIs [][]byte
	Raw  []byte

	Created      time.Time
	HasCreated   bool
	SigLifetime  uint32 // seconds; 0 = never expires
	KeyLifetime  uint32
	HasKeyExpiry bool
	KeyFlags     byte
	HasKeyFlags  bool
	PrimaryUID   bool
	HasReason    bool
	Reason       byte
	ReasonMsg    string
	Issuers      []Issuer // fingerprints first, as Sequoia's get_issuers
	Embedded     []*Signature
	// Backsigs are the embedded Primary Key Binding signatures verified
	// when this subkey binding was attached to its certificate.
	Backsigs []*Signature
	// CriticalRejected holds, for each critical hashed subpacket Sequoia's
	// StandardPolicy rejects (unknown types, Signature Target, notations),
	// the policy error it gives.
	CriticalRejected []error
}

// FirstIssuer is rpm-sequoia's "first issuer" (get_issuers().next()).
func (s *Signature) FirstIssuer() (Issuer, bool) {
	if len(s.Issuers) == 0 {
		return Issuer{}, false
	}
	return s.Issuers[0], true
}

// SignID is pgpDigParamsSignID: the first issuer as a key ID; a v4
// fingerprint gives its last 8 bytes, a v6 one its first 8 (rpm-sequoia
// #87, RFC 9580 Section 5.5.4.3).
func (s *Signature) SignID() core.KeyID {
	i, ok := s.FirstIssuer()
	if !ok {
		return core.KeyID{}
	}
	if i.Fpr != nil {
		return KeyIDFromFingerprint(i.Fpr)
	}
	return i.KeyID
}

// KeyIDFromFingerprint is the key ID of a fingerprint: the last 8 bytes
// of a v4 one, the first 8 of a v6 one (RFC 9580, Section 5.5.4).
func KeyIDFromFingerprint(fpr []byte) core.KeyID {
	var id core.KeyID
	if len(fpr) == 32 {
		copy(id[:], fpr[:8])
	} else if len(fpr) >= 8 {
		copy(id[:], fpr[len(fpr)-8:])
	}
	return id
}

// Expiration returns the signature expiration time (Section 5.2.3.18).
func (s *Signature) Expiration() (time.Time, bool) {
	if !s.HasCreated || s.SigLifetime == 0 {
		return time.Time{}, false
	}
	return s.Created.Add(time.Duration(s.SigLifetime) * time.Second), true
}

// AliveAt reports whether the signature is alive at t with the given clock
// skew tolerance (Sequoia Signature::signature_alive): created no later
// than t+skew and not expired at t.
func (s *Signature) AliveAt(t time.Time, skew time.Duration) error {
	if !s.HasCreated {
		return errors.New("Signature has no creation time")
	}
	if s.Created.After(t.Add(skew)) {
		return fmt.Errorf("Not live until %s", SequoiaTime(s.Created))
	}
	if e, ok := s.Expiration(); ok && !e.After(t) {
		return fmt.Errorf("Expired on %s", SequoiaTime(e))
	}
	return nil
}

// SignsData reports whether a binding's key flags mark the key as signing
// capable (RFC 9580, Section 5.2.3.29, flag 0x02).
func (s *Signature) SignsData() bool {
	return s.HasKeyFlags && s.KeyFlags&KeyFlagSign != 0
}

// IsHardRevocation reports whether a revocation is "hard" (Sequoia
// RevocationType::Hard): no reason, or a reason other than superseded,
// retired or user ID no longer valid (RFC 9580, Section 5.2.3.31).
func (s *Signature) IsHardRevocation() bool {
	if !s.HasReason {
		return true
	}
	switch s.Reason {
	case reasonSuperseded, reasonRetired, reasonUIDNotValid:
		return false
	}
	return true
}

// Trailer returns the bytes hashed after the signed data (RFC 9580,
// Section 5.2.4; v3: RFC 4880, Section 5.2.2, type and creation time).
func (s *Signature) Trailer() []byte {
	switch s.Version {
	case 3:
		out := []byte{s.SigType, 0, 0, 0, 0}
		binary.BigEndian.PutUint32(out[1:], uint32(s.Created.Unix()))
		return out
	case 4:
		n := 6 + len(s.HashedArea)
		out := make([]byte, 0, n+6)
		out = append(out, 4, s.SigType, byte(s.PKAlgo), byte(s.HashAlgo), byte(len(s.HashedArea)>>8), byte(len(s.HashedArea)))
		out = append(out, s.HashedArea...)
		return append(out, 4, 0xff, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	default: // 6
		n := 8 + len(s.HashedArea)
		out := make([]byte, 0, n+6)
		l := len(s.HashedArea)
		out = append(out, 6, s.SigType, byte(s.PKAlgo), byte(s.HashAlgo), byte(l>>24), byte(l>>16), byte(l>>8), byte(l))
		out = append(out, s.HashedArea...)
		return append(out, 6, 0xff, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

// ParseSignature parses a signature packet body. depth counts embedded
// Signature nesting.
func ParseSignature(body []byte, depth int) (*Signature, error) {
	if len(body) < 1 {
		return nil, ErrTruncated
	}
	s := &Signature{Version: int(body[0])}
	p := body[1:]
	need := func(n int) error {
		if len(p) < n {
			return ErrTruncated
		}
		return nil
	}
	switch s.Version {
	case 3:
		// RFC 4880, Section 5.2.2: hashed length 5, type, ctime, key ID,
		// algorithms, prefix, MPIs.
		if err := need(18); err != nil {
			return nil, err
		}
		if p[0] != 5 {
			return nil, fmt.Errorf("Malformed packet: Invalid hashed length %d in v3 signature", p[0])
		}
		s.SigType = p[1]
		s.Created = time.Unix(int64(binary.BigEndian.Uint32(p[2:6])), 0).UTC()
		s.HasCreated = true
		var id core.KeyID
		copy(id[:], p[6:14])
		s.Issuers = []Issuer{{KeyID: id}}
		s.PKAlgo = core.PubKeyAlgo(p[14])
		s.HashAlgo = core.HashAlgo(p[15])
		copy(s.Prefix[:], p[16:18])
		p = p[18:]
	case 4, 6:
		if err := need(3); err != nil {
			return nil, err
		}
		s.SigType, s.PKAlgo, s.HashAlgo = p[0], core.PubKeyAlgo(p[1]), core.HashAlgo(p[2])
		p = p[3:]
		lenSize := 2
		if s.Version == 6 {
			lenSize = 4
		}
		readArea := func() ([]byte, error) {
			if err := need(lenSize); err != nil {
				return nil, err
			}
			var l uint64
			for i := 0; i < lenSize; i++ {
				l = l<<8 | uint64(p[i])
			}
			p = p[lenSize:]
			if l > uint64(len(p)) {
				return nil, ErrTruncated
			}
			a := p[:l]
			p = p[l:]
			return a, nil
		}
		hashed, err := readArea()
		if err != nil {
			return nil, err
		}
		unhashed, err := readArea()
		if err != nil {
			return nil, err
		}
		s.HashedArea = hashed
		count := 0
		if err := s.parseSubpackets(hashed, true, &count, depth); err != nil {
			return nil, err
		}
		if err := s.parseSubpackets(unhashed, false, &count, depth); err != nil {
			return nil, err
		}
		// Sequoia's get_issuers sorts fingerprints before key IDs (stable).
		sort.SliceStable(s.Issuers, func(i, j int) bool { return s.Issuers[i].Fpr != nil && s.Issuers[j].Fpr == nil })
		if err := need(2); err != nil {
			return nil, err
		}
		copy(s.Prefix[:], p[:2])
		p = p[2:]
		if s.Version == 6 {
			// RFC 9580, Section 5.2.3: salt size octet and salt, whose
			// size must match the hash algorithm.
			if err := need(1); err != nil {
				return nil, err
			}
			n := int(p[0])
			p = p[1:]
			if err := need(n); err != nil {
				return nil, err
			}
			// (Section 9.5, Table 23: the V6Salt column of core's
			// algorithm table; 0 = no size fixed, not checked here).
			if want := s.HashAlgo.Info().V6Salt; want > 0 && n != want {
				return nil, fmt.Errorf("Malformed packet: Salt size %d does not match %v", n, s.HashAlgo)
			}
			s.Salt = p[:n]
			p = p[n:]
		}
	default:
		return nil, fmt.Errorf("Malformed packet: Unsupported signature version %d", s.Version)
	}
	if err := s.parseMaterial(p); err != nil {
		return nil, err
	}
	return s, nil
}

// parseMaterial reads the algorithm-specific signature fields (RFC 9580,
// Section 5.2.3); all of p must be consumed for known algorithms.
func (s *Signature) parseMaterial(p []byte) error {
	nMPI := 0
	switch s.PKAlgo {
	case core.PubKeyRSA, core.PubKeyRSASign, core.PubKeyRSAEncrypt:
		nMPI = 1
	case core.PubKeyDSA, core.PubKeyECDSA, core.PubKeyEdDSA, core.PubKeyElgamal:
		nMPI = 2
	case core.PubKeyEd25519, core.PubKeyEd448, core.PubKeyMLDSA65Ed25519, core.PubKeyMLDSA87Ed448:
		// Section 5.2.3.3/5.2.3.4: native, fixed-size signatures; the
		// composites of draft-ietf-openpgp-pqc ("Signature Packet"): the
		// EdDSA signature, then the ML-DSA one. The SigBytes column of
		// core's algorithm table.
		if want := s.PKAlgo.Info().SigBytes; len(p) != want {
			return fmt.Errorf("Malformed packet: %v signature has %d bytes, want %d", s.PKAlgo, len(p), want)
		}
		s.Raw = p
		return nil
	default:
		// An algorithm we cannot verify: keep the material (Sequoia parses
		// it as opaque "Unknown" material).
		s.Raw = p
		return nil
	}
	for i := 0; i < nMPI; i++ {
		v, n, err := ReadMPI(p)
		if err != nil {
			return err
		}
		s.MPIs = append(s.MPIs, v)
		p = p[n:]
	}
	if len(p) != 0 {
		return fmt.Errorf("Malformed packet: %d bytes of trailing signature material", len(p))
	}
	return nil
}

// knownSubpackets are the subpacket types Sequoia's StandardPolicy accepts
// when marked critical (policy.rs SubpacketTagCutoffList: every type it
// implements except Signature Target (31), which it rejects, and notations
// (20), which need an explicit allow list; 34 is LibrePGP's Preferred AEAD
// Algorithms, 39 RFC 9580's Preferred AEAD Ciphersuites).
var knownSubpackets = map[byte]bool{
	2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 9: true, 11: true,
	12: true, 16: true, 21: true, 22: true, 23: true, 24: true, 25: true,
	26: true, 27: true, 28: true, 29: true, 30: true, 32: true,
	33: true, 34: true, 35: true, 37: true, 39: true,
}

// parseSubpackets walks one subpacket area (RFC 9580, Section 5.2.3.7).
// Only the hashed area is trusted for the properties of the signature;
// Issuer and embedded signatures are taken from both areas as Sequoia does.
func (s *Signature) parseSubpackets(area []byte, hashed bool, count *int, depth int) error {
	for len(area) > 0 {
		*count++
		if *count > MaxSubpackets {
			return fmt.Errorf("Malformed packet: more than %d subpackets", MaxSubpackets)
		}
		var l, hdr int
		switch o := area[0]; {
		case o < 192:
			l, hdr = int(o), 1
		case o < 255:
			if len(area) < 2 {
				return errors.New("Malformed packet: Subpacket extends beyond the end of the subpacket area")
			}
			l, hdr = (int(o)-192)<<8+int(area[1])+192, 2
		default:
			if len(area) < 5 {
				return errors.New("Malformed packet: Subpacket extends beyond the end of the subpacket area")
			}
			l64 := uint64(binary.BigEndian.Uint32(area[1:5]))
			if l64 > uint64(len(area)) {
				return errors.New("Malformed packet: Subpacket extends beyond the end of the subpacket area")
			}
			l, hdr = int(l64), 5
		}
		if hdr+l > len(area) {
			return errors.New("Malformed packet: Subpacket extends beyond the end of the subpacket area")
		}
		if l == 0 {
			return errors.New("Malformed packet: Subpacket has zero length")
		}
		typ := area[hdr]
		data := area[hdr+1 : hdr+l]
		area = area[hdr+l:]
		critical := typ&subpacketCritical != 0
		typ &= subpacketTypeMask
		if err := s.subpacket(typ, critical, data, hashed, depth); err != nil {
			return err
		}
	}
	return nil
}

func (s *Signature) subpacket(typ byte, critical bool, data []byte, hashed bool, depth int) error {
	bad := func() error {
		return fmt.Errorf("Malformed packet: Subpacket %d has invalid length %d", typ, len(data))
	}
	u32 := func() (uint32, error) {
		if len(data) != 4 {
			return 0, bad()
		}
		return binary.BigEndian.Uint32(data), nil
	}
	// Sequoia's StandardPolicy::signature looks only at the critical
	// subpackets of the hashed area; the unhashed area is unauthenticated
	// and its criticality is ignored.
	if critical && hashed {
		if typ == 20 {
			// No critical notation is on StandardPolicy's good list.
			s.CriticalRejected = append(s.CriticalRejected, Wrapf(fmt.Errorf("Critical notation %q is not considered secure", notationName(data)), "Policy rejected critical notation"))
		} else if !knownSubpackets[typ] {
			s.CriticalRejected = append(s.CriticalRejected, Wrapf(fmt.Errorf("%s is not considered secure", subpacketTagName(typ)), "Policy rejected critical signature subpacket"))
		}
	}
	switch typ {
	case 2: // Signature Creation Time, Section 5.2.3.11.
		v, err := u32()
		if err != nil {
			return err
		}
		// Sequoia SubpacketAreas::signature_creation_time: the last
		// instance in the hashed area counts (as for every subpacket).
		if hashed {
			s.Created, s.HasCreated = time.Unix(int64(v), 0).UTC(), true
		}
	case 3: // Signature Expiration Time, Section 5.2.3.18.
		v, err := u32()
		if err != nil {
			return err
		}
		if hashed {
			s.SigLifetime = v
		}
	case 9: // Key Expiration Time, Section 5.2.3.13.
		v, err := u32()
		if err != nil {
			return err
		}
		if hashed {
			s.KeyLifetime, s.HasKeyExpiry = v, true
		}
	case 16: // Issuer Key ID, Section 5.2.3.12.
		if len(data) != 8 {
			return bad()
		}
		var id core.KeyID
		copy(id[:], data)
		s.Issuers = append(s.Issuers, Issuer{KeyID: id})
	case 33: // Issuer Fingerprint, Section 5.2.3.35.
		if len(data) < 1 {
			return bad()
		}
		switch {
		case data[0] == 4 && len(data) == 21, data[0] == 6 && len(data) == 33:
			fpr := data[1:]
			s.Issuers = append(s.Issuers, Issuer{KeyID: KeyIDFromFingerprint(fpr), Fpr: fpr})
		default:
			return bad()
		}
	case 25: // Primary User ID, Section 5.2.3.27.
		if len(data) != 1 {
			return bad()
		}
		if hashed {
			s.PrimaryUID = data[0] != 0
		}
	case 27: // Key Flags, Section 5.2.3.29.
		if hashed {
			s.HasKeyFlags = true
			if len(data) > 0 {
				s.KeyFlags = data[0]
			}
		}
	case 29: // Reason for Revocation, Section 5.2.3.31.
		if len(data) < 1 {
			return bad()
		}
		if hashed {
			s.HasReason, s.Reason, s.ReasonMsg = true, data[0], string(data[1:])
		}
	case 32: // Embedded Signature, Section 5.2.3.34.
		if depth >= MaxEmbeddedDepth {
			return errors.New("Malformed packet: nested embedded signature")
		}
		es, err := ParseSignature(data, depth+1)
		if err != nil {
			// An unparseable backsig makes the binding unusable later; it
			// does not make the outer signature unparseable for Sequoia.
			return nil
		}
		s.Embedded = append(s.Embedded, es)
	}
	return nil
}

// subpacketTagName is how Sequoia displays a subpacket tag it rejects when
// critical (SubpacketTag's Debug form).
func subpacketTagName(typ byte) string {
	switch {
	case typ == 10:
		return "PlaceholderForBackwardCompatibility"
	case typ == 31:
		return "SignatureTarget"
	case typ <= 1 || typ == 8 || (typ >= 13 && typ <= 15) || (typ >= 17 && typ <= 19):
		return fmt.Sprintf("Reserved(%d)", typ)
	case typ >= 100 && typ <= 110:
		return fmt.Sprintf("Private(%d)", typ)
	}
	return fmt.Sprintf("Unknown(%d)", typ)
}

// notationName is the name of a Notation Data subpacket (RFC 9580,
// Section 5.2.3.24: 4 flag octets, name length, value length, name,
// value), or "" if the subpacket is too short to hold it.
func notationName(data []byte) string {
	if len(data) < 8 {
		return ""
	}
	n := int(data[4])<<8 | int(data[5])
	if len(data) < 8+n {
		return ""
	}
	return string(data[8 : 8+n])
}
