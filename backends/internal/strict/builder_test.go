package strict

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
	"github.com/rpmpgp/rpmpgp/core"
)

// A minimal OpenPGP writer for this package's tests (RFC 9580, Sections
// 4.2, 5.2 and 5.5), independent of the parser under test: v4 and v6
// Ed25519 keys, v4 legacy EdDSA and RSA keys, and v4/v6 signatures with
// chosen subpackets, signed with Go's standard library.

// framePacket frames body as a new-format packet of tag.
func framePacket(tag byte, body []byte) []byte {
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

// mpiOf encodes v as an MPI with its exact bit count.
func mpiOf(v []byte) []byte {
	for len(v) > 0 && v[0] == 0 {
		v = v[1:]
	}
	bits := new(big.Int).SetBytes(v).BitLen()
	return append([]byte{byte(bits >> 8), byte(bits)}, v...)
}

func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// subpacket encodes one signature subpacket (Section 5.2.3.7).
func subpacket(typ byte, data []byte) []byte {
	var out []byte
	switch n := len(data) + 1; {
	case n < 192:
		out = []byte{byte(n)}
	case n < 8384:
		n -= 192
		out = []byte{byte(n>>8) + 192, byte(n)}
	default:
		out = append([]byte{255}, be32(uint32(n))...)
	}
	return append(append(out, typ), data...)
}

// Subpackets the tests use.
func created(t time.Time) []byte { return subpacket(2, be32(uint32(t.Unix()))) }
func sigExpires(d time.Duration) []byte {
	return subpacket(3, be32(uint32(d/time.Second)))
}
func keyExpires(d time.Duration) []byte {
	return subpacket(9, be32(uint32(d/time.Second)))
}
func keyFlags(f byte) []byte           { return subpacket(27, []byte{f}) }
func reason(code byte) []byte          { return subpacket(29, []byte{code}) }
func embedded(sigPacket []byte) []byte { return subpacket(32, packetBody(sigPacket)) }

// packetBody strips a one-octet or two-octet length header from a packet
// made by [packet].
func packetBody(p []byte) []byte {
	if p[1] < 192 {
		return p[2:]
	}
	return p[3:]
}

// testKey is a key the tests sign with.
type testKey struct {
	version int
	algo    core.PubKeyAlgo
	body    []byte // public key packet body
	ed      ed25519.PrivateKey
	rsa     *rsa.PrivateKey
}

// at is a fixed reference date for keys: 2024-01-01.
var at = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func keyHeader(version int, when time.Time, algo core.PubKeyAlgo) []byte {
	return append(append([]byte{byte(version)}, be32(uint32(when.Unix()))...), byte(algo))
}

// ed25519Key makes a v4 or v6 Ed25519 key (algorithm 27, RFC 9580).
func ed25519Key(t testing.TB, version int, when time.Time) *testKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	body := keyHeader(version, when, core.PubKeyEd25519)
	if version == 6 {
		body = append(body, be32(32)...)
	}
	return &testKey{version: version, algo: core.PubKeyEd25519, body: append(body, pub...), ed: priv}
}

// eddsaKey makes a v4 legacy EdDSA key on Ed25519 (algorithm 22).
func eddsaKey(t testing.TB, when time.Time) *testKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	oid := []byte{0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01}
	body := keyHeader(4, when, core.PubKeyEdDSA)
	body = append(append(body, byte(len(oid))), oid...)
	body = append(body, mpiOf(append([]byte{0x40}, pub...))...)
	return &testKey{version: 4, algo: core.PubKeyEdDSA, body: body, ed: priv}
}

var rsaCache sync.Map // bits -> *rsa.PrivateKey

// rsaKey makes a v4 RSA key of the given size (one private key per size).
func rsaKey(t testing.TB, bits int, when time.Time) *testKey {
	t.Helper()
	v, ok := rsaCache.Load(bits)
	if !ok {
		priv, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			t.Fatal(err)
		}
		v, _ = rsaCache.LoadOrStore(bits, priv)
	}
	priv := v.(*rsa.PrivateKey)
	body := keyHeader(4, when, core.PubKeyRSA)
	body = append(body, mpiOf(priv.N.Bytes())...)
	body = append(body, mpiOf(big.NewInt(int64(priv.E)).Bytes())...)
	return &testKey{version: 4, algo: core.PubKeyRSA, body: body, rsa: priv}
}

// rawKey makes a key of an algorithm the tests cannot sign with; material
// is its public key material as it appears in the packet.
func rawKey(version int, algo core.PubKeyAlgo, when time.Time, material []byte) *testKey {
	body := keyHeader(version, when, algo)
	if version == 6 {
		body = append(body, be32(uint32(len(material)))...)
	}
	return &testKey{version: version, algo: algo, body: append(body, material...)}
}

// hashed is the key as hashed in signatures and fingerprints (Section 5.2.4).
func (k *testKey) hashed() []byte {
	n := len(k.body)
	if k.version == 6 {
		return append([]byte{0x9b, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}, k.body...)
	}
	return append([]byte{0x99, byte(n >> 8), byte(n)}, k.body...)
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
	if k.version == 6 {
		return k.fpr()[:8]
	}
	return k.fpr()[12:]
}

// pub is the public key packet; sub the public subkey packet.
func (k *testKey) pub() []byte { return framePacket(6, k.body) }
func (k *testKey) sub() []byte { return framePacket(14, k.body) }

// uidHashed is a User ID as hashed in certifications (Section 5.2.4).
func uidHashed(uid string) []byte {
	return append([]byte{0xb4}, append(be32(uint32(len(uid))), uid...)...)
}

