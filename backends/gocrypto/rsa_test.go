package gocrypto

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/internal/rsapkcs1"
	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/core"
)

// digestInfoPrefixes is the table verifyRSABig encodes with.
var digestInfoPrefixes = rsapkcs1.Prefixes()

// fixedRSAKeyPEM is a 3072-bit key made once with crypto/rsa.GenerateKey, so
// that every fuzz worker uses the same key. "TESTING KEY" keeps secret
// scanners quiet; fixedRSAKey restores the PEM type.
const fixedRSAKeyPEM = `-----BEGIN RSA TESTING KEY-----
MIIG4wIBAAKCAYEAyk4GUBmrTN2gGsnBFXFAgukMjaIRU1tmqXnHTFfdRuJYRw+6
5uYO4wRAD5FrgC9ewocG8PAwL/0u6+L5BBU6Li5N6UIeNEA8LWH8mPefM2Nz5j4d
yv5gzlTfdHhMDbvoGadgEcc4+cas0XbaWhzBVYgQMpdgQg9HICUauPN/RZ0Qr8zJ
EdECEts7fTEvNlEfa7eTrXNtniVaZJDj0b9yGzozFlMMf1kOwA5F34V6XcsUjZUv
1K7sPj3wLZEJZQfTwPn6cLZau15pRPqM1LOgWtno+JpYUykvocb0uTbvMIOEUHC7
WdWuOXEDHFz7t8MCh/yo1QtzLIK7II27iQT88tIbsZO3sRvt9ySqn3HGQtbP3ioB
4ypih+nROw2V8FIMxc8OZjYTalok/DMztqhlIPG9zq0/Z2ne9s2o3CaRhig1z2XG
zbsHGefM35TpuWNMTBiMgppqD5umlfPiuxSku/rJwB43qpO537KB5zD/3mC4Bziu
SR0XyC8VakDJyoodAgMBAAECggGAIedqHO30XKUu0hZ6VrTcbiQO78SXuTvR7Hil
eyilg53m0//xn4UyPP8HGmTRWpH1xE2bTvE97ij0/mDTQUkqbzdg5MTpKXITc7qe
eedT5amW8KD73rt7b1DfgxYvDsUtTHFVwxz7cjbG2zLbPKthhktPhZ8DaYbEcYFu
ZU0fiQPd2kyMbQE1YwIdSemegzCcvrFtHS5BUnXpnH2AxLPcNG5wRd9Esqny9CJg
OOnWfFYOu3yjX7YyDutT71sFc0pYeNgVXMYjexIDRGuCe4ONJYyC9V4mSOKZhkcS
n5EQO2UQNE6LgOKFm3Mg7OPi5Ked/gvetMRuPm6xxer4ABGt6K6wjj3SNrNNTYSB
l7HOOydcxyUUfnB4gps4fC7AvIxcsj0+uCS7YPjP0UGticLmeak7Vc8AgpjFRlYK
TCQcjtMKklyYR09qBcXosjR4POC5l3jXu2eftKJI/YQOmc+QWJVzaW3aUFZ/xxT/
wfL7VfWpzfeAIZWZkKBzq03r8lTZAoHBANLRIZPwTDUZh0KbXOqjkbRjn10/36F7
FRpqQyLRnYoKLIaFsep14ezdNg+8Cr5njLD5Sw9SXyA4Sks4yDYXpQQXh2GkmsYc
y6Q2JmdBuqJbma1TNpJ3sNSRQ//6VcPAkZio53rG9KwBoSYjvsmXU02a5RjzJDjG
twiFe5KpzFCSRX2J4pcYDIaWXzhBJl6kBhMgJLypvu1VR1DcLW/ld7usnvBUIkX2
F8m97XEbbpdYueoWKEZV+EPeOETw1CB7hQKBwQD1qdvvw5YBJPLT5QT35rRngLw6
UxjANCyzS7pFuj3Gcixf16kWGmdhix2hmIywgdb2IINfAxlgi6z4xC9e8DX+P/MC
Yndk5fMQnlJtrrK8cXJ3NbmwHG1e6BBn5a3eAXE7qOaEDTUjUv1x+Zkx7qfFjyvB
kMX1jgY1BtXELB0KwSkSW48YEbnTogRolVwOVn4v0sl2vfzvFB9gAzM2rk0NaMeM
8+YPrdvacWwoH9P/pNzJLWf4bHBioRhykjaVW7kCgcADt/Sjq2VsulqMbjkhWmlD
iU5SUsIbExS4No+gmZnxyWQnq0wMGrA1gWFmvaZi3Wi55mvQhV9wLg4Bbar6aUhb
3h5hNooUXIWrC9l5kMs9+eeoCwO3aa0Q0s8kQMIqhccLrk8G92NxdUXmalL/M1Ag
2k6YNhG5fqfT2qbnW19jPHFFWZ1JlP8DkLt1PpDysmn5BGQhf80CWrK7VmbmxmFq
Sg0zqAhCu6iHwnXhvN4ihUoiOunS88lBSTYs4SKcwBECgcBZD1ZTqtVj3tBFr15I
vROj/lC+2Ec9zuxxp7+E7crdeaDKsjVzdOkLvNJmNhazGq8ilZDqzgXSMXDo0r7V
rUH1xZtEvwvHwXGIEc2SQ+Y6WOqFey2xQe0Inhrsf6CzvlQdq9K+Bse/4aNOQY2f
Q4UBIzFawDB0ICPx72Np9hAlSPep1xWeRTbYGYF9pMA11ndywPkWmjPrPKFPPnm/
lhsLBHRrjjRWdNIidEIgncFOiacdK9/oeO+ZYgup5YXySckCgcEAsYfUnEw8PpJD
/gNgGuNlGGxvVdtSjUJyPdJ1mLLtFiyDvow0IMkomXwF0abHqq9DRbQvwioFivUG
Iao6cDpVwkALWybT1Y6btDeSLJb52ST7j/rnHNu4BINPB4TZ7qwAHCddDQe8aVd8
jT7N40SIYNAEA9RCbKNn8Uk91t+QEntKxp26lpa8m6iGUUnNNHLfdRoBNOLlBeMJ
9FVKP9HQPhq0abkkM4YFMZmuGaQqb/gHP87ZljwQKK+gl+AUYox2
-----END RSA TESTING KEY-----
`

