//go:build cgo

package openssl

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/backends/openssl/internal/ossl"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/casefile"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// The openssl backend has no ML-DSA (OpenSSL 3.0 on Debian 12 lacks it), so
// it departs from the strict profile's expectations wherever an ML-DSA +
// EdDSA composite (draft-ietf-openpgp-pqc) is involved. These tests pin
// that documented exception: the algorithm is reported unsupported with a
// lint saying OpenSSL lacks ML-DSA, and rpm-sequoia's rules for unsupported
// algorithms decide the verdicts (as a non-PQC rpm-sequoia would).

func TestNoMLDSAWording(t *testing.T) {
	for _, tc := range []struct{ version, want string }{
		{"OpenSSL 3.0.19 27 Jan 2026", "OpenSSL 3.0.19 lacks ML-DSA (FIPS 204; OpenSSL 3.5 or later has it)"},
		{"OpenSSL 3.4.1 11 Feb 2025", "OpenSSL 3.4.1 lacks ML-DSA (FIPS 204; OpenSSL 3.5 or later has it)"},
		{"OpenSSL 3.5.0 8 Apr 2025", "OpenSSL 3.5.0 has ML-DSA, but the openssl backend does not use it yet"},
		{"OpenSSL 4.0.0 1 Jan 2027", "OpenSSL 4.0.0 has ML-DSA, but the openssl backend does not use it yet"},
		{"weird", "weird lacks ML-DSA (FIPS 204; OpenSSL 3.5 or later has it)"},
	} {
		if got := noMLDSA(tc.version); got != tc.want {
			t.Errorf("noMLDSA(%q) = %q, want %q", tc.version, got, tc.want)
		}
	}
}

// mldsaReason is the reason the openssl primitives give for algo.
func mldsaReason(algo core.PubKeyAlgo) string {
	return fmt.Sprintf("openssl: %v is not supported: %s", algo, noMLDSA(ossl.Version()))
}

func TestMLDSAUnsupported(t *testing.T) {
	p := newPrims(t, "auto")
	for _, a := range []core.PubKeyAlgo{core.PubKeyMLDSA65Ed25519, core.PubKeyMLDSA87Ed448} {
		err := p.Supports(a)
		if !errors.Is(err, strict.ErrUnsupported) || err.Error() != mldsaReason(a) {
			t.Errorf("Supports(%v) = %v, want ErrUnsupported %q", a, err, mldsaReason(a))
		}
	}
	if v := ossl.Version(); strings.HasPrefix(v, "OpenSSL 3.0.") && !strings.Contains(mldsaReason(core.PubKeyMLDSA87Ed448), "lacks ML-DSA") {
		t.Errorf("%s: reason %q does not say OpenSSL lacks ML-DSA", v, mldsaReason(core.PubKeyMLDSA87Ed448))
	}
	for _, a := range []core.PubKeyAlgo{core.PubKeyRSA, core.PubKeyDSA, core.PubKeyECDSA, core.PubKeyEdDSA, core.PubKeyEd25519, core.PubKeyEd448} {
		if err := p.Supports(a); err != nil {
			t.Errorf("Supports(%v) = %v", a, err)
		}
	}
	if err := p.Supports(core.PubKeySLHDSAShake128s); !errors.Is(err, strict.ErrUnsupported) {
		t.Errorf("Supports(SLH-DSA) = %v, want ErrUnsupported", err)
	}
	for _, set := range []strict.MLDSA{strict.MLDSA65, strict.MLDSA87} {
		if err := p.VerifyMLDSA(set, nil, nil, nil); !errors.Is(err, strict.ErrUnsupported) {
			t.Errorf("VerifyMLDSA(%s) = %v, want ErrUnsupported", set, err)
		}
	}
	b, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := b.Describe()
	if slices.Contains(d.PubKeyAlgos, "ML-DSA-87+Ed448") || slices.Contains(d.PubKeyAlgos, "ML-DSA-65+Ed25519") {
		t.Errorf("Describe().PubKeyAlgos = %v, announces ML-DSA", d.PubKeyAlgos)
	}
}