// sigSpec describes a signature to make.
type sigSpec struct {
	sigType byte
	hash    core.HashAlgo // zero: SHA256
	// when is the creation time; zero: no creation time subpacket.
	when time.Time
	// hashed and unhashed are extra subpackets.
	hashed, unhashed []byte
	noIssuer         bool
	// saltLen overrides the v6 salt length (zero: the hash's).
	saltLen int
	// corrupt flips a bit of the signature value.
	corrupt bool
	// asAlgo writes this algorithm into the packet instead of the key's.
	asAlgo core.PubKeyAlgo
}

// sign makes a signature packet by k over the parts (Section 5.2.4).
func sign(t testing.TB, k *testKey, s sigSpec, parts ...[]byte) []byte {
	t.Helper()
	h := s.hash
	if h == 0 {
		h = core.HashSHA256
	}
	algo := k.algo
	if s.asAlgo != 0 {
		algo = s.asAlgo
	}
	var hashedArea []byte
	if !s.when.IsZero() {
		hashedArea = append(hashedArea, created(s.when)...)
	}
	if !s.noIssuer {
		hashedArea = append(hashedArea, subpacket(33, append([]byte{byte(k.version)}, k.fpr()...))...)
	}
	hashedArea = append(hashedArea, s.hashed...)
	unhashed := s.unhashed
	if !s.noIssuer && k.version == 4 {
		unhashed = append(subpacket(16, k.keyID()), unhashed...)
	}
	var head, trailer []byte
	if k.version == 6 {
		head = []byte{6, s.sigType, byte(algo), byte(h)}
		head = append(head, be32(uint32(len(hashedArea)))...)
		head = append(head, hashedArea...)
		trailer = append(append([]byte(nil), head...), 6, 0xff)
		trailer = append(trailer, be32(uint32(len(head)))...)
	} else {
		head = []byte{4, s.sigType, byte(algo), byte(h), byte(len(hashedArea) >> 8), byte(len(hashedArea))}
		head = append(head, hashedArea...)
		trailer = append(append([]byte(nil), head...), 4, 0xff)
		trailer = append(trailer, be32(uint32(len(head)))...)
	}
	var salt []byte
	if k.version == 6 {
		n := h.Info().V6Salt
		if s.saltLen != 0 {
			n = s.saltLen
		}
		salt = make([]byte, n)
		rand.Read(salt)
	}
	d := h.Info().Crypto.New()
	d.Write(salt)
	for _, p := range parts {
		d.Write(p)
	}
	d.Write(trailer)
	digest := d.Sum(nil)

	var material []byte
	switch {
	case k.ed != nil && k.algo == core.PubKeyEd25519:
		material = ed25519.Sign(k.ed, digest)
	case k.ed != nil: // legacy EdDSA: r and s as MPIs
		sig := ed25519.Sign(k.ed, digest)
		material = append(mpiOf(sig[:32]), mpiOf(sig[32:])...)
	case k.rsa != nil:
		sig, err := rsa.SignPKCS1v15(nil, k.rsa, crypto.Hash(h.Info().Crypto), digest)
		if err != nil {
			t.Fatal(err)
		}
		material = mpiOf(sig)
	default:
		material = make([]byte, 114) // an Ed448 signature's size
	}
	if s.corrupt {
		material[len(material)-1] ^= 1
	}
	body := append([]byte(nil), head...)
	if k.version == 6 {
		body = append(body, be32(uint32(len(unhashed)))...)
	} else {
		body = append(body, byte(len(unhashed)>>8), byte(len(unhashed)))
	}
	body = append(body, unhashed...)
	body = append(body, digest[0], digest[1])
	if k.version == 6 {
		body = append(append(body, byte(len(salt))), salt...)
	}
	return framePacket(2, append(body, material...))
}

// certSpec describes a certificate to make: a primary key, a User ID bound
// by a positive certification, and optionally a subkey.
type certSpec struct {
	uid string
	// flags are the primary's key flags (0x03 = certify and sign).
	flags byte
	// self is added to the User ID binding's spec (hash, times, extra
	// subpackets); its sigType and when are set by makeCert.
	self sigSpec
	// extra packets after the User ID binding (revocations, direct keys).
	extra func(pk *testKey) []byte
	sub   *testKey
	// subFlags are the subkey's flags; noBacksig omits the back-signature
	// of a signing subkey.
	subFlags  byte
	noBacksig bool
	subExtra  []byte // extra hashed subpackets of the subkey binding
}

// makeCert builds a transferable public key (Section 10.1).
func makeCert(t testing.TB, pk *testKey, c certSpec) []byte {
	t.Helper()
	uid := c.uid
	if uid == "" {
		uid = "Test <test@example.org>"
	}
	self := c.self
	self.sigType = 0x13
	if self.when.IsZero() {
		self.when = at
	}
	self.hashed = append(keyFlags(c.flags), self.hashed...)
	out := pk.pub()
	if c.extra != nil {
		out = append(out, c.extra(pk)...)
	}
	out = append(out, framePacket(13, []byte(uid))...)
	out = append(out, sign(t, pk, self, pk.hashed(), uidHashed(uid))...)
	if c.sub != nil {
		sk := c.sub
		out = append(out, sk.sub()...)
		hashed := append(keyFlags(c.subFlags), c.subExtra...)
		if c.subFlags&packet.KeyFlagSign != 0 && !c.noBacksig {
			back := sign(t, sk, sigSpec{sigType: packet.SigPrimaryBinding, when: at}, pk.hashed(), sk.hashed())
			hashed = append(hashed, embedded(back)...)
		}
		out = append(out, sign(t, pk, sigSpec{sigType: packet.SigSubkeyBinding, when: at, hashed: hashed}, pk.hashed(), sk.hashed())...)
	}
	return out
}
