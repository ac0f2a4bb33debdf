package main

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// sigOpts are the knobs of a Go-made signature.
type sigOpts struct {
	hash     crypto.Hash
	created  time.Time
	lifetime uint32 // signature expiration subpacket, seconds; 0 = none
	subkey   bool   // sign with the (first) signing subkey instead of the primary
}

// signer picks the private key of e that opts ask for.
func signer(e *openpgp.Entity, o sigOpts) (*packet.PrivateKey, error) {
	if !o.subkey {
		return e.PrivateKey, nil
	}
	for _, s := range e.Subkeys {
		if s.PrivateKey != nil && s.Sig != nil && s.Sig.FlagSign {
			return s.PrivateKey, nil
		}
	}
	return nil, fmt.Errorf("no signing subkey")
}

// signPacket makes a binary-document (type 0x00) signature packet over data
// with the packet version of the key (4 or 6).
func signPacket(e *openpgp.Entity, data []byte, o sigOpts) ([]byte, error) {
	priv, err := signer(e, o)
	if err != nil {
		return nil, err
	}
	t := o.created
	noNotation := false // no go-crypto "salt@notations.openpgpjs.org" notation: plain signatures as gpg makes them
	cfg := &packet.Config{Time: func() time.Time { return t }, Rand: newSeeded("sig:" + fmt.Sprint(priv.KeyId, t.Unix())), NonDeterministicSignaturesViaNotation: &noNotation}
	sig := &packet.Signature{
		Version:           priv.PublicKey.Version,
		SigType:           packet.SigTypeBinary,
		PubKeyAlgo:        priv.PublicKey.PubKeyAlgo,
		Hash:              o.hash,
		CreationTime:      t,
		IssuerKeyId:       &priv.KeyId,
		IssuerFingerprint: priv.PublicKey.Fingerprint,
	}
	if o.lifetime != 0 {
		l := o.lifetime
		sig.SigLifetimeSecs = &l
	}
	h, err := sig.PrepareSign(cfg)
	if err != nil {
		return nil, err
	}
	h.Write(data)
	if err := sig.Sign(h, priv, cfg); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := sig.Serialize(&b); err != nil {
		return nil, err
	}
	// Check what we made with go-crypto's own verifier.
	p, err := packet.Read(bytes.NewReader(b.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("re-read: %w", err)
	}
	vs := p.(*packet.Signature)
	vh, err := vs.PrepareVerify()
	if err != nil {
		return nil, err
	}
	vh.Write(data)
	if err := priv.PublicKey.VerifySignature(vh, vs); err != nil {
		return nil, fmt.Errorf("self-check: %w", err)
	}
	return b.Bytes(), nil
}

// signV3RSA writes an RFC 4880 5.2.2 version 3 signature packet (type 0x00)
// over data: hashed material = sig type + 4-byte creation time.
func signV3RSA(e *openpgp.Entity, data []byte, h crypto.Hash, t time.Time) ([]byte, error) {
	rk, ok := e.PrivateKey.PrivateKey.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("v3: not an RSA key")
	}
	var hashID byte
	switch h {
	case crypto.SHA256:
		hashID = 8
	case crypto.SHA1:
		hashID = 2
	default:
		return nil, fmt.Errorf("v3: unsupported hash")
	}
	var ct [4]byte
	binary.BigEndian.PutUint32(ct[:], uint32(t.Unix()))
	hh := h.New()
	hh.Write(data)
	hh.Write([]byte{0x00})
	hh.Write(ct[:])
	digest := hh.Sum(nil)
	s, err := rsa.SignPKCS1v15(nil, rk, h, digest)
	if err != nil {
		return nil, err
	}
	body := []byte{3, 5, 0x00}
	body = append(body, ct[:]...)
	body = binary.BigEndian.AppendUint64(body, e.PrimaryKey.KeyId)
	body = append(body, 1, hashID, digest[0], digest[1])
	body = append(body, mpi(s)...)
	// Old-format packet header, tag 2, two-octet length (as gpg writes v3 sigs).
	out := []byte{0x80 | 2<<2 | 1, byte(len(body) >> 8), byte(len(body))}
	return append(out, body...), nil
}

// mpi encodes b (big-endian, leading zeros stripped) as an OpenPGP MPI with
// the correct bit count.
func mpi(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	bits := 0
	if len(b) > 0 {
		bits = (len(b)-1)*8 + bitLen(b[0])
	}
	return append([]byte{byte(bits >> 8), byte(bits)}, b...)
}

func bitLen(x byte) int {
	n := 0
	for ; x != 0; x >>= 1 {
		n++
	}
	return n
}

// signBadMPI makes a v4 RSA signature whose MPI carries the
// golang.org/x/crypto/openpgp bit-count defect (rpm issue 2351): bit count =
// 8*len although the first byte is below 0x80. It tries successive creation
// times (one second apart, starting at t) until the PKCS#1 output's first
// byte is in 0x01..0x7f, then rewrites the two bit-count bytes. The signature
// stays mathematically valid.
func signBadMPI(e *openpgp.Entity, data []byte, t time.Time) ([]byte, time.Time, error) {
	rk, ok := e.PrivateKey.PrivateKey.(*rsa.PrivateKey)
	if !ok {
		return nil, t, fmt.Errorf("badmpi: not an RSA key")
	}
	k := rk.Size()
	for i := 0; i < 200; i++ {
		ti := t.Add(time.Duration(i) * time.Second)
		pkt, err := signPacket(e, data, sigOpts{hash: crypto.SHA256, created: ti})
		if err != nil {
			return nil, t, err
		}
		if len(pkt) < k+2 {
			continue
		}
		m := pkt[len(pkt)-k:]
		if m[0] == 0 || m[0] >= 0x80 {
			continue
		}
		bits := int(pkt[len(pkt)-k-2])<<8 | int(pkt[len(pkt)-k-1])
		if bits != (k-1)*8+bitLen(m[0]) {
			return nil, t, fmt.Errorf("badmpi: unexpected MPI layout")
		}
		out := append([]byte(nil), pkt...)
		out[len(out)-k-2] = byte((8 * k) >> 8)
		out[len(out)-k-1] = byte(8 * k)
		return out, ti, nil
	}
	return nil, t, fmt.Errorf("badmpi: no suitable signature in 200 tries")
}