// mldsaException is what the openssl backend gives for the rpm-testsuite
// rows that involve ML-DSA-87+Ed448, where it differs from expect_strict
// (a PQC-capable rpm-sequoia) and agrees with a non-PQC rpm-sequoia (the
// rows' notes): the ML-DSA key cannot be imported, and the ML-DSA
// signature (#1) is NOTTRUSTED instead of NOKEY/OK, which lets the
// packages with a good RSA signature (#2) pass.
var mldsaException = map[string]string{
	"key-v6-mldsa87":      "import=fail;keys=-",
	"pkg-mldsa87-nokey":   "HeaderSig@278#1=NOTTRUSTED,HeaderSig@278#2=NOKEY,HeaderSHA256=OK,PayloadSHA256=OK;pkg=fail",
	"pkg-mldsa87-rsaonly": "HeaderSig@278#1=NOTTRUSTED,HeaderSig@278#2=OK,HeaderSHA256=OK,PayloadSHA256=OK;pkg=pass",
	"pkg-mldsa87-both":    "HeaderSig@278#1=NOTTRUSTED,HeaderSig@278#2=OK,HeaderSHA256=OK,PayloadSHA256=OK;pkg=pass",
}

// TestMLDSACorpusException runs those rows through the openssl backend and
// checks the results and the lints exactly.
func TestMLDSACorpusException(t *testing.T) {
	dir := filepath.Join(testutil.Corpus(t), "rpm-testsuite")
	at := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	b, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Init(core.Options{Time: at}); err != nil {
		t.Fatal(err)
	}
	const mldsaFpr = "AED054589CBF858445CFEA63E827A16CC45EE27FF4B97D8EB8EC71D34684F4E6"
	keyLint := "Certificate AED054589CBF8584:\n  Policy rejects AED054589CBF8584: No binding signature at time 2026-11-26T00:00:00Z, because " +
		mldsaReason(core.PubKeyMLDSA87Ed448)

	kr := core.NewKeyring(b)
	res := kr.ImportFile(filepath.Join(dir, "keys/unknown/rpm.org-v6-mldsa87-test.asc"))
	if len(res) != 1 || res[0].OK() || res[0].RC != core.RCFail || res[0].Lint != keyLint || kr.Len() != 0 {
		t.Fatalf("key-v6-mldsa87: %+v (%d keys)\nwant FAIL with lint %q", res, kr.Len(), keyLint)
	}
	if res[0].Fingerprint != nil && fmt.Sprintf("%X", res[0].Fingerprint) != mldsaFpr {
		t.Errorf("fingerprint %X, want %s", res[0].Fingerprint, mldsaFpr)
	}

	f, err := casefile.ReadFile(filepath.Join(dir, "cases.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, c := range f {
		want, ok := mldsaException[c.ID]
		if !ok {
			continue
		}
		seen++
		t.Run(c.ID, func(t *testing.T) {
			if strings.HasPrefix(c.ExpectStrict, want) {
				t.Fatalf("expect_strict %q no longer differs: the exception is stale", c.ExpectStrict)
			}
			if c.Kind == casefile.KindKey {
				return // checked above: import fails, the keyring stays empty
			}
			kr := core.NewKeyring(b)
			for _, k := range c.Keyring {
				kr.ImportFile(filepath.Join(dir, k))
			}
			v, err := verify.NewVerifier(b, kr, core.StrictDefaults())
			if err != nil {
				t.Fatal(err)
			}
			r, err := v.VerifyFile(filepath.Join(dir, c.Inputs[0]))
			if err != nil {
				t.Fatal(err)
			}
			got := r.CaseItems() + map[bool]string{true: ";pkg=fail", false: ";pkg=pass"}[r.Failed]
			gc, err1 := casefile.ParseExpectation(casefile.KindPackage, got)
			wc, err2 := casefile.ParseExpectation(casefile.KindPackage, want)
			if err1 != nil || err2 != nil || gc.Canonical() != wc.Canonical() {
				t.Fatalf("got %s\nwant %s (%v %v)", got, want, err1, err2)
			}
			for _, it := range r.Items {
				if it.Name() != "HeaderSig@278#1" {
					continue
				}
				if it.Sig == nil || it.Sig.PubKeyAlgo != core.PubKeyMLDSA87Ed448 {
					t.Fatalf("#1 is not the ML-DSA-87+Ed448 signature: %+v", it.Sig)
				}
				created := time.Unix(int64(it.Sig.CreationTime), 0).UTC().Format("Mon Jan _2 15:04:05 2006")
				wantLint := fmt.Sprintf("Verifying a signature, but no certificate was provided:\n"+
					"  Signature %02x%02x created at %s invalid: public key algorithm ML-DSA-87+Ed448 is not supported\n"+
					"      because: %s", it.Sig.HashPrefix[0], it.Sig.HashPrefix[1], created, mldsaReason(core.PubKeyMLDSA87Ed448))
				if len(it.Lints) != 1 || it.Lints[0].Text != wantLint {
					t.Errorf("#1 lints %+v\nwant %q", it.Lints, wantLint)
				}
			}
		})
	}
	if seen != len(mldsaException) {
		t.Errorf("found %d of the %d ML-DSA rows in cases.tsv", seen, len(mldsaException))
	}
}
