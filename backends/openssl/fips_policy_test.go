//go:build cgo

package openssl

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/gocrypto"
	"github.com/rpmpgp/rpmpgp/conformance"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// fipsPolicyVerdicts pins, for every signed fixture package, what the
// combination administrators run on Fedora/RHEL in FIPS mode gives: the
// openssl backend with OpenSSL's FIPS provider ("require") and Fedora's
// FIPS crypto-policy for rpm-sequoia (FIPS.rpm-sequoia.config). Values are
// the signature items that are not NOTFOUND, then the package verdict.
// The policy allows RSA of 2048 bits and more and the NIST curves with the
// SHA-2 family; it refuses SHA-1, DSA, EdDSA (Ed25519 and Ed448) and
// RSA-1024, and allows the ML-DSA composites (which OpenSSL 3.0 lacks).
var fipsPolicyVerdicts = map[string]string{
	// RSA >= 2048 with SHA-256: allowed by both.
	"rs-rsa2048": "HeaderSig@268=OK;pass",
	"rs-rsa4096": "HeaderSig@268=OK;pass",
	"go-subkey":  "HeaderSig@268=OK;pass",
	// v3 signature by an RSA-2048 key (rpm-sequoia's policy accepts v3
	// signatures; the FIPS policy says nothing against them).
	"go-v3-rsa": "HeaderSig@268=OK;pass",
	// Header-only and legacy header+payload RSA signatures.
	"go-legacy-rsa": "HeaderSig@268=OK,LegacySig@1002=OK;pass",
	// A forged RSA signature stays BAD.
	"rs-tamper-sigpkt": "HeaderSig@268=BAD;fail",
	// NIST P-256/384/521 ECDSA: allowed ("nistp256" ... = always).
	"go-p256": "HeaderSig@267=OK;pass",
	"go-p384": "HeaderSig@267=OK;pass",
	"go-p521": "HeaderSig@267=OK;pass",
	// Ed25519, Ed448 and DSA keys: the policy rejects their
	// self-signatures ("ed25519", "ed448", "eddsa", "dsa2048" = never), so
	// the key does not import and the signature has no key: NOKEY.
	"rs-ed25519":    "HeaderSig@267=NOKEY;fail",
	"go-v6-ed25519": "HeaderSig@278=NOKEY;fail",
	"go-v6-ed448":   "HeaderSig@278=NOKEY;fail",
	"rs-dsa2048":    "HeaderSig@267=NOKEY;fail",
	"go-legacy-dsa": "HeaderSig@267=NOKEY,LegacySig@1005=NOKEY;fail",
	// Two signatures, by the RSA-2048 key and by the v6 Ed448 key: the RSA
	// one verifies, the Ed448 key does not import (NOKEY), which fails the
	// package at level all.
	"go-278-two": "HeaderSig@278#1=OK,HeaderSig@278#2=NOKEY;fail",
	// SHA-1 signatures: "sha1" = never in signatures (the DSA-1024 key does
	// not import either; the keyless check of a SHA-1 signature is
	// NOTTRUSTED, rpm-sequoia >= 1.10.1).
	"go-rsa-sha1":     "HeaderSig@268=NOTTRUSTED;fail",
	"go-dsa1024-sha1": "HeaderSig@267=NOTTRUSTED;fail",
	// RSA-1024 key: "rsa1024" = never, the key does not import.
	"go-rsa1024": "HeaderSig@268=NOKEY;fail",
	// Certificates as rpmkeys --import sees them: imported when the policy
	// accepts a signing key, NOTTRUSTED when it rejects every one.
	"key-rsa2048": "ok", "key-rsa4096": "ok", "key-p256": "ok", "key-p384": "ok", "key-p521": "ok",
	"key-subkey":      "ok",
	"key-ed25519":     "nottrusted",
	"key-v6-ed25519":  "nottrusted",
	"key-v6-ed448":    "nottrusted",
	"key-dsa2048":     "nottrusted",
	"key-dsa1024":     "nottrusted",
	"key-rsa1024":     "nottrusted",
	"key-sha1selfsig": "nottrusted",
}

