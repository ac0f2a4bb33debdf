//go:build cgo

package openssl

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/backends/openssl/internal/fipstest"
	"github.com/rpmpgp/rpmpgp/backends/openssl/internal/ossl"
	"github.com/rpmpgp/rpmpgp/core"
)

// fipsPrims returns primitives in FIPS mode "require" on the provider
// built by internal/cmd/fipsprovider.
func fipsPrims(t *testing.T) *Primitives {
	t.Helper()
	conf := fipstest.Conf(t)
	p, err := NewPrimitivesWith(Options{FIPS: core.FIPSRequire, Config: conf})
	if err != nil {
		t.Fatalf("require with %s: %v", conf, err)
	}
	if !p.FIPS() {
		t.Fatal("require: FIPS() is false")
	}
	return p
}

// TestFIPSProviders: in FIPS mode exactly the fips and base providers are
// loaded and active, and Describe says so with the FIPS provider's name
// and version.
func TestFIPSProviders(t *testing.T) {
	p := fipsPrims(t)
	provs := p.Providers()
	var names []string
	for _, pr := range provs {
		names = append(names, pr.Name)
		if !pr.Active {
			t.Errorf("provider %s is not active", pr)
		}
	}
	if strings.Join(names, ",") != "base,fips" {
		t.Fatalf("providers %v, want exactly base and fips", provs)
	}
	if provs[1].FullName != "OpenSSL FIPS Provider" || !strings.HasPrefix(provs[1].Version, "3.0.") {
		t.Errorf("fips provider %+v, want OpenSSL FIPS Provider 3.0.x", provs[1])
	}
	t.Logf("providers: %v", provs)
	b := fipsBackend(t)
	d, err := b.Describe()
	if err != nil {
		t.Fatal(err)
	}
	if !d.FIPS || !strings.HasPrefix(d.Notes, "FIPS on (fips = require); providers: OpenSSL Base Provider ") ||
		!strings.Contains(d.Notes, "OpenSSL FIPS Provider "+provs[1].Version+" (fips, active)") {
		t.Errorf("Describe: FIPS %v, Notes %q", d.FIPS, d.Notes)
	}
	// The default-provider context, for contrast: the check can fail.
	off := newPrims(t, core.FIPSOff)
	if got := off.Providers(); len(got) != 1 || got[0].Name != "default" {
		t.Errorf("off mode providers %v, want only default", got)
	}
}

// TestFIPSServedByFIPS: every digest and signature algorithm the backend
// uses is served by the fips provider in FIPS mode (EVP_*_fetch with the
// context's "fips=yes" default properties), MD5 by none; with the default
// provider the same fetches name "default".
func TestFIPSServedByFIPS(t *testing.T) {
	ctx := fipsPrims(t).ctx()
	off := newPrims(t, core.FIPSOff).ctx()
	type fetch struct {
		op   int
		name string
	}
	var fetches []fetch
	for _, h := range core.Hashes(func(h core.HashInfo) bool { return h.OpenSSL != "" && h.Algo != core.HashMD5 }) {
		fetches = append(fetches, fetch{ossl.OpDigest, h.OpenSSL})
	}
	for _, n := range []string{"RSA", "DSA", "ECDSA", "ED25519", "ED448"} {
		fetches = append(fetches, fetch{ossl.OpSignature, n})
	}
	for _, n := range []string{"RSA", "DSA", "EC", "ED25519", "ED448"} {
		fetches = append(fetches, fetch{ossl.OpKeyMgmt, n})
	}
	for _, f := range fetches {
		if got := ctx.ServedBy(f.op, f.name); got != "fips" {
			t.Errorf("FIPS mode: %s (op %d) served by %q, want fips", f.name, f.op, got)
		}
		if got := off.ServedBy(f.op, f.name); got != "default" {
			t.Errorf("off mode: %s (op %d) served by %q, want default", f.name, f.op, got)
		}
	}
	if got := ctx.ServedBy(ossl.OpDigest, "MD5"); got != "" {
		t.Errorf("FIPS mode: MD5 served by %q, want none", got)
	}
}