// rsaTestKeys caches the keys of the tests in this file by name.
var rsaTestKeys = struct {
	sync.Mutex
	m map[string]*rsa.PrivateKey
}{m: map[string]*rsa.PrivateKey{}}

// rsaTestKey returns the key called name, made once per run: "fixed3072" is
// fixedRSAKeyPEM, any other name is a decimal bit size for rsa.GenerateKey.
func rsaTestKey(tb testing.TB, name string) *rsa.PrivateKey {
	tb.Helper()
	rsaTestKeys.Lock()
	defer rsaTestKeys.Unlock()
	if k, ok := rsaTestKeys.m[name]; ok {
		return k
	}
	var k *rsa.PrivateKey
	var err error
	if name == "fixed3072" {
		block, _ := pem.Decode([]byte(strings.ReplaceAll(fixedRSAKeyPEM, "TESTING KEY", "PRIVATE KEY")))
		k, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	} else {
		var bits int
		if _, err = fmt.Sscan(name, &bits); err == nil {
			k, err = rsa.GenerateKey(rand.Reader, bits)
		}
	}
	if err != nil {
		tb.Fatalf("RSA key %s: %v", name, err)
	}
	rsaTestKeys.m[name] = k
	return k
}

// sortedHashes lists the hashes NewHash offers (core.RequiredDigests) in
// ID order.
func sortedHashes() []core.HashAlgo {
	return slices.Sorted(slices.Values(core.RequiredDigests))
}

// digestOf hashes msg with h.
func digestOf(h core.HashAlgo, msg string) []byte {
	d := h.Info().Crypto.New()
	d.Write([]byte(msg))
	return d.Sum(nil)
}

// encodePKCS1 builds 0x00 0x01 PS 0x00 T 0x00.. of k octets with psLen octets
// of 0xff and len(tail) trailing octets after T = prefix || digest.
func encodePKCS1(k, psLen int, prefix, digest, tail []byte) []byte {
	em := []byte{0, 1}
	for range psLen {
		em = append(em, 0xff)
	}
	em = append(em, 0)
	em = append(em, prefix...)
	em = append(em, digest...)
	em = append(em, tail...)
	if len(em) != k {
		panic(fmt.Sprintf("encoding is %d octets, want %d", len(em), k))
	}
	return em
}

