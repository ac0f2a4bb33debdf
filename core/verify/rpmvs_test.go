package verify

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rpmpgp/rpmpgp/internal/rpmgen"

	"github.com/rpmpgp/rpmpgp/core"
)

// Keys of the fake keyring: key1 (RSA) and key2 (EdDSA) are in it; the
// signer 0x99 is not.
var (
	key1    = fakeKey(0x11, core.PubKeyRSA)
	key2    = fakeKey(0x22, core.PubKeyEdDSA)
	id1     = key1.Primary.KeyID
	id2     = key2.Primary.KeyID
	idNoKey = core.KeyID{0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99}
	fpr1    = strings.Repeat("11", 20)
	fpr2    = strings.Repeat("22", 20)
)

// pkgSpec builds a package from the unsigned fixture: its signature header
// entries are replaced by sigs (fake signatures made by the function from
// the package's header and header+payload) plus extra.
type pkgSpec func(t testing.TB, p *rpmgen.Package) []rpmgen.Entry

// headerSig is a v4 signature in the RSA header slot (268) by id over the
// main header.
func headerSig(id core.KeyID, algo core.PubKeyAlgo, h core.HashAlgo) pkgSpec {
	return func(t testing.TB, p *rpmgen.Package) []rpmgen.Entry {
		return []rpmgen.Entry{rpmgen.Bin(rpmgen.SigTagRSA, signFake(t, fakeSig{version: 4, algo: algo, hash: h, keyID: id}, p.Header))}
	}
}

// v6Sigs is the rpm 6 OPENPGP slot (278) with one salted v6 signature per
// id over the main header.
func v6Sigs(ids ...core.KeyID) pkgSpec {
	return func(t testing.TB, p *rpmgen.Package) []rpmgen.Entry {
		var pkts [][]byte
		for i, id := range ids {
			pkts = append(pkts, signFake(t, fakeSig{version: 6, algo: core.PubKeyEdDSA, hash: core.HashSHA512, keyID: id,
				salt: bytes.Repeat([]byte{byte(i + 1)}, 16)}, p.Header))
		}
		return []rpmgen.Entry{rpmgen.OpenPGPEntry(pkts...)}
	}
}

// legacySig is a v4 RSA signature in the header+payload slot (1002).
func legacySig(id core.KeyID) pkgSpec {
	return func(t testing.TB, p *rpmgen.Package) []rpmgen.Entry {
		return []rpmgen.Entry{rpmgen.Bin(rpmgen.SigTagPGP, signFake(t, fakeSig{version: 4, algo: core.PubKeyRSA, hash: core.HashSHA256, keyID: id}, p.HeaderAndPayload()))}
	}
}

// entries adds fixed signature-header entries.
func entries(es ...rpmgen.Entry) pkgSpec {
	return func(testing.TB, *rpmgen.Package) []rpmgen.Entry { return es }
}

// tampered signs other data than the header.
func tampered(id core.KeyID) pkgSpec {
	return func(t testing.TB, p *rpmgen.Package) []rpmgen.Entry {
		return []rpmgen.Entry{rpmgen.Bin(rpmgen.SigTagRSA, signFake(t, fakeSig{version: 4, algo: core.PubKeyRSA, hash: core.HashSHA256, keyID: id}, []byte("not the header")))}
	}
}