// TestFIPSVerifies: with the real FIPS provider what FIPS allows verifies
// (RSA-2048/4096, SHA-1 legacy verification, NIST curves, DSA-2048,
// Ed25519 and Ed448 in the 3.0 provider) and forgeries are BAD; what it
// does not allow is refused naming FIPS.
func TestFIPSVerifies(t *testing.T) {
	p := fipsPrims(t)
	k2048, k4096, _ := rsaKeys(t)
	for _, tc := range []struct {
		k *rsa.PrivateKey
		h core.HashAlgo
	}{{k2048, core.HashSHA256}, {k4096, core.HashSHA512}, {k2048, core.HashSHA1}, {k4096, core.HashSHA3_256}} {
		n, e := rsaBytes(&tc.k.PublicKey)
		d := digestOf(tc.h, "rpm")
		sig := mustSign(t, tc.k, tc.h, d)
		if err := p.VerifyRSA(n, e, tc.h, d, sig); err != nil {
			t.Errorf("RSA-%d %v: %v", tc.k.N.BitLen(), tc.h, err)
		}
		wantBad(t, "RSA tampered", p.VerifyRSA(n, e, tc.h, flip(d, 0), sig))
	}
	for _, c := range ecCurves {
		k := ecKey(t, c.ec)
		d := digestOf(core.HashSHA256, "rpm")
		r, s := ecSign(t, k, d)
		err := p.VerifyECDSA(c.curve, uncompressed(c.size, k.X, k.Y), d, r, s)
		switch c.curve {
		case strict.CurveP256, strict.CurveP384, strict.CurveP521:
			if err != nil {
				t.Errorf("ECDSA %s: %v", c.curve, err)
			}
			wantBad(t, "ECDSA tampered", p.VerifyECDSA(c.curve, uncompressed(c.size, k.X, k.Y), flip(d, 0), r, s))
		default:
			if !errors.Is(err, strict.ErrUnsupported) || !strings.Contains(err.Error(), "FIPS") {
				t.Errorf("ECDSA %s in FIPS mode: %v, want a refusal naming FIPS", c.curve, err)
			}
		}
	}
	pub, priv := edKey(t)
	d := digestOf(core.HashSHA256, "rpm")
	if err := p.VerifyEdDSA(strict.CurveEd25519, pub, d, ed25519.Sign(priv, d)); err != nil {
		t.Errorf("Ed25519: %v", err)
	}
	wantBad(t, "Ed25519 tampered", p.VerifyEdDSA(strict.CurveEd25519, pub, flip(d, 0), ed25519.Sign(priv, d)))
	for _, v := range ed448Vectors {
		if err := p.VerifyEdDSA(strict.CurveEd448, v.pub, v.msg, v.sig); err != nil {
			t.Errorf("Ed448 %s: %v", v.name, err)
		}
	}
	k := dsaKey(t)
	r, s := dsaSign(t, k, d)
	if err := p.VerifyDSA(k.P.Bytes(), k.Q.Bytes(), k.G.Bytes(), k.Y.Bytes(), d, r, s); err != nil {
		t.Errorf("DSA 2048/256: %v", err)
	}
	wantBad(t, "DSA tampered", p.VerifyDSA(k.P.Bytes(), k.Q.Bytes(), k.G.Bytes(), k.Y.Bytes(), flip(d, 0), r, s))
	if _, err := p.NewHash(core.HashMD5); !errors.Is(err, strict.ErrUnsupported) || !strings.Contains(err.Error(), "MD5 is not approved in FIPS mode") {
		t.Errorf("MD5 in FIPS mode: %v", err)
	}
	if _, err := p.NewHash(core.HashSHA1); err != nil {
		t.Errorf("SHA-1 digest in FIPS mode: %v", err)
	}
}