// rawSign applies the private exponent to em with no padding checks, with
// the CRT (RFC 8017, Section 5.1.2, step 2b) when the key has it.
func rawSign(priv *rsa.PrivateKey, em []byte) []byte {
	c := new(big.Int).SetBytes(em)
	pre := priv.Precomputed
	if len(priv.Primes) != 2 || pre.Dp == nil {
		return new(big.Int).Exp(c, priv.D, priv.N).FillBytes(make([]byte, priv.Size()))
	}
	p, q := priv.Primes[0], priv.Primes[1]
	m1 := new(big.Int).Exp(c, pre.Dp, p)
	m2 := new(big.Int).Exp(c, pre.Dq, q)
	h := m1.Sub(m1, m2)
	h.Mul(h, pre.Qinv).Mod(h, p)
	return h.Mul(h, q).Add(h, m2).FillBytes(make([]byte, priv.Size()))
}

// wantRSA asserts that crypto/rsa.VerifyPKCS1v15 and verifyRSABig both
// accept (want true) or both reject, the latter with errBad, and so does
// VerifyRSA when the exponent is one it supports.
func wantRSA(t *testing.T, name string, pub *rsa.PublicKey, h core.HashAlgo, digest, sig []byte, want bool) {
	t.Helper()
	ch := h.Info().Crypto
	ref := rsa.VerifyPKCS1v15(pub, ch, digest, sig)
	got := verifyRSABig(pub.N, pub.E, ch, digest, sig)
	if want && (ref != nil || got != nil) {
		t.Errorf("%s: want accept, crypto/rsa: %v, math/big: %v", name, ref, got)
	}
	if !want && (ref == nil || !errors.Is(got, errBad)) {
		t.Errorf("%s: want reject, crypto/rsa: %v, math/big: %v", name, ref, got)
	}
	if pub.E < 3 || pub.E > 1<<31-1 {
		return
	}
	via := Primitives{}.VerifyRSA(pub.N.Bytes(), big.NewInt(int64(pub.E)).Bytes(), h, digest, sig)
	if (via == nil) != want || (!want && !errors.Is(via, errBad)) {
		t.Errorf("%s: VerifyRSA: %v, want accept %v", name, via, want)
	}
}

