//go:build cgo

package openssl

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/gocrypto"
	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/core"
)

// diffCase is one primitive call run on both strict backends' primitives.
type diffCase struct {
	name string
	call func(strict.Primitives) error
}

// outcome classifies a result: accepted, rejected, or unsupported.
func outcome(err error) string {
	switch {
	case err == nil:
		return "accept"
	case errors.Is(err, strict.ErrUnsupported):
		return "unsupported"
	}
	return "reject"
}

// TestDifferentialGocrypto runs the same inputs through the OpenSSL and the
// Go primitives and requires the same accept / reject / unsupported outcome.
func TestDifferentialGocrypto(t *testing.T) {
	ossl := newPrims(t, "auto")
	gc := gocrypto.Primitives{}
	var cases []diffCase
	add := func(name string, f func(strict.Primitives) error) { cases = append(cases, diffCase{name, f}) }

	// RSA.
	k2048, k4096, spare := rsaKeys(t)
	for _, k := range []*big.Int{k2048.N, k4096.N} {
		key := k2048
		if k == k4096.N {
			key = k4096
		}
		n, e := rsaBytes(&key.PublicKey)
		for _, h := range core.RequiredDigests {
			d := digestOf(h, "diff")
			sig := mustSign(t, key, h, d)
			sn, se := rsaBytes(&spare.PublicKey)
			add("rsa valid "+h.String(), func(p strict.Primitives) error { return p.VerifyRSA(n, e, h, d, sig) })
			add("rsa tampered "+h.String(), func(p strict.Primitives) error { return p.VerifyRSA(n, e, h, flip(d, 3), sig) })
			add("rsa wrong key "+h.String(), func(p strict.Primitives) error { return p.VerifyRSA(sn, se, h, d, sig) })
		}
	}
	{
		n, e := rsaBytes(&k2048.PublicKey)
		d, short := shortRSASignature(t, k2048)
		add("rsa short sig", func(p strict.Primitives) error { return p.VerifyRSA(n, e, core.HashSHA256, d, short) })
		add("rsa sig > n", func(p strict.Primitives) error {
			return p.VerifyRSA(n, e, core.HashSHA256, d, append([]byte{1}, make([]byte, 256)...))
		})
		for _, ex := range [][]byte{{1}, {2}, {3}, {4}, {0x80, 0, 0, 1}, {1, 0, 0, 0, 1}} {
			add("rsa e="+new(big.Int).SetBytes(ex).String(), func(p strict.Primitives) error {
				return p.VerifyRSA(n, ex, core.HashSHA256, d, short)
			})
		}
		add("rsa unknown hash", func(p strict.Primitives) error { return p.VerifyRSA(n, e, core.HashRIPEMD160, d[:20], short) })
		add("rsa zero sig", func(p strict.Primitives) error { return p.VerifyRSA(n, e, core.HashSHA256, d, nil) })
	}

	// DSA.
	dk, dother := dsaKey(t), dsaKey(t)
	for _, h := range []core.HashAlgo{core.HashSHA1, core.HashSHA256, core.HashSHA512} {
		d := digestOf(h, "diff")
		r, s := dsaSign(t, dk, d)
		pp, q, g, y := dk.P.Bytes(), dk.Q.Bytes(), dk.G.Bytes(), dk.Y.Bytes()
		add("dsa valid "+h.String(), func(p strict.Primitives) error { return p.VerifyDSA(pp, q, g, y, d, r, s) })
		add("dsa tampered "+h.String(), func(p strict.Primitives) error { return p.VerifyDSA(pp, q, g, y, flip(d, 0), r, s) })
		add("dsa wrong key "+h.String(), func(p strict.Primitives) error { return p.VerifyDSA(pp, q, g, dother.Y.Bytes(), d, r, s) })
		add("dsa r=0 "+h.String(), func(p strict.Primitives) error { return p.VerifyDSA(pp, q, g, y, d, nil, s) })
		add("dsa r=q "+h.String(), func(p strict.Primitives) error { return p.VerifyDSA(pp, q, g, y, d, q, s) })
		rq := new(big.Int).Add(new(big.Int).SetBytes(r), dk.Q).Bytes()
		add("dsa r+q "+h.String(), func(p strict.Primitives) error { return p.VerifyDSA(pp, q, g, y, d, rq, s) })
	}

	// ECDSA, NIST and brainpool.
	for i, c := range ecCurves {
		k, other := ecKey(t, c.ec), ecKey(t, c.ec)
		point, otherPoint := uncompressed(c.size, k.X, k.Y), uncompressed(c.size, other.X, other.Y)
		order := c.ec.Params().N
		for _, h := range []core.HashAlgo{core.HashSHA1, core.HashSHA256, core.HashSHA512} {
			d := digestOf(h, "diff")
			r, s := ecSign(t, k, d)
			name := string(c.curve) + " " + h.String()
			add("ecdsa valid "+name, func(p strict.Primitives) error { return p.VerifyECDSA(c.curve, point, d, r, s) })
			add("ecdsa tampered "+name, func(p strict.Primitives) error { return p.VerifyECDSA(c.curve, point, flip(d, 1), r, s) })
			add("ecdsa wrong key "+name, func(p strict.Primitives) error { return p.VerifyECDSA(c.curve, otherPoint, d, r, s) })
			add("ecdsa s=0 "+name, func(p strict.Primitives) error { return p.VerifyECDSA(c.curve, point, d, r, nil) })
			sn := new(big.Int).Add(new(big.Int).SetBytes(s), order).Bytes()
			add("ecdsa s+n "+name, func(p strict.Primitives) error { return p.VerifyECDSA(c.curve, point, d, r, sn) })
			negS := new(big.Int).Sub(order, new(big.Int).SetBytes(s)).Bytes()
			add("ecdsa -s "+name, func(p strict.Primitives) error { return p.VerifyECDSA(c.curve, point, d, r, negS) })
		}
		gp := genPoint(i)
		add("ecdsa off-curve "+string(c.curve), func(p strict.Primitives) error {
			return p.VerifyECDSA(c.curve, flip(gp, -1), make([]byte, 32), []byte{1}, []byte{1})
		})
	}

	// Ed25519, including keys of small order (both libraries use the
	// cofactorless equation and accept them; the policy layer judges keys).
	pub, priv := edKey(t)
	otherPub, _ := edKey(t)
	for i := 0; i < 8; i++ {
		d := make([]byte, 32)
		rand.Read(d)
		sig := ed25519.Sign(priv, d)
		add("ed25519 valid", func(p strict.Primitives) error { return p.VerifyEdDSA(strict.CurveEd25519, pub, d, sig) })
		add("ed25519 tampered", func(p strict.Primitives) error { return p.VerifyEdDSA(strict.CurveEd25519, pub, flip(d, 0), sig) })
		add("ed25519 wrong key", func(p strict.Primitives) error { return p.VerifyEdDSA(strict.CurveEd25519, otherPub, d, sig) })
		add("ed25519 zero key and sig", func(p strict.Primitives) error {
			return p.VerifyEdDSA(strict.CurveEd25519, make([]byte, 32), d, make([]byte, 64))
		})
		add("ed25519 S >= L", func(p strict.Primitives) error {
			return p.VerifyEdDSA(strict.CurveEd25519, pub, d, append(append([]byte{}, sig[:32]...), bytes.Repeat([]byte{0xff}, 32)...))
		})
	}

	// Ed448: the gocrypto primitives report it unsupported for now; the
	// cases run anyway and are compared once they support it.
	for _, v := range ed448Vectors {
		add("ed448 valid "+v.name, func(p strict.Primitives) error { return p.VerifyEdDSA(strict.CurveEd448, v.pub, v.msg, v.sig) })
		add("ed448 tampered "+v.name, func(p strict.Primitives) error {
			return p.VerifyEdDSA(strict.CurveEd448, v.pub, v.msg, flip(v.sig, 3))
		})
	}

	compared := 0
	for _, c := range cases {
		got, want := outcome(c.call(ossl)), outcome(c.call(gc))
		if want == "unsupported" && got != "unsupported" && c.name[:5] == "ed448" {
			continue // gocrypto lacks Ed448 (see its VerifyEdDSA)
		}
		compared++
		if got != want {
			t.Errorf("%s: openssl %s, gocrypto %s", c.name, got, want)
		}
	}
	t.Logf("%d cases compared, %d in total", compared, len(cases))
}

// TestDifferentialDigests compares every digest on random inputs of many
// lengths, fed in pieces, with the gocrypto primitives.
func TestDifferentialDigests(t *testing.T) {
	ossl := newPrims(t, "auto")
	gc := gocrypto.Primitives{}
	data := make([]byte, 4099)
	rand.Read(data)
	for _, algo := range core.RequiredDigests {
		for _, n := range []int{0, 1, 55, 56, 63, 64, 65, 127, 128, 135, 136, 137, 4099} {
			a, err := ossl.NewHash(algo)
			if err != nil {
				t.Fatal(err)
			}
			b, err := gc.NewHash(algo)
			if err != nil {
				t.Fatal(err)
			}
			for off := 0; off < n; off += 61 {
				end := min(off+61, n)
				a.Write(data[off:end])
				b.Write(data[off:end])
			}
			sa, _ := a.Sum()
			sb, _ := b.Sum()
			if !bytes.Equal(sa, sb) {
				t.Errorf("%v over %d bytes: openssl %x, gocrypto %x", algo, n, sa, sb)
			}
		}
	}
}