// TestFIPSWithFIPSPolicy runs the fixture packages through the openssl
// backend in FIPS mode under Fedora's FIPS policy and checks each verdict
// against fipsPolicyVerdicts, and that gocrypto under the same policy
// agrees: the policy decides, the FIPS provider refuses nothing more.
func TestFIPSWithFIPSPolicy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the fixtures")
	}
	polPath := filepath.Join(testutil.PoliciesDir(t), "FIPS.rpm-sequoia.config")
	pol, err := os.ReadFile(polPath)
	if err != nil {
		t.Fatal(err)
	}
	opts := core.Options{Policy: pol, PolicySource: polPath, FIPS: core.FIPSRequire}
	fb := fipsBackend(t)
	if err := fb.Init(opts); err != nil {
		t.Fatal(err)
	}
	gb := gocrypto.New()
	opts.FIPS = core.FIPSAuto
	if err := gb.Init(opts); err != nil {
		t.Fatal(err)
	}
	fv, err := conformance.NewBackendVerifier(conformance.FIPSColumn, fb)
	if err != nil {
		t.Fatal(err)
	}
	gv, err := conformance.NewBackendVerifier("gocrypto", gb)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := conformance.Run(context.Background(), conformance.Config{
		Fixtures: filepath.Join(testutil.Fixtures(), "fixtures.tsv"), Cases: "fixtures:*",
		Backends: []string{}, External: []string{}, Verifiers: []conformance.Verifier{gv, fv}, Jobs: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, cr := range rep.Cases {
		want, ok := fipsPolicyVerdicts[cr.Case.ID]
		if !ok {
			continue
		}
		seen[cr.Case.ID] = true
		var got, gotGo string
		for _, c := range cr.Cells {
			s := sigSummary(c.Outcome)
			if c.Verifier == conformance.FIPSColumn {
				got = s
			} else {
				gotGo = s
			}
		}
		if got != want {
			t.Errorf("%s: FIPS + FIPS policy gives %s, want %s", cr.Case.ID, got, want)
		}
		if gotGo != got {
			t.Errorf("%s: gocrypto under the FIPS policy gives %s, openssl-fips %s", cr.Case.ID, gotGo, got)
		}
	}
	for id := range fipsPolicyVerdicts {
		if !seen[id] {
			t.Errorf("fixture %s did not run", id)
		}
	}
}

// sigSummary is "item=RC,...;pass|fail" over the signature items that were
// found (HeaderSig@*, LegacySig@*), in name order.
func sigSummary(o conformance.Outcome) string {
	if o.Items == nil {
		return o.Verdict
	}
	var items []string
	for name, rc := range o.Items {
		if (strings.HasPrefix(name, "HeaderSig@") || strings.HasPrefix(name, "LegacySig@")) && rc != "NOTFOUND" {
			items = append(items, name+"="+rc)
		}
	}
	sort.Strings(items)
	return strings.Join(items, ",") + ";" + o.Verdict
}

// TestFIPSWithFIPSPolicyCorpora runs both shared corpora under Fedora's
// FIPS policy through the openssl backend in FIPS mode and through
// gocrypto: the policy decides, so the two agree except where a reviewed
// entry (testdata/fips-differences.tsv, or the divergence registry's
// entries for openssl-fips: algorithms OpenSSL 3.0 lacks) says why, and
// FIPS mode never makes openssl-fips accept what gocrypto rejects.
func TestFIPSWithFIPSPolicyCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the corpora")
	}
	polPath := filepath.Join(testutil.PoliciesDir(t), "FIPS.rpm-sequoia.config")
	pol, err := os.ReadFile(polPath)
	if err != nil {
		t.Fatal(err)
	}
	fb := fipsBackend(t)
	if err := fb.Init(core.Options{Policy: pol, PolicySource: polPath, FIPS: core.FIPSRequire}); err != nil {
		t.Fatal(err)
	}
	gb := gocrypto.New()
	if err := gb.Init(core.Options{Policy: pol, PolicySource: polPath}); err != nil {
		t.Fatal(err)
	}
	fv, err := conformance.NewBackendVerifier(conformance.FIPSColumn, fb)
	if err != nil {
		t.Fatal(err)
	}
	gv, err := conformance.NewBackendVerifier("gocrypto", gb)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := conformance.Run(context.Background(), conformance.Config{
		Corpus: testutil.Corpus(t), Backends: []string{}, External: []string{},
		Verifiers: []conformance.Verifier{gv, fv}, Jobs: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	fipsDiffs, err := conformance.LoadRegistry(filepath.Join("testdata", "fips-differences.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	reg := conformance.DefaultRegistry()
	ran, accepted, differ := 0, 0, 0
	for _, cr := range rep.Cases {
		var g, f conformance.Outcome
		for _, c := range cr.Cells {
			if c.Verifier == conformance.FIPSColumn {
				f = c.Outcome
			} else {
				g = c.Outcome
			}
		}
		if f.Verdict == conformance.VerdictNA {
			continue
		}
		ran++
		if f.Accepts() {
			accepted++
		}
		key := cr.Case.Source + ":" + cr.Case.ID
		if f.Verdict == conformance.VerdictError {
			t.Errorf("%s: openssl-fips error: %s", key, f.Detail)
		}
		if sameOutcome(f, g) {
			continue
		}
		differ++
		shared := reg.Match(key, conformance.FIPSColumn) // an openssl (3.0) difference, not a FIPS one
		if fipsDiffs.Match(key, conformance.FIPSColumn) == nil && shared == nil {
			t.Errorf("%s: under the FIPS policy openssl-fips says %s, gocrypto %s, and no entry explains it (%s)", key, f.Verdict, g.Verdict, f.Detail)
		}
		if shared == nil && f.Accepts() && !g.Accepts() {
			t.Errorf("%s: openssl-fips accepts (%s) what gocrypto rejects (%s) under the FIPS policy", key, f.Verdict, g.Verdict)
		}
	}
	// 186 ran on 2026-12-06: a corpus that lost rows must not pass.
	if ran < 180 {
		t.Errorf("only %d corpus cases ran, want at least 180", ran)
	}
	t.Logf("FIPS provider + FIPS policy: %d corpus cases, %d accepted, %d differ from gocrypto (all registered)", ran, accepted, differ)
}