// TestVerifyRSABigDifferential checks verifyRSABig against crypto/rsa on
// 3072 and 4096-bit keys for every hash, on good signatures and on
// tampered signatures, digests, keys and encodings.
func TestVerifyRSABigDifferential(t *testing.T) {
	for _, name := range []string{"fixed3072", "3072", "4096"} {
		priv := rsaTestKey(t, name)
		pub := &priv.PublicKey
		k := priv.Size()
		t.Run(name, func(t *testing.T) {
			for _, h := range sortedHashes() {
				ch := h.Info().Crypto
				prefix := digestInfoPrefixes[ch]
				d := digestOf(h, "message "+name)
				sig, err := rsa.SignPKCS1v15(nil, priv, ch, d)
				if err != nil {
					t.Fatalf("%v: %v", h, err)
				}
				// RFC 8017, Section 9.2: PS fills the encoding to k octets.
				ps := k - len(prefix) - len(d) - 3
				if raw := rawSign(priv, encodePKCS1(k, ps, prefix, d, nil)); !slices.Equal(raw, sig) {
					t.Fatalf("%v: hand-made encoding differs from crypto/rsa's", h)
				}
				wantRSA(t, fmt.Sprintf("%v good", h), pub, h, d, sig, true)

				for _, pos := range []int{0, 1, k / 2, k - 2, k - 1} {
					for bit := range 8 {
						s := slices.Clone(sig)
						s[pos] ^= 1 << bit
						wantRSA(t, fmt.Sprintf("%v sig[%d] bit %d", h, pos, bit), pub, h, d, s, false)
					}
				}
				for _, pos := range []int{0, len(d) - 1} {
					bad := slices.Clone(d)
					bad[pos] ^= 0x01
					wantRSA(t, fmt.Sprintf("%v digest[%d] flipped", h, pos), pub, h, bad, sig, false)
				}
				wantRSA(t, fmt.Sprintf("%v truncated digest", h), pub, h, d[:len(d)-1], sig, false)
				wantRSA(t, fmt.Sprintf("%v extended digest", h), pub, h, append(slices.Clone(d), 0), sig, false)
				for _, o := range sortedHashes() {
					if o != h {
						wantRSA(t, fmt.Sprintf("%v sig as %v", h, o), pub, o, d, sig, false)
						wantRSA(t, fmt.Sprintf("%v sig as %v digest", h, o), pub, o, digestOf(o, "message "+name), sig, false)
					}
				}
				// H under the DigestInfo of another hash, of the same size
				// where there is one (SHA-256/SHA3-256, SHA-512/SHA3-512).
				others := map[core.HashAlgo]core.HashAlgo{core.HashSHA256: core.HashSHA3_256, core.HashSHA3_256: core.HashSHA256,
					core.HashSHA512: core.HashSHA3_512, core.HashSHA3_512: core.HashSHA512}
				o, ok := others[h]
				if !ok {
					o = core.HashSHA256
				}
				op := digestInfoPrefixes[o.Info().Crypto]
				forged := rawSign(priv, encodePKCS1(k, k-len(op)-len(d)-3, op, d, nil))
				wantRSA(t, fmt.Sprintf("%v with DigestInfo of %v", h, o), pub, h, d, forged, false)

				n := pub.N
				for sname, s := range map[string]*big.Int{
					"s = 0": big.NewInt(0), "s = 1": big.NewInt(1), "s = n-1": new(big.Int).Sub(n, big.NewInt(1)),
					"s = n": n, "s = n+1": new(big.Int).Add(n, big.NewInt(1)),
				} {
					wantRSA(t, fmt.Sprintf("%v %s", h, sname), pub, h, d, s.FillBytes(make([]byte, k)), false)
				}

				even := &rsa.PublicKey{N: new(big.Int).Sub(n, big.NewInt(1)), E: pub.E}
				wantRSA(t, fmt.Sprintf("%v even modulus", h), even, h, d, sig, false)
				for _, e := range []int{1, 2, 3, 4, 65536, 65538, 1<<31 - 2, 1<<31 - 1, 1 << 31} {
					wantRSA(t, fmt.Sprintf("%v e = %d", h, e), &rsa.PublicKey{N: n, E: e}, h, d, sig, false)
				}

				// Valid-looking encodings with extra or altered octets, the
				// Bleichenbacher 2006 forgery class (RFC 8017, Section 8.2.2,
				// Note): a parser that stops after H would accept them.
				garbage := []byte{0xde, 0xad, 0xbe, 0xef}
				noNull := append([]byte{0x30, prefix[1] - 2, 0x30, prefix[3] - 2}, prefix[4:len(prefix)-4]...)
				noNull = append(noNull, prefix[len(prefix)-2:]...)
				badPS := encodePKCS1(k, ps, prefix, d, nil)
				badPS[5] = 0xfe
				blockType2 := encodePKCS1(k, ps, prefix, d, nil)
				blockType2[1] = 2
				noSeparator := encodePKCS1(k, ps, prefix, d, nil)
				noSeparator[2+ps] = 0xff
				for ename, em := range map[string][]byte{
					"garbage after H":         encodePKCS1(k, ps-len(garbage), prefix, d, garbage),
					"minimal PS, garbage":     encodePKCS1(k, 8, prefix, d, make([]byte, ps-8)),
					"DigestInfo without NULL": encodePKCS1(k, ps+2, noNull, d, nil),
					"non-0xff octet in PS":    badPS,
					"block type 2":            blockType2,
					"missing 0x00 after PS":   noSeparator,
				} {
					wantRSA(t, fmt.Sprintf("%v %s", h, ename), pub, h, d, rawSign(priv, em), false)
				}
			}
		})
	}
	// RFC 8017, Section 5.2.2, step 1: s + n has the same value mod n as a
	// good s and must be refused whenever it fits in k octets.
	for _, name := range []string{"fixed3072", "3072", "4096"} {
		priv := rsaTestKey(t, name)
		limit := new(big.Int).Lsh(big.NewInt(1), uint(8*priv.Size()))
		limit.Sub(limit, priv.N)
		found := false
		for i := 0; i < 64 && !found; i++ {
			d := digestOf(core.HashSHA256, fmt.Sprintf("s + n %d", i))
			sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, d)
			if err != nil {
				t.Fatal(err)
			}
			if s := new(big.Int).SetBytes(sig); s.Cmp(limit) < 0 {
				found = true
				wantRSA(t, name+" s + n", &priv.PublicKey, core.HashSHA256, d, s.Add(s, priv.N).FillBytes(make([]byte, priv.Size())), false)
			}
		}
		if !found {
			t.Logf("%s: no signature below 2^(8k) - n in 64 tries", name)
		}
	}
	// VerifyRSA keeps its own exponent rules: e < 3 is unsupported.
	pub := &rsaTestKey(t, "fixed3072").PublicKey
	if err := (Primitives{}).VerifyRSA(pub.N.Bytes(), []byte{2}, core.HashSHA256, make([]byte, 32), make([]byte, pub.Size())); !errors.Is(err, strict.ErrUnsupported) {
		t.Errorf("e = 2: %v, want ErrUnsupported", err)
	}
}

