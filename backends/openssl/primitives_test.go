//go:build cgo

package openssl

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/core"
)

// digestKATs are the FIPS 180-4 / FIPS 202 / RFC 1321 digests of "" and
// "abc".
var digestKATs = []struct {
	algo       core.HashAlgo
	empty, abc string
}{
	{core.HashMD5, "d41d8cd98f00b204e9800998ecf8427e", "900150983cd24fb0d6963f7d28e17f72"},
	{core.HashSHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "a9993e364706816aba3e25717850c26c9cd0d89d"},
	{core.HashSHA224, "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
	{core.HashSHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{core.HashSHA384, "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
	{core.HashSHA512, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
	{core.HashSHA3_256, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"},
	{core.HashSHA3_512, "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a615b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26", "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0"},
}

func sumHex(t *testing.T, h strict.Hash) string {
	t.Helper()
	s, err := h.Sum()
	if err != nil {
		t.Fatalf("Sum: %v", err)
	}
	return hex.EncodeToString(s)
}

func TestNewHashKnownAnswers(t *testing.T) {
	if len(digestKATs) != len(core.RequiredDigests) {
		t.Fatalf("%d KATs for %d required digests", len(digestKATs), len(core.RequiredDigests))
	}
	for _, mode := range []core.FIPSMode{core.FIPSAuto, core.FIPSOff} {
		p := newPrims(t, mode)
		for _, kat := range digestKATs {
			t.Run(string(mode)+"/"+kat.algo.String(), func(t *testing.T) {
				h, err := p.NewHash(kat.algo)
				if err != nil {
					t.Fatal(err)
				}
				if h.Algo() != kat.algo {
					t.Errorf("Algo() = %v", h.Algo())
				}
				if got := sumHex(t, h); got != kat.empty {
					t.Errorf("digest of \"\" = %s, want %s", got, kat.empty)
				}
				if n, err := h.Write([]byte("abc")); n != 3 || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
				if got := sumHex(t, h); got != kat.abc {
					t.Errorf("digest of \"abc\" = %s, want %s", got, kat.abc)
				}
				if got := sumHex(t, h); got != kat.abc {
					t.Errorf("second Sum = %s, want %s (Sum must not change the state)", got, kat.abc)
				}
			})
		}
	}
}

func TestHashStreamingAndClone(t *testing.T) {
	p := newPrims(t, "auto")
	data := make([]byte, 3<<20+17)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	for _, algo := range core.RequiredDigests {
		t.Run(algo.String(), func(t *testing.T) {
			want := algo.Info().Crypto.New()
			want.Write(data)
			wantSum := want.Sum(nil)

			h, err := p.NewHash(algo)
			if err != nil {
				t.Fatal(err)
			}
			// Uneven chunks, including empty writes.
			half := len(data) / 2
			for off, step := 0, 1; off < half; off, step = off+step, step*3+1 {
				end := min(off+step, half)
				if n, err := h.Write(data[off:end]); n != end-off || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
				if _, err := h.Write(nil); err != nil {
					t.Fatal(err)
				}
			}
			c, err := h.Clone()
			if err != nil {
				t.Fatal(err)
			}
			// Diverge the original: the clone must not see it.
			h.Write([]byte("divergence"))
			if _, err := c.Write(data[half:]); err != nil {
				t.Fatal(err)
			}
			if got, _ := c.Sum(); !bytes.Equal(got, wantSum) {
				t.Errorf("clone finished = %x, want %x", got, wantSum)
			}
			div := algo.Info().Crypto.New()
			div.Write(data[:half])
			div.Write([]byte("divergence"))
			if got, _ := h.Sum(); !bytes.Equal(got, div.Sum(nil)) {
				t.Errorf("original after clone = %x, want %x", got, div.Sum(nil))
			}
			if c.Algo() != algo {
				t.Errorf("clone Algo() = %v", c.Algo())
			}
		})
	}
}

func TestNewHashUnsupported(t *testing.T) {
	p := newPrims(t, "auto")
	for _, algo := range []core.HashAlgo{0, core.HashRIPEMD160, core.HashMD2, core.HashTIGER192, core.HashHAVAL5160, 13, 255} {
		h, err := p.NewHash(algo)
		if h != nil || !errors.Is(err, strict.ErrUnsupported) {
			t.Errorf("NewHash(%d) = %v, %v; want ErrUnsupported", algo, h, err)
		}
	}
}

// wantBad fails unless err is a verification failure (not nil, not
// "unsupported").
func wantBad(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: verified, want failure", what)
	} else if errors.Is(err, strict.ErrUnsupported) {
		t.Errorf("%s: %v; want a verification failure, not ErrUnsupported", what, err)
	}
}

func TestVerifyRSA(t *testing.T) {
	p := newPrims(t, "auto")
	k2048, k4096, spare := rsaKeys(t)
	sn, se := rsaBytes(&spare.PublicKey)
	for _, k := range []*rsa.PrivateKey{k2048, k4096} {
		n, e := rsaBytes(&k.PublicKey)
		for _, h := range core.RequiredDigests {
			t.Run(fmt.Sprintf("%d/%v", k.N.BitLen(), h), func(t *testing.T) {
				d := digestOf(h, "rpm header")
				sig, err := rsa.SignPKCS1v15(nil, k, h.Info().Crypto, d)
				if err != nil {
					t.Fatal(err)
				}
				if err := p.VerifyRSA(n, e, h, d, sig); err != nil {
					t.Fatalf("valid signature: %v", err)
				}
				// Leading zeros on the MPIs do not matter.
				if err := p.VerifyRSA(append([]byte{0, 0}, n...), append([]byte{0}, e...), h, d, append([]byte{0}, sig...)); err != nil {
					t.Errorf("valid signature with zero-padded MPIs: %v", err)
				}
				wantBad(t, "tampered digest", p.VerifyRSA(n, e, h, flip(d, 0), sig))
				wantBad(t, "tampered signature", p.VerifyRSA(n, e, h, d, flip(sig, -1)))
				wantBad(t, "wrong key", p.VerifyRSA(sn, se, h, d, sig))
				wantBad(t, "truncated digest", p.VerifyRSA(n, e, h, d[:len(d)-1], sig))
				other := core.HashSHA256
				if h == core.HashSHA256 {
					other = core.HashSHA3_256 // same length, different DigestInfo
				}
				if len(d) == other.Size() {
					wantBad(t, "wrong hash algorithm", p.VerifyRSA(n, e, other, d, sig))
				}
			})
		}
	}
	t.Run("short signature", func(t *testing.T) {
		n, e := rsaBytes(&k2048.PublicKey)
		d, sig := shortRSASignature(t, k2048)
		if len(sig) != 255 {
			t.Fatalf("short signature is %d bytes", len(sig))
		}
		if err := p.VerifyRSA(n, e, core.HashSHA256, d, sig); err != nil {
			t.Errorf("short signature: %v", err)
		}
		wantBad(t, "short tampered", p.VerifyRSA(n, e, core.HashSHA256, d, flip(sig, -1)))
		wantBad(t, "longer than modulus", p.VerifyRSA(n, e, core.HashSHA256, d, append([]byte{1}, make([]byte, 256)...)))
	})
}

func TestVerifyDSA(t *testing.T) {
	p := newPrims(t, "auto")
	k, other := dsaKey(t), dsaKey(t)
	pp, q, g, y := k.P.Bytes(), k.Q.Bytes(), k.G.Bytes(), k.Y.Bytes()
	for _, h := range []core.HashAlgo{core.HashSHA1, core.HashSHA224, core.HashSHA256, core.HashSHA384, core.HashSHA512, core.HashSHA3_512} {
		t.Run(h.String(), func(t *testing.T) {
			d := digestOf(h, "rpm payload")
			r, s := dsaSign(t, k, d)
			if err := p.VerifyDSA(pp, q, g, y, d, r, s); err != nil {
				t.Fatalf("valid signature: %v", err)
			}
			wantBad(t, "tampered digest", p.VerifyDSA(pp, q, g, y, flip(d, 0), r, s))
			wantBad(t, "tampered r", p.VerifyDSA(pp, q, g, y, d, flip(r, -1), s))
			wantBad(t, "tampered s", p.VerifyDSA(pp, q, g, y, d, r, flip(s, -1)))
			wantBad(t, "swapped r, s", p.VerifyDSA(pp, q, g, y, d, s, r))
			wantBad(t, "wrong key", p.VerifyDSA(pp, q, g, other.Y.Bytes(), d, r, s))
			if len(d) > 32 {
				// Only the first len(q) bytes count (FIPS 186-4).
				if err := p.VerifyDSA(pp, q, g, y, flip(d, -1), r, s); err != nil {
					t.Errorf("digest byte beyond q changed: %v", err)
				}
			}
		})
	}
}

func TestVerifyECDSA(t *testing.T) {
	p := newPrims(t, "auto")
	for _, c := range ecCurves {
		k, other := ecKey(t, c.ec), ecKey(t, c.ec)
		point := uncompressed(c.size, k.X, k.Y)
		otherPoint := uncompressed(c.size, other.X, other.Y)
		for _, h := range []core.HashAlgo{core.HashSHA1, core.HashSHA256, core.HashSHA384, core.HashSHA512} {
			t.Run(string(c.curve)+"/"+h.String(), func(t *testing.T) {
				d := digestOf(h, "rpm header+payload")
				r, s := ecSign(t, k, d)
				if err := p.VerifyECDSA(c.curve, point, d, r, s); err != nil {
					t.Fatalf("valid signature: %v", err)
				}
				wantBad(t, "tampered digest", p.VerifyECDSA(c.curve, point, flip(d, 0), r, s))
				wantBad(t, "tampered r", p.VerifyECDSA(c.curve, point, d, flip(r, -1), s))
				wantBad(t, "tampered s", p.VerifyECDSA(c.curve, point, d, r, flip(s, -1)))
				wantBad(t, "wrong key", p.VerifyECDSA(c.curve, otherPoint, d, r, s))
				wantBad(t, "compressed point", p.VerifyECDSA(c.curve, append([]byte{2 + byte(k.Y.Bit(0))}, point[1:1+c.size]...), d, r, s))
				wantBad(t, "point off the curve", p.VerifyECDSA(c.curve, flip(point, -1), d, r, s))
			})
		}
	}
	if err := p.VerifyECDSA("secp256k1", []byte{4}, nil, nil, nil); !errors.Is(err, strict.ErrUnsupported) {
		t.Errorf("unknown curve: %v, want ErrUnsupported", err)
	}
}

func TestVerifyEd25519(t *testing.T) {
	p := newPrims(t, "auto")
	pub, priv := edKey(t)
	otherPub, _ := edKey(t)
	for _, h := range []core.HashAlgo{core.HashSHA256, core.HashSHA512, core.HashSHA3_256} {
		d := digestOf(h, "rpm")
		sig := ed25519.Sign(priv, d)
		if err := p.VerifyEdDSA(strict.CurveEd25519, pub, d, sig); err != nil {
			t.Fatalf("%v: valid signature: %v", h, err)
		}
		wantBad(t, "tampered digest", p.VerifyEdDSA(strict.CurveEd25519, pub, flip(d, 0), sig))
		wantBad(t, "tampered R", p.VerifyEdDSA(strict.CurveEd25519, pub, d, flip(sig, 0)))
		wantBad(t, "tampered S", p.VerifyEdDSA(strict.CurveEd25519, pub, d, flip(sig, -1)))
		wantBad(t, "wrong key", p.VerifyEdDSA(strict.CurveEd25519, otherPub, d, sig))
		wantBad(t, "short signature", p.VerifyEdDSA(strict.CurveEd25519, pub, d, sig[:63]))
		wantBad(t, "short key", p.VerifyEdDSA(strict.CurveEd25519, pub[:31], d, sig))
	}
	// Empty message (a zero-length digest is not OpenPGP, but must not crash).
	if err := p.VerifyEdDSA(strict.CurveEd25519, pub, nil, ed25519.Sign(priv, nil)); err != nil {
		t.Errorf("empty message: %v", err)
	}
	if err := p.VerifyEdDSA("Curve25519", pub, nil, nil); !errors.Is(err, strict.ErrUnsupported) {
		t.Errorf("unknown curve: %v, want ErrUnsupported", err)
	}
}

func TestVerifyEd448(t *testing.T) {
	p := newPrims(t, "auto")
	for i, v := range ed448Vectors {
		t.Run(v.name, func(t *testing.T) {
			if err := p.VerifyEdDSA(strict.CurveEd448, v.pub, v.msg, v.sig); err != nil {
				t.Fatalf("RFC 8032 vector: %v", err)
			}
			wantBad(t, "tampered message", p.VerifyEdDSA(strict.CurveEd448, v.pub, append([]byte{0}, v.msg...), v.sig))
			wantBad(t, "tampered R", p.VerifyEdDSA(strict.CurveEd448, v.pub, v.msg, flip(v.sig, 0)))
			wantBad(t, "tampered S", p.VerifyEdDSA(strict.CurveEd448, v.pub, v.msg, flip(v.sig, 60)))
			other := ed448Vectors[1-i].pub
			wantBad(t, "wrong key", p.VerifyEdDSA(strict.CurveEd448, other, v.msg, v.sig))
			wantBad(t, "Ed25519-sized key", p.VerifyEdDSA(strict.CurveEd448, v.pub[:32], v.msg, v.sig))
		})
	}
}

// TestMalformedInputs feeds hostile sizes and values to every primitive: each
// must return an error, never panic or hang.
func TestMalformedInputs(t *testing.T) {
	p := newPrims(t, "auto")
	huge := bytes.Repeat([]byte{0xff}, 64<<10) // 512 Kibit integer
	d32 := make([]byte, 32)
	k2048, _, _ := rsaKeys(t)
	n, e := rsaBytes(&k2048.PublicKey)
	sig := make([]byte, 256)
	sig[255] = 1
	edPub, _ := edKey(t)
	cases := map[string]func() error{
		"empty n": func() error { return p.VerifyRSA(nil, e, core.HashSHA256, d32, sig) },
		"zero n":  func() error { return p.VerifyRSA(make([]byte, 256), e, core.HashSHA256, d32, sig) },
		"empty e": func() error { return p.VerifyRSA(n, nil, core.HashSHA256, d32, sig) },
		"e = 1":   func() error { return p.VerifyRSA(n, []byte{1}, core.HashSHA256, d32, sig) },
		"e > n":   func() error { return p.VerifyRSA(n, huge, core.HashSHA256, d32, sig) },
		"huge n":  func() error { return p.VerifyRSA(huge, e, core.HashSHA256, d32, sig) },
		"even n": func() error {
			return p.VerifyRSA(append(append([]byte{}, n[:255]...), 2), e, core.HashSHA256, d32, sig)
		},
		"tiny n":        func() error { return p.VerifyRSA([]byte{0xc5}, e, core.HashSHA256, d32, []byte{1}) },
		"empty sig":     func() error { return p.VerifyRSA(n, e, core.HashSHA256, d32, nil) },
		"zero sig":      func() error { return p.VerifyRSA(n, e, core.HashSHA256, d32, make([]byte, 256)) },
		"sig = n":       func() error { return p.VerifyRSA(n, e, core.HashSHA256, d32, n) },
		"empty digest":  func() error { return p.VerifyRSA(n, e, core.HashSHA256, nil, sig) },
		"unknown hash":  func() error { return p.VerifyRSA(n, e, core.HashRIPEMD160, make([]byte, 20), sig) },
		"hash 0":        func() error { return p.VerifyRSA(n, e, 0, nil, sig) },
		"huge sig":      func() error { return p.VerifyRSA(n, e, core.HashSHA256, d32, huge) },
		"all empty":     func() error { return p.VerifyRSA(nil, nil, 0, nil, nil) },
		"huge digest":   func() error { return p.VerifyRSA(n, e, core.HashSHA256, huge, sig) },
		"dsa all empty": func() error { return p.VerifyDSA(nil, nil, nil, nil, nil, nil, nil) },
		"dsa huge p": func() error {
			return p.VerifyDSA(huge, dsa2048.Q.Bytes(), dsa2048.G.Bytes(), []byte{2}, d32, []byte{1}, []byte{1})
		},
		"dsa q = 0": func() error {
			return p.VerifyDSA(dsa2048.P.Bytes(), []byte{0}, dsa2048.G.Bytes(), []byte{2}, d32, []byte{1}, []byte{1})
		},
		"dsa g = 0": func() error {
			return p.VerifyDSA(dsa2048.P.Bytes(), dsa2048.Q.Bytes(), nil, []byte{2}, d32, []byte{1}, []byte{1})
		},
		"dsa y = 0": func() error {
			return p.VerifyDSA(dsa2048.P.Bytes(), dsa2048.Q.Bytes(), dsa2048.G.Bytes(), nil, d32, []byte{1}, []byte{1})
		},
		"dsa r = 0": func() error {
			return p.VerifyDSA(dsa2048.P.Bytes(), dsa2048.Q.Bytes(), dsa2048.G.Bytes(), []byte{2}, d32, nil, []byte{1})
		},
		"dsa huge r, s": func() error {
			return p.VerifyDSA(dsa2048.P.Bytes(), dsa2048.Q.Bytes(), dsa2048.G.Bytes(), []byte{2}, d32, huge, huge)
		},
		"dsa no digest": func() error {
			return p.VerifyDSA(dsa2048.P.Bytes(), dsa2048.Q.Bytes(), dsa2048.G.Bytes(), []byte{2}, nil, []byte{1}, []byte{1})
		},
		"ec empty point": func() error { return p.VerifyECDSA(strict.CurveP256, nil, d32, []byte{1}, []byte{1}) },
		"ec zero point": func() error {
			return p.VerifyECDSA(strict.CurveP256, append([]byte{4}, make([]byte, 64)...), d32, []byte{1}, []byte{1})
		},
		"ec 0x04 only":   func() error { return p.VerifyECDSA(strict.CurveP521, []byte{4}, d32, []byte{1}, []byte{1}) },
		"ec huge point":  func() error { return p.VerifyECDSA(strict.CurveP384, huge, d32, []byte{1}, []byte{1}) },
		"ec r = s = 0":   func() error { return p.VerifyECDSA(strict.CurveP256, genPoint(0), d32, nil, nil) },
		"ec huge r, s":   func() error { return p.VerifyECDSA(strict.CurveP256, genPoint(0), d32, huge, huge) },
		"ec no digest":   func() error { return p.VerifyECDSA(strict.CurveP256, genPoint(0), nil, []byte{1}, []byte{1}) },
		"bp huge digest": func() error { return p.VerifyECDSA(strict.CurveBrainpoolP512, genPoint(5), huge, []byte{1}, []byte{1}) },
		"ed empty":       func() error { return p.VerifyEdDSA(strict.CurveEd25519, nil, nil, nil) },
		// S >= L is rejected before any curve arithmetic (RFC 8032 5.1.7).
		"ed S = 2^256-1": func() error {
			return p.VerifyEdDSA(strict.CurveEd25519, edPub, huge, append(make([]byte, 32), huge[:32]...))
		},
		"ed448 S too big": func() error {
			v := ed448Vectors[0]
			return p.VerifyEdDSA(strict.CurveEd448, v.pub, v.msg, append(append([]byte{}, v.sig[:57]...), huge[:57]...))
		},
		"ed448 ff key": func() error { return p.VerifyEdDSA(strict.CurveEd448, huge[:57], huge, huge[:114]) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			if err := f(); err == nil {
				t.Errorf("no error")
			}
		})
	}
}

// genPoint returns the base point of ecCurves[i] (a valid public point).
func genPoint(i int) []byte {
	c := ecCurves[i]
	return uncompressed(c.size, c.ec.Params().Gx, c.ec.Params().Gy)
}

// TestCloseFreesKeys: a verification leaves its key imported in the
// library context; Backend.Close frees it and the backend still verifies.
func TestCloseFreesKeys(t *testing.T) {
	b, err := New(Options{FIPS: "off"})
	if err != nil {
		t.Fatal(err)
	}
	k, _, _ := rsaKeys(t)
	n, e := rsaBytes(&k.PublicKey)
	d := digestOf(core.HashSHA256, "close")
	sig := mustSign(t, k, core.HashSHA256, d)
	ctx := b.prims.ctx()
	ctx.FlushKeys()
	if err := b.prims.VerifyRSA(n, e, core.HashSHA256, d, sig); err != nil {
		t.Fatal(err)
	}
	if got := ctx.CachedKeys(); got != 1 {
		t.Fatalf("after a verification: %d cached keys, want 1", got)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if got := ctx.CachedKeys(); got != 0 {
		t.Errorf("after Close: %d cached keys, want 0", got)
	}
	if err := b.prims.VerifyRSA(n, e, core.HashSHA256, d, sig); err != nil {
		t.Errorf("after Close: %v", err)
	}
}
