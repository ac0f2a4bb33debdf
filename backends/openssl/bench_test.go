//go:build cgo

package openssl

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/gocrypto"
	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// benchPrims runs f on the OpenSSL primitives and, for comparison, on the
// gocrypto ones.
func benchPrims(b *testing.B, f func(b *testing.B, p strict.Primitives)) {
	b.Run("openssl", func(b *testing.B) { f(b, newPrims(b, "auto")) })
	b.Run("gocrypto", func(b *testing.B) { f(b, gocrypto.Primitives{}) })
}

func BenchmarkSHA256_1MiB(b *testing.B) {
	data := make([]byte, 1<<20)
	benchPrims(b, func(b *testing.B, p strict.Primitives) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			h, err := p.NewHash(core.HashSHA256)
			if err != nil {
				b.Fatal(err)
			}
			h.Write(data)
			if _, err := h.Sum(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkVerifyRSA4096(b *testing.B) {
	_, k, _ := rsaKeys(b)
	n, e := rsaBytes(&k.PublicKey)
	d := digestOf(core.HashSHA256, "bench")
	sig := mustSign(b, k, core.HashSHA256, d)
	benchPrims(b, func(b *testing.B, p strict.Primitives) {
		for b.Loop() {
			if err := p.VerifyRSA(n, e, core.HashSHA256, d, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkVerifyEd25519(b *testing.B) {
	pub, priv := edKey(b)
	d := digestOf(core.HashSHA256, "bench")
	sig := ed25519.Sign(priv, d)
	benchPrims(b, func(b *testing.B, p strict.Primitives) {
		for b.Loop() {
			if err := p.VerifyEdDSA(strict.CurveEd25519, pub, d, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifyRSA4096Parallel is BenchmarkVerifyRSA4096 on every
// GOMAXPROCS at once, with the same key: a batch verifies its packages so.
func BenchmarkVerifyRSA4096Parallel(b *testing.B) {
	_, k, _ := rsaKeys(b)
	n, e := rsaBytes(&k.PublicKey)
	d := digestOf(core.HashSHA256, "bench")
	sig := mustSign(b, k, core.HashSHA256, d)
	benchPrims(b, func(b *testing.B, p strict.Primitives) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := p.VerifyRSA(n, e, core.HashSHA256, d, sig); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkPackage verifies one small RSA-4096 package
// (testdata/rpms/rpmsign-rsa4096.rpm, the package of the bench's
// small-packages workload) in process on one goroutine: the backend's
// whole per-package cost, RSA verification and the digests of the header
// and payload included, against gocrypto's.
func BenchmarkPackage(b *testing.B) { benchPackage(b, false) }

// BenchmarkPackageParallel is BenchmarkPackage on every GOMAXPROCS at
// once, as a batch verifies its packages: what the goroutines share in
// OpenSSL (reference counts, locks) shows here.
func BenchmarkPackageParallel(b *testing.B) { benchPackage(b, true) }

// verifyPackage verifies the package pkg with v; a failed verification is
// an error.
func verifyPackage(v *verify.Verifier, pkg []byte) error {
	res, err := v.Verify(bytes.NewReader(pkg), "rpmsign-rsa4096.rpm")
	if err != nil {
		return err
	}
	if res.Failed {
		return fmt.Errorf("verification failed: %s", res.CaseItems())
	}
	return nil
}

// benchPackage is BenchmarkPackage, on one goroutine or on GOMAXPROCS.
func benchPackage(b *testing.B, parallel bool) {
	pkg, err := os.ReadFile(filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa4096.rpm"))
	if err != nil {
		b.Fatal(err)
	}
	keyring := filepath.Join(testutil.Fixtures(), "keys", "rsa4096.asc")
	run := func(b *testing.B, be core.Backend) {
		if err := be.Init(core.Options{}); err != nil {
			b.Fatal(err)
		}
		kr, _, err := core.LoadKeyring(be, keyring)
		if err != nil {
			b.Fatal(err)
		}
		v, err := verify.NewVerifier(be, kr, core.StrictDefaults())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		if !parallel {
			for b.Loop() {
				if err := verifyPackage(v, pkg); err != nil {
					b.Fatal(err)
				}
			}
			return
		}
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := verifyPackage(v, pkg); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.Run("openssl", func(b *testing.B) {
		be, err := New(Options{})
		if err != nil {
			b.Fatal(err)
		}
		run(b, be)
	})
	b.Run("gocrypto", func(b *testing.B) { run(b, gocrypto.New()) })
}
