package strict

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestDescribe pins Describe: the algorithm lists come from core's table,
// filtered by what the primitives offer.
func TestDescribe(t *testing.T) {
	d, err := New(Config{Name: "test", Version: "1", Primitives: testPrims{}}).Describe()
	want := core.Description{
		Name: "test", Version: "1", Profile: core.ProfileStrict, Library: "testprims",
		PubKeyAlgos: []string{"RSA", "EdDSA", "Ed25519"},
		HashAlgos:   []string{"MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA3-256", "SHA3-512"},
	}
	if err != nil || !reflect.DeepEqual(d, want) {
		t.Errorf("Describe = %+v, %v\nwant %+v", d, err, want)
	}
	d, err = New(Config{Name: "none", Library: "lib"}).Describe()
	if want := (core.Description{Name: "none", Profile: core.ProfileStrict, Library: "lib"}); err != nil || !reflect.DeepEqual(d, want) {
		t.Errorf("Describe without primitives = %+v, %v", d, err)
	}
}

// TestInit pins Init's refusals: no primitives, a policy that does not
// parse (the previous settings stay).
func TestInit(t *testing.T) {
	if err := New(Config{Name: "test"}).Init(core.Options{}); err == nil || err.Error() != "strict: no primitives configured" {
		t.Errorf("Init without primitives: %v", err)
	}
	b := newTestBackend(t, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	err := b.Init(core.Options{Policy: []byte("[hash_algorithms]\nsha1 = 42\n"), PolicySource: "p.toml"})
	if want := `test: reading crypto policy: p.toml: hash_algorithms.sha1: expected "always", "never" or a date, got 42`; err == nil || err.Error() != want {
		t.Errorf("Init with a bad policy: %v\nwant %s", err, want)
	}
	if _, now := b.settings(); !now.Equal(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a failed Init changed the reference time to %v", now)
	}
}

// TestNewDigest pins rpmDigestInit: the required digests, and the error
// for others.
func TestNewDigest(t *testing.T) {
	b := New(Config{Name: "test", Primitives: testPrims{}})
	for _, h := range core.RequiredDigests {
		d, err := b.NewDigest(h)
		if err != nil || d.Algo() != h {
			t.Fatalf("NewDigest(%v): %v", h, err)
		}
		d.Write([]byte("abc"))
		dup, err := d.Dup()
		if err != nil {
			t.Fatal(err)
		}
		a, err1 := d.Final()
		c, err2 := dup.Final()
		if err1 != nil || err2 != nil || len(a) != h.Size() || string(a) != string(c) {
			t.Errorf("%v: Final %x %v, Dup's %x %v", h, a, err1, c, err2)
		}
	}
	_, err := b.NewDigest(core.HashRIPEMD160)
	if want := "rpmpgp: unsupported digest algorithm: RIPEMD160: testprims: hash RIPEMD160: algorithm not supported by the crypto primitives"; err == nil || err.Error() != want || !errors.Is(err, core.ErrUnsupportedDigest) {
		t.Errorf("NewDigest(RIPEMD160) = %v\nwant %s", err, want)
	}
}

// TestPolicyDecisions checks that a crypto policy given to Init decides
// what is legacy (the cutoffs of policyconf, applied by validity.go).
func TestPolicyDecisions(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	data := []byte("payload")
	pk := ed25519Key(t, 4, at)
	c := makeCert(t, pk, certSpec{flags: 0x03})
	sha1 := sign(t, pk, sigSpec{when: now.Add(-time.Hour), hash: core.HashSHA1}, data)
	sha256 := sign(t, pk, sigSpec{when: now.Add(-time.Hour)}, data)
	const sig = "Signature {P} created at Sat May 31 23:00:00 2025 invalid: signature relies on legacy cryptography\n      because: "
	certSig := func(at, n, what string) string {
		return "\n  " + n + "Certificate {PK} invalid: policy violation\n      because: No binding signature at time " + at +
			"\n      because: " + what + " is not considered secure"
	}
	asym := func(n string) string {
		return "\n  " + n + "Certificate {PK} invalid: policy violation\n      because: Policy rejected asymmetric algorithm\n      because: Ed25519 is not considered secure"
	}
	tests := []struct {
		name   string
		policy string
		sig    []byte
		rc     core.RC
		lint   string
	}{
		{"default, SHA-256", "", sha256, core.RCOK, ""},
		{"default, SHA-1", "", sha1, core.RCNotTrusted, "{H}\n  " + sig + "SHA1 is not considered secure since 2013-02-01T00:00:00Z"},
		{"SHA-1 allowed", "[hash_algorithms]\nsha1 = \"always\"\n", sha1, core.RCOK, ""},
		{"SHA-256 refused", "[hash_algorithms]\nsha256 = \"never\"\n", sha256, core.RCNotTrusted,
			"{H}\n  1. " + sig + "SHA256 is not considered secure" + certSig("2025-05-31T23:00:00Z", "2. ", "SHA256") + certSig("2025-06-01T00:00:00Z", "3. ", "SHA256")},
		{"Ed25519 refused", "[asymmetric_algorithms]\ned25519 = \"never\"\n", sha256, core.RCNotTrusted,
			"{H}" + asym("1. ") + asym("2. ")},
		{"v4 signatures refused", "[packets]\nsignature.v4 = \"never\"\n", sha256, core.RCNotTrusted,
			"{H}\n  1. " + sig + "Signature Packet v4 is not considered secure" +
				certSig("2025-05-31T23:00:00Z", "2. ", "Signature Packet v4") + certSig("2025-06-01T00:00:00Z", "3. ", "Signature Packet v4")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := New(Config{Name: "test", Primitives: testPrims{}})
			opts := core.Options{Time: now}
			if tc.policy != "" {
				opts.Policy = []byte(tc.policy)
			}
			if err := b.Init(opts); err != nil {
				t.Fatal(err)
			}
			v := verifyData(t, b, c, false, tc.sig, data)
			want := strings.NewReplacer("{H}", "Verifying a signature using certificate "+hexID(pk.fpr())+" (Test <test@example.org>):",
				"{P}", fmt.Sprintf("%x", prefixOf(t, b, tc.sig)), "{PK}", hexID(pk.keyID())).Replace(tc.lint)
			if v.RC != tc.rc || v.Lint != want {
				t.Errorf("got %v %q\nwant %v %q", v.RC, v.Lint, tc.rc, want)
			}
		})
	}
}
