package strict

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
	"github.com/rpmpgp/rpmpgp/core"
)

// curves are the curves the strict code verifies on, by core's curve
// table Name; a curve not listed (Curve25519, an ECDH curve) parses but
// cannot verify.
var curves = map[string]Curve{
	"P-256": CurveP256, "P-384": CurveP384, "P-521": CurveP521,
	"brainpoolP256r1": CurveBrainpoolP256, "brainpoolP384r1": CurveBrainpoolP384, "brainpoolP512r1": CurveBrainpoolP512,
	"Ed25519": CurveEd25519,
}

// publicKey is a parsed public (sub)key packet (RFC 9580, Section 5.5.2).
type publicKey struct {
	version int
	created time.Time
	algo    core.PubKeyAlgo
	// body is the public part of the packet body, as hashed for
	// fingerprints and signatures (Section 5.2.4).
	body []byte
	// mpis: RSA n, e; DSA p, q, g, y; ECDSA/EdDSA/ECDH point.
	mpis  [][]byte
	raw   []byte // native key material (Ed25519, Ed448, X25519, ...)
	curve Curve
	// curveName is the Name of the curve's row in core's curve table, as
	// policyconf.AsymmetricBucket takes it.
	curveName string
	bits      int
	fpr       []byte
	keyID     core.KeyID
}

// parsePublicKey parses the public part of a key packet body (tags 5, 6,
// 7, 14). v4 and v6 keys are supported; v3 and v5 keys are refused, as
// Sequoia (without the v5 feature) does. fingerprint is computed with h.
func parsePublicKey(body []byte, secret bool, prims Primitives) (*publicKey, error) {
	if len(body) < 6 {
		return nil, packet.ErrTruncated
	}
	k := &publicKey{version: int(body[0])}
	k.created = time.Unix(int64(binary.BigEndian.Uint32(body[1:5])), 0).UTC()
	k.algo = core.PubKeyAlgo(body[5])
	p := body[6:]
	var material []byte
	switch k.version {
	case 4:
		material = p
	case 6:
		// Section 5.5.2.3: 4-octet length of the key material.
		if len(p) < 4 {
			return nil, packet.ErrTruncated
		}
		l := binary.BigEndian.Uint32(p)
		if uint64(l) > uint64(len(p)-4) {
			return nil, packet.ErrTruncated
		}
		material = p[4 : 4+l]
	default:
		return nil, fmt.Errorf("Malformed packet: Unsupported key version %d", k.version)
	}
	used, err := k.parseMaterial(material)
	if err != nil {
		return nil, err
	}
	end := 6 + used
	if k.version == 6 {
		end = 10 + len(material)
		if used != len(material) {
			return nil, fmt.Errorf("Malformed packet: %d bytes of trailing key material", len(material)-used)
		}
	} else if !secret && end != len(body) {
		return nil, fmt.Errorf("Malformed packet: %d bytes of trailing key material", len(body)-end)
	}
	k.body = body[:end]
	if err := k.computeFingerprint(prims); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *publicKey) parseMaterial(p []byte) (int, error) {
	start := len(p)
	readN := func(n int) error {
		for i := 0; i < n; i++ {
			v, used, err := packet.ReadMPI(p)
			if err != nil {
				return err
			}
			k.mpis = append(k.mpis, v)
			p = p[used:]
		}
		return nil
	}
	readOID := func() error {
		// Section 5.5.5.5: one length octet (0 and 0xff reserved), OID.
		if len(p) < 1 || p[0] == 0 || p[0] == 0xff || len(p) < 1+int(p[0]) {
			return fmt.Errorf("Malformed packet: invalid curve OID")
		}
		oid := p[1 : 1+int(p[0])]
		p = p[1+int(p[0]):]
		// Section 9.2: the curve by OID (core's curve table).
		if c, ok := core.CurveByOID(oid); ok {
			k.curve, k.curveName = curves[c.Name], c.Name
		}
		return nil
	}
	fixed := func(n int) error {
		if len(p) < n {
			return packet.ErrTruncated
		}
		k.raw = p[:n]
		p = p[n:]
		return nil
	}
	var err error
	switch k.algo {
	case core.PubKeyRSA, core.PubKeyRSAEncrypt, core.PubKeyRSASign:
		if err = readN(2); err == nil {
			k.bits = packet.BitLen(k.mpis[0])
		}
	case core.PubKeyDSA:
		if err = readN(4); err == nil {
			k.bits = packet.BitLen(k.mpis[0])
		}
	case core.PubKeyElgamal, core.PubKeyElgamalEncrypt:
		if err = readN(3); err == nil {
			k.bits = packet.BitLen(k.mpis[0])
		}
	case core.PubKeyECDSA, core.PubKeyEdDSA:
		if err = readOID(); err == nil {
			err = readN(1)
		}
	case core.PubKeyECDH:
		if err = readOID(); err == nil {
			err = readN(1)
		}
		if err == nil {
			// KDF parameters (Section 5.5.5.6): length, 1, hash, cipher.
			if len(p) < 1 || len(p) < 1+int(p[0]) {
				return 0, packet.ErrTruncated
			}
			p = p[1+int(p[0]):]
		}
	case core.PubKeyX25519, core.PubKeyX448, core.PubKeyEd25519, core.PubKeyEd448,
		core.PubKeyMLDSA65Ed25519, core.PubKeyMLDSA87Ed448, core.PubKeyMLKEM768X25519, core.PubKeyMLKEM1024X448,
		core.PubKeySLHDSAShake128s, core.PubKeySLHDSAShake128f, core.PubKeySLHDSAShake256s:
		// Fixed-size native material (Sections 5.5.5.7-10; composites of
		// draft-ietf-openpgp-pqc: EdDSA/X key || ML-DSA/ML-KEM key): the
		// KeyBytes column of core's algorithm table.
		err = fixed(k.algo.Info().KeyBytes)
	default:
		// Unknown algorithm: opaque material (v4: the rest of the packet).
		k.raw = p
		p = p[len(p):]
	}
	if err != nil {
		return 0, err
	}
	return start - len(p), nil
}

// hashPrefix returns the bytes that precede body when the key is hashed
// for a fingerprint or a signature (RFC 9580, Sections 5.2.4 and 5.5.4).
func (k *publicKey) hashPrefix() []byte {
	if k.version == 6 {
		n := len(k.body)
		return []byte{0x9b, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
	}
	n := len(k.body)
	return []byte{0x99, byte(n >> 8), byte(n)}
}

// computeFingerprint sets fpr and keyID (RFC 9580, Section 5.5.4): v4 is
// SHA-1 and the low 64 bits, v6 is SHA-256 and the high 64 bits.
func (k *publicKey) computeFingerprint(prims Primitives) error {
	algo := core.HashSHA1
	if k.version == 6 {
		algo = core.HashSHA256
	}
	h, err := prims.NewHash(algo)
	if err != nil {
		return fmt.Errorf("computing fingerprint: %w", err)
	}
	h.Write(k.hashPrefix())
	h.Write(k.body)
	sum, err := h.Sum()
	if err != nil {
		return fmt.Errorf("computing fingerprint: %w", err)
	}
	k.fpr = sum
	k.keyID = packet.KeyIDFromFingerprint(sum)
	return nil
}

// matches reports whether the key is the one an issuer names.
func (k *publicKey) matches(i packet.Issuer) bool {
	if i.Fpr != nil {
		return bytes.Equal(i.Fpr, k.fpr)
	}
	return i.KeyID == k.keyID
}

// bucketCurve is the curve name policyconf.AsymmetricBucket expects.
func (k *publicKey) bucketCurve() string { return k.curveName }
