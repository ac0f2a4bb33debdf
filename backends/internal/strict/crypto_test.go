package strict

import (
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestCompositeSizes checks that the ML-DSA + EdDSA composites' parts add
// up to core's KeyBytes and SigBytes, and that the EdDSA parts are the
// sizes of the native EdDSA algorithms.
func TestCompositeSizes(t *testing.T) {
	ed := map[Curve]core.PubKeyAlgo{CurveEd25519: core.PubKeyEd25519, CurveEd448: core.PubKeyEd448}
	for algo, c := range mldsaComposites {
		info := algo.Info()
		if c.edPub+c.mldsaPub != info.KeyBytes || c.edSig+c.mldsaSig != info.SigBytes {
			t.Errorf("%v: parts %d+%d / %d+%d, table %d / %d", algo, c.edPub, c.mldsaPub, c.edSig, c.mldsaSig, info.KeyBytes, info.SigBytes)
		}
		if e := ed[c.curve].Info(); c.edPub != e.KeyBytes || c.edSig != e.SigBytes {
			t.Errorf("%v: EdDSA part %d / %d, %v is %d / %d", algo, c.edPub, c.edSig, ed[c.curve], e.KeyBytes, e.SigBytes)
		}
	}
}

// TestFixedSizeMaterial checks that keys and signatures of the fixed-size
// algorithms must have exactly their size (RFC 9580, Sections 5.5.5.7-10
// and 5.2.3.3-4).
func TestFixedSizeMaterial(t *testing.T) {
	b := newTestBackend(t, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	for _, algo := range core.PubKeyAlgos(func(a core.PubKeyInfo) bool { return a.KeyBytes > 0 }) {
		n := algo.Info().KeyBytes
		for _, size := range []int{n - 1, n, n + 1} {
			k := rawKey(6, algo, at, make([]byte, size))
			_, err := b.Fingerprint(k.pub())
			if (err == nil) != (size == n) {
				t.Errorf("%v key of %d bytes (want %d): %v", algo, size, n, err)
			}
		}
	}
	pk := ed25519Key(t, 4, at)
	good := sign(t, pk, sigSpec{when: at}, []byte("x"))
	for _, extra := range []int{-1, 1} {
		bad := append([]byte(nil), good[2:]...)
		if extra < 0 {
			bad = bad[:len(bad)-1]
		} else {
			bad = append(bad, 0)
		}
		pr, err := b.ParseSignature(framePacket(2, bad))
		want := "Parsing an OpenPGP packet:\n  Failed to parse Signature Packet\n      because: Malformed packet: Ed25519 signature has " +
			map[int]string{-1: "63", 1: "65"}[extra] + " bytes, want 64"
		if err != nil || pr.OK() || pr.Lint != want {
			t.Errorf("Ed25519 signature %+d byte: %q\nwant %q", extra, pr.Lint, want)
		}
	}
}
