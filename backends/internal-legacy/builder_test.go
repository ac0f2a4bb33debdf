package legacy

import (
	//lint:ignore SA1019 test keys for rpm 4.18's DSA support
	"crypto/dsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"math/big"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
)

// A minimal OpenPGP writer for tests (RFC 4880), independent of the parser
// under test: v4 keys, user IDs, v3/v4 signatures, with knobs to produce the
// defects rpm 4.18 tolerates or refuses.

// mpi encodes b as an MPI with its correct bit count.
func mpi(b []byte) []byte {
	b = trimZeros(b)
	bits := 0
	if len(b) > 0 {
		bits = (len(b)-1)*8 + big.NewInt(int64(b[0])).BitLen()
	}
	return mpiBits(b, bits)
}

// mpiBits encodes b with an explicit bit count (which may be wrong).
func mpiBits(b []byte, bits int) []byte {
	return append([]byte{byte(bits >> 8), byte(bits)}, b...)
}

func newPacket(tag byte, body []byte) []byte {
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

func oldPacket(tag byte, body []byte) []byte {
	n := len(body)
	if n < 256 {
		return append([]byte{0x80 | tag<<2, byte(n)}, body...)
	}
	return append([]byte{0x80 | tag<<2 | 1, byte(n >> 8), byte(n)}, body...)
}

func subpacket(typ byte, critical bool, data []byte) []byte {
	if critical {
		typ |= 0x80
	}
	n := len(data) + 1
	if n >= 192 {
		panic("test subpacket too long")
	}
	return append([]byte{byte(n), typ}, data...)
}

func be32(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }

// testKey is a generated key with its v4 packet body.
type testKey struct {
	algo    byte
	body    []byte
	rsa     *rsa.PrivateKey
	dsa     *dsa.PrivateKey
	ed      ed25519.PrivateKey
	created uint32
}

func (k *testKey) keyID() [8]byte {
	h := sha1.New()
	h.Write([]byte{0x99, byte(len(k.body) >> 8), byte(len(k.body))})
	h.Write(k.body)
	var id [8]byte
	copy(id[:], h.Sum(nil)[12:])
	return id
}

func keyBody(algo byte, created uint32, material ...[]byte) []byte {
	b := append([]byte{4}, be32(created)...)
	b = append(b, algo)
	for _, m := range material {
		b = append(b, m...)
	}
	return b
}

func genRSA(t *testing.T, bits int, created uint32) *testKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return &testKey{algo: algoRSA, rsa: k, created: created,
		body: keyBody(algoRSA, created, mpi(k.N.Bytes()), mpi(big.NewInt(int64(k.E)).Bytes()))}
}

func genDSA(t *testing.T, created uint32) *testKey {
	t.Helper()
	var k dsa.PrivateKey
	if err := dsa.GenerateParameters(&k.Parameters, rand.Reader, dsa.L1024N160); err != nil {
		t.Fatal(err)
	}
	if err := dsa.GenerateKey(&k, rand.Reader); err != nil {
		t.Fatal(err)
	}
	return &testKey{algo: algoDSA, dsa: &k, created: created,
		body: keyBody(algoDSA, created, mpi(k.P.Bytes()), mpi(k.Q.Bytes()), mpi(k.G.Bytes()), mpi(k.Y.Bytes()))}
}

func genEd25519(t *testing.T, created uint32) *testKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	oid := append([]byte{byte(len(curveOIDEd25519))}, curveOIDEd25519...)
	return &testKey{algo: algoEdDSA, ed: priv, created: created,
		body: keyBody(algoEdDSA, created, oid, mpi(append([]byte{0x40}, pub...)))}
}

// Hash IDs as the builders take them (bytes of a signature packet).
const (
	hashMD5    = byte(core.HashMD5)
	hashSHA1   = byte(core.HashSHA1)
	hashSHA224 = byte(core.HashSHA224)
	hashSHA256 = byte(core.HashSHA256)
	hashSHA384 = byte(core.HashSHA384)
	hashSHA512 = byte(core.HashSHA512)
)

// signMPIs signs digest with k and returns the signature MPIs. rsaRawBits
// forces the x/crypto defect: the RSA MPI written with the full modulus
// length and a bit count of 8*len (rpm issue 2351).
func (k *testKey) signMPIs(t *testing.T, digest []byte, h byte, rsaRawBits bool) []byte {
	t.Helper()
	switch k.algo {
	case algoRSA:
		s, err := rsa.SignPKCS1v15(nil, k.rsa, core.HashAlgo(h).Info().Crypto, digest)
		if err != nil {
			t.Fatal(err)
		}
		if rsaRawBits {
			return mpiBits(s, 8*len(s))
		}
		return mpi(s)
	case algoDSA:
		q := (k.dsa.Q.BitLen() + 7) / 8
		if len(digest) > q {
			digest = digest[:q]
		}
		r, s, err := dsa.Sign(rand.Reader, k.dsa, digest)
		if err != nil {
			t.Fatal(err)
		}
		return append(mpi(r.Bytes()), mpi(s.Bytes())...)
	case algoEdDSA:
		sig := ed25519.Sign(k.ed, digest)
		return append(mpi(sig[:32]), mpi(sig[32:])...)
	}
	t.Fatalf("no signer for algo %d", k.algo)
	return nil
}