// TestFIPSProviderRefuses goes past fipsDecision, straight to the library
// context: the FIPS provider itself refuses MD5, Brainpool keys and a
// 512-bit RSA key, so the provider stays the final judge.
func TestFIPSProviderRefuses(t *testing.T) {
	ctx := fipsPrims(t).ctx()
	if _, err := ctx.NewDigest("MD5"); !errors.Is(err, ossl.ErrUnavailable) {
		t.Errorf("MD5 digest: %v, want ErrUnavailable", err)
	}
	bp := ecCurves[3]
	k := ecKey(t, bp.ec)
	d := digestOf(core.HashSHA256, "rpm")
	r, s := ecSign(t, k, d)
	if err := ctx.VerifyECDSA("brainpoolP256r1", uncompressed(bp.size, k.X, k.Y), d, r, s); err == nil {
		t.Error("brainpoolP256r1 verified by the FIPS provider")
	}
	t.Setenv("GODEBUG", "rsa1024min=0") // Go refuses to make short keys otherwise
	k512, err := rsa.GenerateKey(rand.Reader, 512)
	if err != nil {
		t.Fatal(err)
	}
	n, e := rsaBytes(&k512.PublicKey)
	sig := mustSign(t, k512, core.HashSHA256, d)
	// The same call succeeds with the default provider: the refusal is
	// the FIPS provider's.
	if err := newPrims(t, core.FIPSOff).ctx().VerifyRSA(n, e, "SHA2-256", d, sig); err != nil {
		t.Fatalf("RSA-512 with the default provider: %v", err)
	}
	if err := ctx.VerifyRSA(n, e, "SHA2-256", d, sig); err == nil {
		t.Error("RSA-512 verified by the FIPS provider")
	}
}

// TestFIPSConfigWithDefaultProvider: an OpenSSL configuration that loads
// the default provider next to fips is refused in FIPS mode: only fips and
// base may be loaded.
func TestFIPSConfigWithDefaultProvider(t *testing.T) {
	conf := fipstest.Conf(t)
	data, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	mixed := strings.Replace(string(data), "base = base_sect\n", "base = base_sect\ndefault = default_sect\n\n[default_sect]\nactivate = 1\n", 1)
	if mixed == string(data) {
		t.Fatalf("%s has no base provider line to extend", conf)
	}
	path := filepath.Join(t.TempDir(), "mixed.cnf")
	if err := os.WriteFile(path, []byte(mixed), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = NewPrimitivesWith(Options{FIPS: core.FIPSRequire, Config: path})
	if !errors.Is(err, ossl.ErrFIPSUnavailable) || !strings.Contains(err.Error(), `also loads the "default" provider; in FIPS mode only fips and base may be loaded`) {
		t.Errorf("require with the default provider configured: %v", err)
	}
}

// TestAutoFollowsOpenSSLConfig: "auto" runs in FIPS mode when OpenSSL's
// configuration asks for fips=yes. It runs in a child process, because the
// default library context reads $OPENSSL_CONF once per process.
func TestAutoFollowsOpenSSLConfig(t *testing.T) {
	if os.Getenv("RPMPGP_TEST_AUTO_CHILD") == "1" {
		p, err := NewPrimitivesWith(Options{FIPS: core.FIPSAuto, Config: os.Getenv("OPENSSL_CONF"), KernelFIPS: filepath.Join(t.TempDir(), "none")})
		if err != nil {
			t.Fatal(err)
		}
		if !p.FIPS() || p.notes() == "" || !strings.HasPrefix(p.notes(), "FIPS on (fips = auto: OpenSSL's configuration asks for fips=yes)") {
			t.Fatalf("auto under a FIPS OpenSSL configuration: FIPS %v, notes %q", p.FIPS(), p.notes())
		}
		return
	}
	conf := fipstest.Conf(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestAutoFollowsOpenSSLConfig$", "-test.v")
	cmd.Env = append(os.Environ(), "RPMPGP_TEST_AUTO_CHILD=1", "OPENSSL_CONF="+conf)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestAutoFollowsOpenSSLConfig") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