// TestVerifyRSASmallKeysUseCryptoRSA checks that moduli up to 2048 bits
// still go through crypto/rsa: it refuses a 1023-bit key that math/big
// would accept, and accepts a 1024-bit one.
func TestVerifyRSASmallKeysUseCryptoRSA(t *testing.T) {
	if strings.Contains(os.Getenv("GODEBUG"), "rsa1024min=0") {
		t.Skip("GODEBUG rsa1024min=0 lifts crypto/rsa's minimum")
	}
	// p and q have their top two bits set (crypto/rand.Prime), so n has
	// exactly 1023 bits.
	var priv *rsa.PrivateKey
	for priv == nil {
		p, err1 := rand.Prime(rand.Reader, 512)
		q, err2 := rand.Prime(rand.Reader, 511)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		phi := new(big.Int).Mul(new(big.Int).Sub(p, big.NewInt(1)), new(big.Int).Sub(q, big.NewInt(1)))
		if d := new(big.Int).ModInverse(big.NewInt(65537), phi); d != nil {
			priv = &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: new(big.Int).Mul(p, q), E: 65537}, D: d}
		}
	}
	if priv.N.BitLen() != 1023 {
		t.Fatalf("modulus has %d bits", priv.N.BitLen())
	}
	d := digestOf(core.HashSHA256, "small")
	prefix := digestInfoPrefixes[crypto.SHA256]
	k := priv.Size()
	sig := rawSign(priv, encodePKCS1(k, k-len(prefix)-len(d)-3, prefix, d, nil))
	if err := verifyRSABig(priv.N, priv.E, crypto.SHA256, d, sig); err != nil {
		t.Fatalf("math/big rejects the 1023-bit signature: %v", err)
	}
	if err := (Primitives{}).VerifyRSA(priv.N.Bytes(), []byte{1, 0, 1}, core.HashSHA256, d, sig); !errors.Is(err, errBad) {
		t.Errorf("VerifyRSA with a 1023-bit key: %v, want crypto/rsa's refusal", err)
	}

	k1024 := rsaTestKey(t, "1024")
	sig, err := rsa.SignPKCS1v15(nil, k1024, crypto.SHA256, d)
	if err != nil {
		t.Fatal(err)
	}
	if err := (Primitives{}).VerifyRSA(k1024.N.Bytes(), []byte{1, 0, 1}, core.HashSHA256, d, sig); err != nil {
		t.Errorf("VerifyRSA with a 1024-bit key: %v", err)
	}
}

