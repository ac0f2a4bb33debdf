package gocrypto

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/rpm"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
	"github.com/rpmpgp/rpmpgp/policyconf"
)

// This test checks the issue "Fedora DEFAULT vs FUTURE vs LEGACY vs FIPS
// change the verdicts of SHA-1, DSA-1024, RSA-1024 and Ed25519 signatures
// as the table in policy-format.md 4 predicts". It verifies the real
// header signatures of the project's fixture packages (testdata/rpms,
// keys in testdata/keys) under each Fedora crypto-policy file for
// rpm-sequoia (../shared/policies/*.rpm-sequoia.config, loaded through
// policyconf) at a fixed reference time, and pins three verdicts per
// policy:
//
//   - the signature verified with its certificate (pgpVerifySignature2 with
//     the key rpm would pass): OK, or NOTTRUSTED when the policy rejects
//     the signature's hash or the key's algorithm (rpm-sequoia: legacy
//     cryptography valid under the NullPolicy), with the policy's reason in
//     the lint;
//   - the signature verified without a key: NOKEY, or NOTTRUSTED when the
//     signature itself (its hash) is rejected (rpm-sequoia >= 1.10.1);
//   - pgpPubKeyLint of the certificate (the rpmkeys --import gate): OK, or
//     NOTTRUSTED when the policy rejects the key or its self-signatures.
//
// The relevant rows of the table (A = always, N = never):
//
//	          DEFAULT LEGACY FUTURE FIPS
//	sha1         A      A      N     N
//	rsa1024      N      A      N     N
//	rsa2048      A      A      N     A
//	dsa1024      A      A      N     N
//	eddsa        A      A      A     N
//	ed25519      A      A      A     N
//	sha256/512   A      A      A     A

// policyRefTime is the fixed reference time ("now"); the fixture
// signatures were made in 2024.
var policyRefTime = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// policyFixture is one fixture signature: the package, the signature
// header tag it sits in, and the signer's certificate.
type policyFixture struct {
	name, pkg, key string
	tag            rpm.Tag
}

var policyFixtures = []policyFixture{
	{"RSA-2048/SHA1", "rpms/go-rsa-sha1.rpm", "keys/rsa2048.asc", rpm.SigTagRSA},
	{"DSA-1024/SHA1", "rpms/go-dsa1024-sha1.rpm", "keys/dsa1024.asc", rpm.SigTagDSA},
	{"RSA-1024/SHA256", "rpms/go-rsa1024.rpm", "keys/rsa1024.asc", rpm.SigTagRSA},
	{"EdDSA-Ed25519/SHA256", "rpms/rpmsign-ed25519.rpm", "keys/ed25519.asc", rpm.SigTagDSA},
	{"v6-Ed25519/SHA512", "rpms/go-v6-ed25519.rpm", "keys/v6-ed25519.asc", rpm.SigTagOpenPGP},
}

// policyExpect is what one policy gives for one fixture. Every reason
// must appear in the corresponding lint (no reasons: no lint at all); the
// keyless verdict, when NOTTRUSTED, names the signature's reason (the
// first of keyReasons).
type policyExpect struct {
	withKey    core.RC
	keyReasons []string
	noKey      core.RC
	lintKey    core.RC
	lintReason string
}

// because lists lint reasons.
func because(reasons ...string) []string { return reasons }

const (
	ok = core.RCOK
	nt = core.RCNotTrusted
	nk = core.RCNoKey
)

// Reasons as Sequoia words policy violations ("never" has no date).
const (
	sha1Legacy   = "signature relies on legacy cryptography\n      because: SHA1 is not considered secure"
	certPolicy   = "invalid: policy violation\n      because: Policy rejected asymmetric algorithm\n      because: "
	rsa2048Weak  = "RSA2048 is not considered secure"
	rsa1024Weak  = "RSA1024 is not considered secure"
	dsa1024Weak  = "DSA1024 is not considered secure"
	eddsaWeak    = "EdDSA is not considered secure"
	ed25519Weak  = "Ed25519 is not considered secure"
	policiesList = "DEFAULT LEGACY FUTURE FIPS"
)

var policyExpectations = map[string]map[string]policyExpect{
	"RSA-2048/SHA1": {
		"DEFAULT": {ok, nil, nk, ok, ""},
		"LEGACY":  {ok, nil, nk, ok, ""},
		// The signature's SHA-1 and the key's RSA-2048 are both rejected.
		"FUTURE": {nt, because(sha1Legacy, certPolicy+rsa2048Weak), nt, nt, rsa2048Weak},
		"FIPS":   {nt, because(sha1Legacy), nt, ok, ""},
	},
	"DSA-1024/SHA1": {
		"DEFAULT": {ok, nil, nk, ok, ""},
		"LEGACY":  {ok, nil, nk, ok, ""},
		"FUTURE":  {nt, because(sha1Legacy, certPolicy+dsa1024Weak), nt, nt, dsa1024Weak},
		"FIPS":    {nt, because(sha1Legacy, certPolicy+dsa1024Weak), nt, nt, dsa1024Weak},
	},
	"RSA-1024/SHA256": {
		"DEFAULT": {nt, because(certPolicy + rsa1024Weak), nk, nt, rsa1024Weak},
		"LEGACY":  {ok, nil, nk, ok, ""},
		"FUTURE":  {nt, because(certPolicy + rsa1024Weak), nk, nt, rsa1024Weak},
		"FIPS":    {nt, because(certPolicy + rsa1024Weak), nk, nt, rsa1024Weak},
	},
	"EdDSA-Ed25519/SHA256": {
		"DEFAULT": {ok, nil, nk, ok, ""},
		"LEGACY":  {ok, nil, nk, ok, ""},
		"FUTURE":  {ok, nil, nk, ok, ""},
		"FIPS":    {nt, because(certPolicy + eddsaWeak), nk, nt, eddsaWeak},
	},
	"v6-Ed25519/SHA512": {
		"DEFAULT": {ok, nil, nk, ok, ""},
		"LEGACY":  {ok, nil, nk, ok, ""},
		"FUTURE":  {ok, nil, nk, ok, ""},
		"FIPS":    {nt, because(certPolicy + ed25519Weak), nk, nt, ed25519Weak},
	},
}

