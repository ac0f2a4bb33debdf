package gocrypto

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"math/big"
	"testing"
	"time"

	"github.com/cloudflare/circl/sign/ed448"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"
)

// This file builds OpenPGP packets by hand for the unit tests (go-crypto's
// openpgp package cannot be built with the module's current go.sum). The
// layouts follow RFC 9580, Sections 4.2, 5.2 and 5.5.

func pkt(tag byte, body []byte) []byte {
	out := []byte{0xc0 | tag}
	switch n := len(body); {
	case n < 192:
		out = append(out, byte(n))
	case n < 8384:
		n -= 192
		out = append(out, byte(n>>8)+192, byte(n))
	default:
		out = append(out, 255, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(out, body...)
}

func mpi(v []byte) []byte {
	for len(v) > 0 && v[0] == 0 {
		v = v[1:]
	}
	bits := new(big.Int).SetBytes(v).BitLen()
	return append([]byte{byte(bits >> 8), byte(bits)}, v...)
}

func u32(v uint32) []byte { b := make([]byte, 4); binary.BigEndian.PutUint32(b, v); return b }

// testKey is a key we can sign with.
type testKey struct {
	version int
	algo    byte
	body    []byte // key packet body
	rsa     *rsa.PrivateKey
	ed      ed25519.PrivateKey
	ed448   ed448.PrivateKey
	ml65    *mldsa65.PrivateKey
	ml87    *mldsa87.PrivateKey
}

func (k *testKey) hashed() []byte {
	if k.version == 6 {
		return append([]byte{0x9b, byte(len(k.body) >> 24), byte(len(k.body) >> 16), byte(len(k.body) >> 8), byte(len(k.body))}, k.body...)
	}
	return append([]byte{0x99, byte(len(k.body) >> 8), byte(len(k.body))}, k.body...)
}

func (k *testKey) fpr() []byte {
	if k.version == 6 {
		s := sha256.Sum256(k.hashed())
		return s[:]
	}
	s := sha1.Sum(k.hashed())
	return s[:]
}

func (k *testKey) keyID() []byte {
	f := k.fpr()
	if k.version == 6 {
		return f[:8]
	}
	return f[12:]
}

var rsaKeys = map[int]*rsa.PrivateKey{}

func newRSAKey(t testing.TB, bits int, created time.Time) *testKey {
	priv, ok := rsaKeys[bits]
	if !ok {
		var err error
		priv, err = rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			t.Fatal(err)
		}
		rsaKeys[bits] = priv
	}
	body := append([]byte{4}, u32(uint32(created.Unix()))...)
	body = append(body, 1)
	body = append(body, mpi(priv.N.Bytes())...)
	body = append(body, mpi(big.NewInt(int64(priv.E)).Bytes())...)
	return &testKey{version: 4, algo: 1, body: body, rsa: priv}
}

func newEd25519Key(t testing.TB, version int, created time.Time) *testKey {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	body := append([]byte{byte(version)}, u32(uint32(created.Unix()))...)
	body = append(body, 27)
	if version == 6 {
		body = append(body, u32(32)...)
	}
	body = append(body, pub...)
	return &testKey{version: version, algo: 27, body: body, ed: priv}
}

// newMLDSAKey makes an ML-DSA + EdDSA composite key (algo 30 = ML-DSA-65 +
// Ed25519, 31 = ML-DSA-87 + Ed448; draft-ietf-openpgp-pqc): the key
// material is the EdDSA public key followed by the ML-DSA public key.
// version 4 makes a key the draft does not allow.
func newMLDSAKey(t testing.TB, algo byte, version int, created time.Time) *testKey {
	k := &testKey{version: version, algo: algo}
	var material []byte
	switch algo {
	case 30:
		edPub, edPriv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		mlPub, mlPriv, err := mldsa65.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		k.ed, k.ml65 = edPriv, mlPriv
		material = append(append(material, edPub...), mlPub.Bytes()...)
	case 31:
		edPub, edPriv, err := ed448.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		mlPub, mlPriv, err := mldsa87.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		k.ed448, k.ml87 = edPriv, mlPriv
		material = append(append(material, edPub...), mlPub.Bytes()...)
	default:
		t.Fatalf("not a composite algorithm: %d", algo)
	}
	body := append([]byte{byte(version)}, u32(uint32(created.Unix()))...)
	body = append(body, algo)
	if version == 6 {
		body = append(body, u32(uint32(len(material)))...)
	}
	k.body = append(body, material...)
	return k
}

func sub(typ byte, data []byte) []byte {
	n := len(data) + 1
	var hdr []byte
	if n < 192 {
		hdr = []byte{byte(n)}
	} else {
		n -= 192
		hdr = []byte{byte(n>>8) + 192, byte(n)}
	}
	return append(append(hdr, typ), data...)
}

// pktBody strips the new-format header that pkt wrote.
func pktBody(p []byte) []byte {
	switch {
	case p[1] < 192:
		return p[2:]
	case p[1] < 224:
		return p[3:]
	}
	return p[6:]
}

// sigSpec describes a signature to make.
type sigSpec struct {
	version  int
	sigType  byte
	hash     byte // OpenPGP hash ID
	created  time.Time
	hashed   []byte // extra hashed subpackets
	unhashed []byte // extra unhashed subpackets (v4)
	noIssuer bool
	// noCreated leaves out the Signature Creation Time subpacket.
	noCreated bool
	// fullMPI writes the RSA MPI with bit count 8*len, as x/crypto did.
	fullMPI bool
}

var hashFns = map[byte]struct {
	h func() hash.Hash
	c crypto.Hash
}{
	1:  {nil, crypto.MD5},
	2:  {sha1.New, crypto.SHA1},
	8:  {sha256.New, crypto.SHA256},
	10: {nil, crypto.SHA512},
	11: {nil, crypto.SHA224},
}

// v6SaltSizes are the salt sizes RFC 9580, Section 9.5 fixes per hash.
var v6SaltSizes = map[byte]int{8: 16, 10: 32, 11: 16}

// sign makes a signature packet by k over data (already the exact bytes
// hashed before the trailer, e.g. the key hash for bindings).
func sign(t testing.TB, k *testKey, s sigSpec, data ...[]byte) []byte {
	if s.version == 0 {
		s.version = k.version
	}
	if s.hash == 0 {
		s.hash = 8
	}
	ch := hashFns[s.hash].c
	h := ch.New()
	var salt []byte
	if s.version == 6 {
		salt = make([]byte, v6SaltSizes[s.hash])
		rand.Read(salt)
		h.Write(salt)
	}
	for _, d := range data {
		h.Write(d)
	}
	var body, trailer []byte
	switch s.version {
	case 3:
		trailer = append([]byte{s.sigType}, u32(uint32(s.created.Unix()))...)
		h.Write(trailer)
	default:
		var area []byte
		if !s.noCreated {
			area = sub(2, u32(uint32(s.created.Unix())))
		}
		if !s.noIssuer {
			area = append(area, sub(33, append([]byte{byte(k.version)}, k.fpr()...))...)
		}
		area = append(area, s.hashed...)
		if s.version == 6 {
			trailer = append([]byte{6, s.sigType, k.algo, s.hash}, u32(uint32(len(area)))...)
		} else {
			trailer = []byte{4, s.sigType, k.algo, s.hash, byte(len(area) >> 8), byte(len(area))}
		}
		trailer = append(trailer, area...)
		n := len(trailer)
		h.Write(trailer)
		h.Write([]byte{byte(s.version), 0xff})
		h.Write(u32(uint32(n)))
	}
	digest := h.Sum(nil)
	var material []byte
	switch k.algo {
	case 1:
		sig, err := rsa.SignPKCS1v15(nil, k.rsa, ch, digest)
		if err != nil {
			t.Fatal(err)
		}
		if s.fullMPI {
			bits := 8 * len(sig)
			material = append([]byte{byte(bits >> 8), byte(bits)}, sig...)
		} else {
			material = mpi(sig)
		}
	case 27:
		material = ed25519.Sign(k.ed, digest)
	case 30, 31:
		// EdDSA signature || ML-DSA signature (hedged, empty context),
		// both over the digest (draft-ietf-openpgp-pqc).
		var err error
		if k.algo == 30 {
			ml := make([]byte, mldsa65.SignatureSize)
			err = mldsa65.SignTo(k.ml65, digest, nil, true, ml)
			material = append(ed25519.Sign(k.ed, digest), ml...)
		} else {
			ml := make([]byte, mldsa87.SignatureSize)
			err = mldsa87.SignTo(k.ml87, digest, nil, true, ml)
			material = append(ed448.Sign(k.ed448, digest, ""), ml...)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	switch s.version {
	case 3:
		body = []byte{3, 5, s.sigType}
		body = append(body, u32(uint32(s.created.Unix()))...)
		body = append(body, k.keyID()...)
		body = append(body, k.algo, s.hash, digest[0], digest[1])
	case 4:
		body = append([]byte{}, trailer...)
		unhashed := []byte{}
		if !s.noIssuer {
			unhashed = sub(16, k.keyID())
		}
		unhashed = append(unhashed, s.unhashed...)
		body = append(body, byte(len(unhashed)>>8), byte(len(unhashed)))
		body = append(body, unhashed...)
		body = append(body, digest[0], digest[1])
	case 6:
		body = append([]byte{}, trailer...)
		body = append(body, 0, 0, 0, 0, digest[0], digest[1], byte(len(salt)))
		body = append(body, salt...)
	}
	return pkt(2, append(body, material...))
}

func uidHashed(uid string) []byte {
	return append([]byte{0xb4, 0, 0, byte(len(uid) >> 8), byte(len(uid))}, uid...)
}

// certSpec describes a certificate to build.
type certSpec struct {
	primaryFlags []byte // key flags subpacket data; nil: no key flags
	primaryExp   uint32 // key expiration (seconds after creation)
	subkey       *testKey
	subFlags     []byte
	noBacksig    bool
	revokeSub    bool
	uid          string
}

func makeCert(t testing.TB, pk *testKey, c certSpec, created time.Time) []byte {
	if c.uid == "" {
		c.uid = "Test <test@example.org>"
	}
	out := pkt(6, pk.body)
	out = append(out, pkt(13, []byte(c.uid))...)
	var hashed []byte
	if c.primaryFlags != nil {
		hashed = append(hashed, sub(27, c.primaryFlags)...)
	}
	if c.primaryExp != 0 {
		hashed = append(hashed, sub(9, u32(c.primaryExp))...)
	}
	out = append(out, sign(t, pk, sigSpec{sigType: 0x13, created: created, hashed: hashed}, pk.hashed(), uidHashed(c.uid))...)
	if sk := c.subkey; sk != nil {
		out = append(out, pkt(14, sk.body)...)
		h := sub(27, c.subFlags)
		if !c.noBacksig {
			back := sign(t, sk, sigSpec{sigType: 0x19, created: created}, pk.hashed(), sk.hashed())
			h = append(h, sub(32, pktBody(back))...)
		}
		out = append(out, sign(t, pk, sigSpec{sigType: 0x18, created: created, hashed: h}, pk.hashed(), sk.hashed())...)
		if c.revokeSub {
			out = append(out, sign(t, pk, sigSpec{sigType: 0x28, created: created.Add(time.Hour), hashed: sub(29, []byte{2})}, pk.hashed(), sk.hashed())...)
		}
	}
	return out
}
