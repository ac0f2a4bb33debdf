//go:build cgo

package openssl

import (
	"crypto/ed25519"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/backends/openssl/internal/ossl"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/version"
)

func TestNewDescribe(t *testing.T) {
	for _, mode := range []core.FIPSMode{"", core.FIPSAuto, core.FIPSOff} {
		b, err := New(Options{FIPS: mode, Version: "1.2.3"})
		if err != nil {
			t.Fatalf("New(%q): %v", mode, err)
		}
		d, err := b.Describe()
		if err != nil {
			t.Fatal(err)
		}
		if d.Name != "openssl" || d.Version != "1.2.3" || d.Profile != core.ProfileStrict || d.Library != ossl.Version() {
			t.Errorf("New(%q).Describe() = %+v", mode, d)
		}
		if !strings.HasPrefix(d.Library, "OpenSSL 3.") {
			t.Errorf("Library = %q, want OpenSSL 3.x", d.Library)
		}
		var want []string
		for _, h := range core.RequiredDigests {
			want = append(want, h.String())
		}
		if !slices.Equal(d.HashAlgos, want) {
			t.Errorf("HashAlgos = %v, want %v", d.HashAlgos, want)
		}
		if mode == "off" && d.FIPS {
			t.Errorf("FIPS off reports FIPS on")
		}
	}
	b, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := b.Describe(); d.Version != version.Version {
		t.Errorf("default Version = %q, want the build's %q", d.Version, version.Version)
	}
}

func TestNewBadMode(t *testing.T) {
	b, err := New(Options{FIPS: "yes"})
	if b != nil || err == nil || !strings.Contains(err.Error(), `unknown FIPS mode "yes"`) {
		t.Errorf("New(yes) = %v, %v", b, err)
	}
}

// TestNewRequireFIPS runs where OpenSSL has no FIPS provider (Debian 12):
// "require" must fail and say why, in OpenSSL's words.
func TestNewRequireFIPS(t *testing.T) {
	b, err := New(Options{FIPS: "require"})
	if err == nil {
		// A machine with a working FIPS provider: it must really be in FIPS mode.
		d, _ := b.Describe()
		if !d.FIPS {
			t.Fatalf("require succeeded but Describe().FIPS is false")
		}
		t.Skip("OpenSSL's FIPS provider is installed here; the failure path cannot be tested")
	}
	if !errors.Is(err, ossl.ErrFIPSUnavailable) {
		t.Errorf("error %v does not wrap ossl.ErrFIPSUnavailable", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"FIPS mode required but OpenSSL's FIPS provider is unavailable",
		"fips.so",                           // OpenSSL names the module it tried
		"could not load the shared library", // OpenSSL's reason (DSO routines)
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	// A failed attempt changes nothing for the other modes.
	if p := newPrims(t, "off"); p.FIPS() {
		t.Error("off mode in FIPS after a failed require")
	}
}

// TestFIPSRefusals simulates FIPS mode on top of the default provider to
// check that every primitive consults fipsDecision (a real FIPS run needs a
// FIPS provider, which Debian does not ship).
func TestFIPSRefusals(t *testing.T) {
	base := newPrims(t, "off")
	p := &Primitives{}
	p.state.Store(&primState{ctx: base.ctx(), fips: true, why: "simulated"})
	refused := func(what string, err error, want string) {
		t.Helper()
		if !errors.Is(err, strict.ErrUnsupported) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want ErrUnsupported mentioning %q", what, err, want)
		}
	}
	_, err := p.NewHash(core.HashMD5)
	refused("NewHash(MD5)", err, "MD5 is not approved in FIPS mode")
	for _, h := range []core.HashAlgo{core.HashSHA1, core.HashSHA256, core.HashSHA3_512} {
		if _, err := p.NewHash(h); err != nil {
			t.Errorf("NewHash(%v) in FIPS mode: %v", h, err)
		}
	}
	k2048, _, _ := rsaKeys(t)
	n, e := rsaBytes(&k2048.PublicKey)
	refused("RSA with MD5", p.VerifyRSA(n, e, core.HashMD5, make([]byte, 16), make([]byte, 256)), "MD5 is not approved in FIPS mode")
	refused("RSA-1016", p.VerifyRSA(n[:127], e, core.HashSHA256, make([]byte, 32), make([]byte, 127)), "1016-bit RSA keys are not approved in FIPS mode")
	refused("DSA 2048/160", p.VerifyDSA(dsa2048.P.Bytes(), make([]byte, 20), nil, nil, nil, nil, nil), "DSA with L=2048, N=0")
	refused("brainpool", p.VerifyECDSA(strict.CurveBrainpoolP384, genPoint(4), make([]byte, 48), []byte{1}, []byte{1}), "ECDSA on brainpoolP384r1 is not approved in FIPS mode")

	// What FIPS allows still verifies (through the default provider here).
	d := digestOf(core.HashSHA1, "legacy")
	pub, priv := edKey(t)
	if err := p.VerifyEdDSA(strict.CurveEd25519, pub, d, ed25519.Sign(priv, d)); err != nil {
		t.Errorf("Ed25519 in simulated FIPS mode: %v", err)
	}
	k := dsaKey(t)
	r, s := dsaSign(t, k, d)
	if err := p.VerifyDSA(k.P.Bytes(), k.Q.Bytes(), k.G.Bytes(), k.Y.Bytes(), d, r, s); err != nil {
		t.Errorf("DSA 2048/256 with SHA-1 in simulated FIPS mode: %v", err)
	}
}

// TestConcurrent hashes and verifies from many goroutines at once (run
// with -race); OpenSSL objects are per call or per Digest.
func TestConcurrent(t *testing.T) {
	p := newPrims(t, "auto")
	pub, priv := edKey(t)
	k2048, _, _ := rsaKeys(t)
	n, e := rsaBytes(&k2048.PublicKey)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			h, err := p.NewHash(core.HashSHA256)
			if err != nil {
				errs <- err
				return
			}
			for j := 0; j < 50; j++ {
				h.Write([]byte("abc"))
			}
			c, _ := h.Clone()
			d, _ := c.Sum()
			if err := p.VerifyEdDSA(strict.CurveEd25519, pub, d, ed25519.Sign(priv, d)); err != nil {
				errs <- err
			}
			if i%4 == 0 {
				sig := mustSignRSA(k2048, d)
				if err := p.VerifyRSA(n, e, core.HashSHA256, d, sig); err != nil {
					errs <- err
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