// sigOpts shapes a v4 signature.
type sigOpts struct {
	sigType    byte
	hash       byte
	created    uint32
	hashed     [][]byte // extra hashed subpackets
	unhashed   [][]byte // extra unhashed subpackets
	noIssuer   bool
	noCreation bool
	rsaRawBits bool
	corrupt    bool // flip a bit of the signed digest
}

// sigV4 returns a v4 signature packet by k over prefix (the signed data,
// already framed for certifications).
func sigV4(t *testing.T, k *testKey, prefix []byte, o sigOpts) []byte {
	t.Helper()
	if o.hash == 0 {
		o.hash = hashSHA256
	}
	var hashed []byte
	if !o.noCreation {
		hashed = append(hashed, subpacket(subSigCreateTime, false, be32(o.created))...)
	}
	for _, s := range o.hashed {
		hashed = append(hashed, s...)
	}
	var unhashed []byte
	if !o.noIssuer {
		id := k.keyID()
		unhashed = append(unhashed, subpacket(subIssuerKeyID, false, id[:])...)
	}
	for _, s := range o.unhashed {
		unhashed = append(unhashed, s...)
	}
	head := []byte{4, o.sigType, k.algo, o.hash, byte(len(hashed) >> 8), byte(len(hashed))}
	head = append(head, hashed...)
	hh, ok := newLegacyHash(o.hash)
	if !ok {
		t.Fatalf("hash %d", o.hash)
	}
	hh.Write(prefix)
	hh.Write(head)
	hh.Write(append([]byte{4, 0xff}, be32(uint32(len(head)))...))
	digest := hh.Sum(nil)
	if o.corrupt {
		digest[len(digest)-1] ^= 1
	}
	body := append([]byte{}, head...)
	body = append(body, byte(len(unhashed)>>8), byte(len(unhashed)))
	body = append(body, unhashed...)
	body = append(body, digest[0], digest[1])
	body = append(body, k.signMPIs(t, digest, o.hash, o.rsaRawBits)...)
	return newPacket(tagSignature, body)
}

// sigV3 returns a v3 signature packet (RFC 4880 section 5.2.2) over data.
func sigV3(t *testing.T, k *testKey, data []byte, sigType, h byte, created uint32) []byte {
	t.Helper()
	hh, _ := newLegacyHash(h)
	hh.Write(data)
	hh.Write(append([]byte{sigType}, be32(created)...))
	digest := hh.Sum(nil)
	id := k.keyID()
	body := []byte{3, 5, sigType}
	body = append(body, be32(created)...)
	body = append(body, id[:]...)
	body = append(body, k.algo, h, digest[0], digest[1])
	body = append(body, k.signMPIs(t, digest, h, false)...)
	return oldPacket(tagSignature, body)
}

func keyFrame(body []byte) []byte {
	return append([]byte{0x99, byte(len(body) >> 8), byte(len(body))}, body...)
}

func uidFrame(uid []byte) []byte {
	return append(append([]byte{0xb4}, be32(uint32(len(uid)))...), uid...)
}

// certOpts shapes a certificate.
type certOpts struct {
	uids        []string
	uidSig      sigOpts // template for the user ID self-signatures
	subkey      *testKey
	subSig      *sigOpts // binding template; nil: no signature after the subkey
	subBySigner *testKey // who makes the binding (default: the primary)
	subRevoke   bool     // a subkey revocation instead of the binding
}

// buildCert assembles primary key, user IDs with self-signatures, and an
// optional subkey with its binding signature.
func buildCert(t *testing.T, k *testKey, o certOpts) []byte {
	t.Helper()
	out := newPacket(tagPublicKey, k.body)
	for _, u := range o.uids {
		out = append(out, newPacket(tagUserID, []byte(u))...)
		so := o.uidSig
		if so.sigType == 0 {
			so.sigType = sigTypePositiveCert
		}
		if so.created == 0 {
			so.created = k.created
		}
		out = append(out, sigV4(t, k, append(keyFrame(k.body), uidFrame([]byte(u))...), so)...)
	}
	if o.subkey != nil {
		out = append(out, newPacket(tagPublicSubkey, o.subkey.body)...)
		if o.subSig != nil {
			so := *o.subSig
			so.sigType = sigTypeSubkeyBinding
			if o.subRevoke {
				so.sigType = sigTypeSubkeyRevoke
			}
			if so.created == 0 {
				so.created = k.created
			}
			signer := k
			if o.subBySigner != nil {
				signer = o.subBySigner
			}
			out = append(out, sigV4(t, signer, append(keyFrame(k.body), keyFrame(o.subkey.body)...), so)...)
		}
	}
	return out
}

func flagsSub(flags byte) []byte { return subpacket(subKeyFlags, false, []byte{flags}) }