// policySig is a fixture signature ready to verify: its params and the
// digest state after the signed header (salt first for v6).
type policySig struct {
	pkt  []byte
	cert []byte
	hdr  []byte
}

func loadPolicyFixture(t *testing.T, f policyFixture) policySig {
	t.Helper()
	dir := testutil.Fixtures()
	fh, err := os.Open(filepath.Join(dir, f.pkg))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	p, err := rpm.Read(fh)
	if err != nil {
		t.Fatalf("%s: %v", f.pkg, err)
	}
	e, ok := p.Signature.Get(f.tag)
	if !ok {
		t.Fatalf("%s: no tag %d", f.pkg, f.tag)
	}
	var pkt []byte
	if f.tag == rpm.SigTagOpenPGP {
		arr, err := e.StringArray()
		if err != nil || len(arr) != 1 {
			t.Fatalf("%s: tag 278: %v (%d elements)", f.pkg, err, len(arr))
		}
		if pkt, err = base64.StdEncoding.DecodeString(arr[0]); err != nil {
			t.Fatal(err)
		}
	} else if pkt, err = e.Bin(); err != nil {
		t.Fatal(err)
	}
	armored, err := os.ReadFile(filepath.Join(dir, f.key))
	if err != nil {
		t.Fatal(err)
	}
	certs := loadCerts(New(), armored)
	if len(certs) != 1 {
		t.Fatalf("%s: %d certificates", f.key, len(certs))
	}
	return policySig{pkt: pkt, cert: certs[0], hdr: p.HeaderBlob}
}

// verifyUnder runs pgpVerifySignature2 with the certificate (or none).
func (s policySig) verifyUnder(t *testing.T, b *strict.Backend, withKey bool) core.Verdict {
	t.Helper()
	pr, err := b.ParseSignature(s.pkt)
	if err != nil || !pr.OK() {
		t.Fatalf("ParseSignature: %v %q", err, pr.Lint)
	}
	d, err := b.NewDigest(pr.Params.HashAlgo)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.Write(pr.Params.Salt)
	d.Write(s.hdr)
	var key *core.Params
	if withKey {
		kr, err := b.ParseCertificate(s.cert)
		if err != nil || !kr.OK() {
			t.Fatalf("ParseCertificate: %v %q", err, kr.Lint)
		}
		key = kr.Params
	}
	v, err := b.VerifySignature(key, pr.Params, d)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPolicyVerdicts(t *testing.T) {
	dir := testutil.PoliciesDir(t)
	for _, pol := range strings.Fields(policiesList) {
		path := filepath.Join(dir, pol+".rpm-sequoia.config")
		if _, err := os.Stat(path); err != nil {
			t.Skipf("policy file %s not found: %v", path, err)
		}
	}
	sigs := map[string]policySig{}
	for _, f := range policyFixtures {
		sigs[f.name] = loadPolicyFixture(t, f)
	}
	for _, pol := range strings.Fields(policiesList) {
		path := filepath.Join(dir, pol+".rpm-sequoia.config")
		p, src, data, err := policyconf.Load(path, policyconf.Env{})
		if err != nil || p == nil {
			t.Fatalf("%s: %v", path, err)
		}
		b := New()
		if err := b.Init(core.Options{Policy: data, PolicySource: src.String(), Time: policyRefTime}); err != nil {
			t.Fatalf("%s: %v", pol, err)
		}
		for _, f := range policyFixtures {
			want := policyExpectations[f.name][pol]
			s := sigs[f.name]
			t.Run(pol+"/"+f.name, func(t *testing.T) {
				v := s.verifyUnder(t, b, true)
				checkVerdict(t, "with key", v, want.withKey, want.keyReasons)
				v = s.verifyUnder(t, b, false)
				var noKeyReasons []string
				if want.noKey == nt {
					noKeyReasons = want.keyReasons[:1]
				}
				checkVerdict(t, "without key", v, want.noKey, noKeyReasons)
				lv, err := b.LintKey(s.cert)
				if err != nil {
					t.Fatal(err)
				}
				var lintReasons []string
				if want.lintReason != "" {
					lintReasons = because("Policy rejects ", want.lintReason)
				}
				checkVerdict(t, "pgpPubKeyLint", lv, want.lintKey, lintReasons)
			})
		}
	}
}

// checkVerdict requires rc and a lint naming every reason (no reasons: no
// lint at all).
func checkVerdict(t *testing.T, what string, v core.Verdict, rc core.RC, reasons []string) {
	t.Helper()
	if v.RC != rc {
		t.Errorf("%s: got %v, want %v (lint %q)", what, v.RC, rc, v.Lint)
		return
	}
	if len(reasons) == 0 && v.Lint != "" {
		t.Errorf("%s: %v with unexpected lint %q", what, v.RC, v.Lint)
	}
	for _, r := range reasons {
		if !strings.Contains(v.Lint, r) {
			t.Errorf("%s: %v lint %q does not name the policy reason %q", what, v.RC, v.Lint, r)
		}
	}
}