// buildPackage returns the fixture re-signed with specs.
func buildPackage(t testing.TB, specs ...pkgSpec) []byte {
	t.Helper()
	p := basePackage(t)
	var es []rpmgen.Entry
	for _, s := range specs {
		es = append(es, s(t, p)...)
	}
	raw, err := p.Resign(es...)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// render is what `rpmpgp checksig -v` prints for a result in the
// profile's output, plus the non-verbose summary and the lints.
func render(r *core.Result, profile core.Profile) []string {
	var out []string
	for _, it := range r.Shown() {
		out = append(out, it.Line(profile))
	}
	out = append(out, "summary:"+r.Summary())
	for _, l := range r.Lints {
		out = append(out, "lint: "+l.Text)
	}
	return out
}

// The unsigned fixture's item lines (rpm 6 and rpm 4.18 output).
const (
	sha256OK6   = "Header SHA256 digest: OK"
	sha1OK6     = "Header SHA1 digest: OK"
	payloadOK6  = "Payload SHA256 digest: OK"
	md5OK6      = "Legacy MD5 digest: OK"
	sha256OK4   = "Header SHA256 digest: OK"
	sha1OK4     = "Header SHA1 digest: OK"
	payloadOK4  = "Payload SHA256 digest: OK"
	md5OK4      = "MD5 digest: OK"
	noHeaderDSA = "Header OpenPGP DSA signature: NOTFOUND"
	noHeaderRSA = "Header OpenPGP RSA signature: NOTFOUND"
	noOpenPGP   = "Header OpenPGP signature: NOTFOUND"
	noLegacyDSA = "Legacy OpenPGP DSA signature: NOTFOUND"
	noLegacyRSA = "Legacy OpenPGP RSA signature: NOTFOUND"
)

// TestFlow runs the rpmvs flow (rpm 6's lib/rpmvs.cc and rpm 4.18's
// lib/rpmvs.c) over the project's unsigned fixture re-signed with fake
// signatures, and checks every printed line, the verdict and the lints.
func TestFlow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		pkg      []pkgSpec
		cfg      core.VerifyConfig
		verdicts map[core.KeyID]core.Verdict
		noHash   []core.HashAlgo
		failed   bool
		want     []string
	}{
		{
			// The zero value is the strictest configuration: level all,
			// every item on. With no signature it fails.
			name: "zero config: unsigned fails", cfg: core.VerifyConfig{}, failed: true,
			want: []string{noHeaderDSA, noHeaderRSA, noOpenPGP, sha256OK6, sha1OK6, payloadOK6, noLegacyDSA, noLegacyRSA, md5OK6,
				"summary: digests SIGNATURES NOT OK"},
		},
		{
			name: "rpm 6 defaults: unsigned fails", cfg: core.StrictDefaults(), failed: true,
			want: []string{noHeaderDSA, noHeaderRSA, noOpenPGP, sha256OK6, payloadOK6, noLegacyDSA, noLegacyRSA,
				"summary: digests SIGNATURES NOT OK"},
		},
		{
			name: "level none: unsigned passes", cfg: core.VerifyConfig{Level: core.LevelNone},
			want: []string{sha256OK6, sha1OK6, payloadOK6, md5OK6, "summary: digests OK"},
		},
		{
			name: "level digest: unsigned passes", cfg: core.VerifyConfig{Level: core.LevelDigest, Flags: core.VSFNoSHA1Header | core.VSFNoMD5},
			want: []string{sha256OK6, payloadOK6, "summary: digests OK"},
		},
		{
			name: "level signature: unsigned fails", cfg: core.VerifyConfig{Level: core.LevelSignature}, failed: true,
			want: []string{noHeaderDSA, noHeaderRSA, noOpenPGP, sha256OK6, sha1OK6, payloadOK6, noLegacyDSA, noLegacyRSA, md5OK6,
				"summary: digests SIGNATURES NOT OK"},
		},
		{
			// The payload digest in the signed main header makes the
			// header signature cover the payload.
			name: "header signature by a known key", pkg: []pkgSpec{headerSig(id1, core.PubKeyRSA, core.HashSHA256)}, cfg: core.VerifyConfig{},
			want: []string{"Header OpenPGP V4 RSA/SHA256 signature, key fingerprint: " + fpr1 + ": OK", sha256OK6, sha1OK6, payloadOK6, md5OK6,
				"summary: digests signatures OK"},
		},
		{
			name: "header signature by an unknown key", pkg: []pkgSpec{headerSig(idNoKey, core.PubKeyRSA, core.HashSHA256)}, cfg: core.StrictDefaults(), failed: true,
			want: []string{noHeaderDSA, "Header OpenPGP V4 RSA/SHA256 signature, key ID 9999999999999999: NOKEY", noOpenPGP, sha256OK6, payloadOK6,
				noLegacyDSA, noLegacyRSA, "summary: digests SIGNATURES NOT OK"},
		},
		{
			// rpm 4.18 at level digest: a missing key is printed and fails.
			name: "rpm 4.18: header signature by an unknown key", pkg: []pkgSpec{headerSig(idNoKey, core.PubKeyRSA, core.HashSHA256)}, cfg: core.LegacyDefaults(), failed: true,
			want: []string{"Header V4 RSA/SHA256 Signature, key ID 99999999: NOKEY", sha256OK4, sha1OK4, payloadOK4, md5OK4,
				"summary: digests SIGNATURES NOT OK"},
		},
		{
			name: "rpm 4.18: header signature by a known key", pkg: []pkgSpec{headerSig(id1, core.PubKeyRSA, core.HashSHA256)}, cfg: core.LegacyDefaults(),
			want: []string{"Header V4 RSA/SHA256 Signature, key ID 11111111: OK", sha256OK4, sha1OK4, payloadOK4, md5OK4,
				"summary: digests signatures OK"},
		},
		{
			name: "rpm 4.18 at level all: unsigned fails", cfg: core.VerifyConfig{Profile: core.ProfileLegacy}, failed: true,
			want: []string{"Header RSA signature: NOTFOUND", "Header DSA signature: NOTFOUND", sha256OK4, sha1OK4, payloadOK4,
				"RSA signature: NOTFOUND", "DSA signature: NOTFOUND", md5OK4, "summary: digests SIGNATURES NOT OK"},
		},
		{
			name: "tampered header signature is BAD", pkg: []pkgSpec{tampered(id1)}, cfg: core.StrictDefaults(), failed: true,
			want: []string{noHeaderDSA, "Header OpenPGP V4 RSA/SHA256 signature, key fingerprint: " + fpr1 + ": BAD", noOpenPGP, sha256OK6, payloadOK6,
				noLegacyDSA, noLegacyRSA, "summary: digests SIGNATURES NOT OK", "lint: fake: digest mismatch"},
		},
		{
			// NOTTRUSTED is no failure by itself in rpm 6, but it does not
			// cover the package: level all fails, level digest passes.
			name: "not trusted at level all", pkg: []pkgSpec{headerSig(id1, core.PubKeyRSA, core.HashSHA256)}, cfg: core.StrictDefaults(), failed: true,
			verdicts: map[core.KeyID]core.Verdict{id1: {RC: core.RCNotTrusted, Lint: "fake: weak key"}},
			want: []string{noHeaderDSA, "Header OpenPGP V4 RSA/SHA256 signature, key fingerprint: " + fpr1 + ": NOTTRUSTED", noOpenPGP, sha256OK6, payloadOK6,
				noLegacyDSA, noLegacyRSA, "summary: digests SIGNATURES NOT OK", "lint: fake: weak key"},
		},
		{
			name: "not trusted at level digest", pkg: []pkgSpec{headerSig(id1, core.PubKeyRSA, core.HashSHA256)}, cfg: core.VerifyConfig{Level: core.LevelDigest, Flags: core.VSFNoSHA1Header | core.VSFNoMD5},
			verdicts: map[core.KeyID]core.Verdict{id1: {RC: core.RCNotTrusted, Lint: "fake: weak key"}},
			want: []string{"Header OpenPGP V4 RSA/SHA256 signature, key fingerprint: " + fpr1 + ": NOTTRUSTED", sha256OK6, payloadOK6,
				"summary: digests SIGNATURES OK", "lint: fake: weak key"},
		},
		{
			// The signature's algorithm must match the key's: an RSA key
			// ID on an EdDSA signature finds no key (sanity check only).
			name: "key with another algorithm", pkg: []pkgSpec{headerSig(id1, core.PubKeyEdDSA, core.HashSHA256)}, cfg: core.VerifyConfig{Level: core.LevelDigest}, failed: true,
			want: []string{"Header OpenPGP V4 EdDSA/SHA256 signature, key ID 1111111111111111: NOKEY", sha256OK6, sha1OK6, payloadOK6, md5OK6,
				"summary: digests SIGNATURES NOT OK"},
		},
		{
			// v6 signatures (salted) turn the v3/v4 slots off; elements
			// sort last first; in rpm 6 any NOKEY fails the package.
			name: "two v6 signatures, one key missing", pkg: []pkgSpec{v6Sigs(id2, idNoKey), headerSig(idNoKey, core.PubKeyRSA, core.HashSHA256)}, cfg: core.StrictDefaults(),
			want: []string{
				"Header OpenPGP V6 EdDSA/SHA512 signature, key ID 9999999999999999: NOKEY",
				"Header OpenPGP V6 EdDSA/SHA512 signature, key fingerprint: " + fpr2 + ": OK",
				sha256OK6, payloadOK6, "summary: digests SIGNATURES NOT OK"},
			failed: true,
		},
		{
			name: "v6 signature", pkg: []pkgSpec{v6Sigs(id2)}, cfg: core.VerifyConfig{},
			want: []string{"Header OpenPGP V6 EdDSA/SHA512 signature, key fingerprint: " + fpr2 + ": OK", sha256OK6, sha1OK6, payloadOK6, md5OK6,
				"summary: digests signatures OK"},
		},
		{
			name: "legacy header+payload signature", pkg: []pkgSpec{legacySig(id1)}, cfg: core.StrictDefaults(),
			want: []string{sha256OK6, payloadOK6, "Legacy OpenPGP V4 RSA/SHA256 signature, key fingerprint: " + fpr1 + ": OK", "summary: digests signatures OK"},
		},
		{
			name: "unparsable signature", pkg: []pkgSpec{entries(rpmgen.Bin(rpmgen.SigTagRSA, []byte("garbage")))}, cfg: core.StrictDefaults(), failed: true,
			want: []string{noHeaderDSA, "Header OpenPGP RSA signature: BAD (package tag 268: invalid OpenPGP signature: fake: not a signature)", noOpenPGP,
				sha256OK6, payloadOK6, noLegacyDSA, noLegacyRSA, "summary: digests SIGNATURES NOT OK"},
		},
		{
			name: "rpm 4.18: unparsable signature", pkg: []pkgSpec{entries(rpmgen.Bin(rpmgen.SigTagRSA, []byte("garbage")))}, cfg: core.LegacyDefaults(), failed: true,
			want: []string{"Header RSA signature: BAD (package tag 268: invalid OpenPGP signature)", sha256OK4, sha1OK4, payloadOK4, md5OK4,
				"summary: digests SIGNATURES NOT OK"},
		},
		{
			name: "signature tag of the wrong type", pkg: []pkgSpec{entries(rpmgen.String(rpmgen.SigTagRSA, "text"))}, cfg: core.VerifyConfig{Level: core.LevelDigest}, failed: true,
			want: []string{"Header OpenPGP RSA signature: BAD (package tag 268: invalid type 6)", sha256OK6, sha1OK6, payloadOK6, md5OK6,
				"summary: digests SIGNATURES NOT OK"},
		},
		{
			name: "bad header digest", pkg: []pkgSpec{headerSig(id1, core.PubKeyRSA, core.HashSHA256), entries(rpmgen.String(rpmgen.SigTagSHA256, strings.Repeat("ab", 32)))},
			cfg: core.StrictDefaults(), failed: true,
			want: []string{"Header OpenPGP V4 RSA/SHA256 signature, key fingerprint: " + fpr1 + ": OK", "Header SHA3-256 digest: NOTFOUND",
				"Header SHA256 digest: BAD (Expected " + strings.Repeat("ab", 32) + " != " + sha256Hex(t) + ")", payloadOK6,
				"summary: DIGESTS signatures NOT OK"},
		},
		{
			name: "text signature does not sign a package", pkg: []pkgSpec{func(t testing.TB, p *rpmgen.Package) []rpmgen.Entry {
				return []rpmgen.Entry{rpmgen.Bin(rpmgen.SigTagRSA, signFake(t, fakeSig{version: 4, algo: core.PubKeyRSA, hash: core.HashSHA256, keyID: id1, sigType: 1}, p.Header))}
			}}, cfg: core.VerifyConfig{Level: core.LevelDigest}, failed: true,
			want: []string{"Header OpenPGP V4 RSA/SHA256 signature, key ID 1111111111111111: BAD", sha256OK6, sha1OK6, payloadOK6, md5OK6,
				"summary: digests SIGNATURES NOT OK"},
		},
		{
			// A hash the backend lacks is handled like a disabled digest;
			// with no digest verified, every digest slot is required and
			// printed.
			name: "unsupported digest", pkg: []pkgSpec{headerSig(id1, core.PubKeyRSA, core.HashSHA512)}, cfg: core.StrictDefaults(), noHash: []core.HashAlgo{core.HashSHA256}, failed: true,
			want: []string{"Header OpenPGP V4 RSA/SHA512 signature, key fingerprint: " + fpr1 + ": OK", "Header SHA3-256 digest: NOTFOUND",
				"Header SHA256 digest: NOTFOUND", "Payload SHA3-256 digest: NOTFOUND", "Payload SHA3-256 ALT digest: NOTFOUND",
				"Payload SHA512 digest: NOTFOUND", "Payload SHA512 ALT digest: NOTFOUND", "Payload SHA256 ALT digest: NOTFOUND",
				"Payload SHA256 digest: NOTFOUND", noLegacyDSA, noLegacyRSA, "summary: DIGESTS SIGNATURES NOT OK"},
		},
		{
			name: "--nodigest --nosignature", pkg: []pkgSpec{headerSig(id1, core.PubKeyRSA, core.HashSHA256)},
			cfg:  core.VerifyConfig{Level: core.LevelNone, Flags: core.VSFNoDigests | core.VSFNoSignatures},
			want: []string{"summary: OK"},
		},
		{
			name: "--nodigest", pkg: []pkgSpec{headerSig(id1, core.PubKeyRSA, core.HashSHA256)},
			cfg: core.VerifyConfig{Level: core.LevelSignature, Flags: core.VSFNoDigests}, failed: true,
			want: []string{"Header OpenPGP V4 RSA/SHA256 signature, key fingerprint: " + fpr1 + ": OK", noLegacyDSA, noLegacyRSA,
				"summary: SIGNATURES NOT OK"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := &fakeBackend{verdicts: tc.verdicts, noHash: map[core.HashAlgo]bool{}}
			for _, h := range tc.noHash {
				b.noHash[h] = true
			}
			kr := core.NewKeyringFrom(b, []core.KeyringCert{key1, key2})
			v, err := NewVerifier(b, kr, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			res, err := v.Verify(bytes.NewReader(buildPackage(t, tc.pkg...)), "test.rpm")
			if err != nil {
				t.Fatalf("no verdict: %v", err)
			}
			if res.Failed != tc.failed || res.ReadFailed || res.OpenFailed {
				t.Errorf("failed=%v read=%v open=%v, want failed=%v", res.Failed, res.ReadFailed, res.OpenFailed, tc.failed)
			}
			if diff := cmp.Diff(tc.want, render(res, tc.cfg.Profile)); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}

// sha256Hex is the SHA-256 of the fixture's main header.
func sha256Hex(t testing.TB) string {
	e := rpmgen.SHA256Entry(basePackage(t).Header)
	return strings.TrimSuffix(string(e.Data), "\x00")
}

// TestIsHex: isHex accepts exactly the hex digits of either case, as
// rpm's rpmsinfoInit check (and the strings.ContainsRune test it
// replaces) does, for every byte value.
func TestIsHex(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := strings.ContainsRune("0123456789abcdefABCDEF", rune(c))
		if got := isHex([]byte{'0', byte(c)}); got != want {
			t.Errorf("isHex(%q) = %v, want %v", []byte{'0', byte(c)}, got, want)
		}
	}
	if !isHex(nil) {
		t.Error("isHex(nil) = false, want true (the length is checked apart)")
	}
}