// TestDigestInfoPrefixes re-derives every DigestInfo prefix with
// encoding/asn1 from the OIDs of RFC 8017, Appendix B.1, and NIST's
// 2.16.840.1.101.3.4.2 arc, with NULL parameters (Section 9.2, Note 1).
func TestDigestInfoPrefixes(t *testing.T) {
	nist := func(n int) asn1.ObjectIdentifier { return asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, n} }
	oids := map[crypto.Hash]asn1.ObjectIdentifier{
		crypto.MD5: {1, 2, 840, 113549, 2, 5}, crypto.SHA1: {1, 3, 14, 3, 2, 26},
		crypto.SHA224: nist(4), crypto.SHA256: nist(1), crypto.SHA384: nist(2), crypto.SHA512: nist(3),
		crypto.SHA3_256: nist(8), crypto.SHA3_512: nist(10),
	}
	if len(digestInfoPrefixes) != len(core.RequiredDigests) {
		t.Errorf("%d prefixes for %d hashes", len(digestInfoPrefixes), len(core.RequiredDigests))
	}
	for _, h := range sortedHashes() {
		ch := h.Info().Crypto
		der, err := asn1.Marshal(struct {
			Alg    pkix.AlgorithmIdentifier
			Digest []byte
		}{pkix.AlgorithmIdentifier{Algorithm: oids[ch], Parameters: asn1.NullRawValue}, make([]byte, ch.Size())})
		if err != nil {
			t.Fatal(err)
		}
		if want := der[:len(der)-ch.Size()]; !slices.Equal(digestInfoPrefixes[ch], want) {
			t.Errorf("%v: prefix %x, want %x", h, digestInfoPrefixes[ch], want)
		}
	}
}

// FuzzVerifyRSABig compares verifyRSABig and VerifyRSA with crypto/rsa on
// a fixed 3072-bit key: they must agree on every signature and digest.
func FuzzVerifyRSABig(f *testing.F) {
	priv := rsaTestKey(f, "fixed3072")
	pub := &priv.PublicKey
	k := priv.Size()
	algos := sortedHashes()
	for i, h := range algos {
		d := digestOf(h, "fuzz")
		sig, err := rsa.SignPKCS1v15(nil, priv, h.Info().Crypto, d)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(byte(i), d, sig)
		f.Add(byte(i), d, sig[1:])
		f.Add(byte(i+1), d, sig)
		flipped := slices.Clone(sig)
		flipped[k/2] ^= 0x10
		f.Add(byte(i), d, flipped)
	}
	f.Add(byte(0), make([]byte, 16), pub.N.Bytes())
	f.Add(byte(0), make([]byte, 16), []byte{})
	n, e := pub.N.Bytes(), big.NewInt(int64(pub.E)).Bytes()
	f.Fuzz(func(t *testing.T, hi byte, digest, sig []byte) {
		h := algos[int(hi)%len(algos)]
		ch := h.Info().Crypto
		ref := rsa.VerifyPKCS1v15(pub, ch, digest, sig)
		got := verifyRSABig(pub.N, pub.E, ch, digest, sig)
		if (ref == nil) != (got == nil) || (got != nil && !errors.Is(got, errBad)) {
			t.Fatalf("%v: crypto/rsa: %v, math/big: %v", h, ref, got)
		}
		// VerifyRSA passes k octets on unchanged, refuses longer ones and
		// left-pads MPIs that lost leading zero octets. Only a few octets
		// are lost in practice; padding more would make every shortened
		// candidate of the minimizer cost two exponentiations.
		if len(sig) >= k || len(sig) < k-4 {
			return
		}
		padded := make([]byte, k)
		copy(padded[k-len(sig):], sig)
		ref = rsa.VerifyPKCS1v15(pub, ch, digest, padded)
		if via := (Primitives{}).VerifyRSA(n, e, h, digest, sig); (ref == nil) != (via == nil) || (via != nil && !errors.Is(via, errBad)) {
			t.Fatalf("%v: crypto/rsa: %v, VerifyRSA: %v", h, ref, via)
		}
	})
}

// BenchmarkVerifyRSA times VerifyRSA with SHA-256 per modulus size, and
// crypto/rsa alone on the 4096-bit key for comparison.
func BenchmarkVerifyRSA(b *testing.B) {
	d := digestOf(core.HashSHA256, "bench")
	for _, size := range []string{"2048", "3072", "4096", "4096-crypto-rsa"} {
		name, _, direct := strings.Cut(size, "-")
		if name == "3072" {
			name = "fixed3072"
		}
		priv := rsaTestKey(b, name)
		sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, d)
		if err != nil {
			b.Fatal(err)
		}
		n, e := priv.N.Bytes(), big.NewInt(int64(priv.E)).Bytes()
		b.Run(size, func(b *testing.B) {
			for b.Loop() {
				var err error
				if direct {
					err = rsa.VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, d, sig)
				} else {
					err = Primitives{}.VerifyRSA(n, e, core.HashSHA256, d, sig)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
