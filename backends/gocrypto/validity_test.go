package gocrypto

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// Unit tests for the certificate validity rules of the strict backends:
// soft revocations and re-validation (RFC 9580, Section 5.2.3.31), backsig
// expiration (Sections 5.2.1.9 and 5.2.3.18) and key expiration judged at
// the reference time (Section 5.2.3.13).

// day returns midnight UTC of a 2024 date.
func day(m time.Month, d int) time.Time { return time.Date(2024, m, d, 0, 0, 0, 0, time.UTC) }

// revokedCert builds the timeline of the interoperability suite's
// revoked-key tests (sqv/tests/revoked_key.rs): key and User ID binding on
// 2024-01-01, a key revocation with reason on 2024-03-01 and a direct-key
// signature re-validating the key on 2024-05-01. With a subkey, the
// subkey (bound on 2024-01-01, with a backsig) signs and the primary only
// certifies.
func revokedCert(t *testing.T, pk, sk *testKey, reason byte) []byte {
	t.Helper()
	flags := []byte{0x03}
	if sk != nil {
		flags = []byte{0x01}
	}
	const uid = "Test <test@example.org>"
	out := pkt(6, pk.body)
	out = append(out, sign(t, pk, sigSpec{sigType: 0x20, created: day(3, 1), hashed: sub(29, []byte{reason})}, pk.hashed())...)
	out = append(out, sign(t, pk, sigSpec{sigType: 0x1f, created: day(5, 1), hashed: sub(27, flags)}, pk.hashed())...)
	out = append(out, pkt(13, []byte(uid))...)
	out = append(out, sign(t, pk, sigSpec{sigType: 0x13, created: day(1, 1), hashed: sub(27, flags)}, pk.hashed(), uidHashed(uid))...)
	if sk != nil {
		out = append(out, pkt(14, sk.body)...)
		back := sign(t, sk, sigSpec{sigType: 0x19, created: day(1, 1)}, pk.hashed(), sk.hashed())
		h := append(sub(27, []byte{0x02}), sub(32, pktBody(back))...)
		out = append(out, sign(t, pk, sigSpec{sigType: 0x18, created: day(1, 1), hashed: h}, pk.hashed(), sk.hashed())...)
	}
	return out
}

// TestSoftRevocationRevalidated: a soft revocation ("key is superseded")
// does not affect signatures made before it, revokes the key until a newer
// self-signature, and is overridden by that newer self-signature, here a
// direct-key signature newer than the User ID binding (rpm-sequoia
// semantics, Sequoia Cert::revocation_status). A hard revocation ("key
// material has been compromised") is final whatever follows.
func TestSoftRevocationRevalidated(t *testing.T) {
	b := newBackend(t)
	pk := newEd25519Key(t, 4, day(1, 1))
	sk := newEd25519Key(t, 4, day(1, 1))
	id := fmt.Sprintf("%X", pk.keyID())
	revoked := header(pk) + "\n  1. Certificate " + id + " invalid: certificate is revoked\n  2. Key " + id + " is invalid: key is revoked"
	revokedViaSubkey := header(pk) + "\n  Certificate " + id + " invalid: certificate is revoked"
	const superseded, compromised = 1, 2
	tests := []struct {
		name   string
		signer *testKey // nil: the primary key signs
		reason byte
		at     time.Time
		rc     core.RC
		lint   string
	}{
		{"P soft, before revocation", nil, superseded, day(2, 1), core.RCOK, ""},
		{"P soft, revoked", nil, superseded, day(4, 1), core.RCNotTrusted, revoked},
		{"P soft, re-validated", nil, superseded, day(6, 1), core.RCOK, ""},
		{"P hard, re-validated", nil, compromised, day(6, 1), core.RCNotTrusted, revoked},
		{"S soft, before revocation", sk, superseded, day(2, 1), core.RCOK, ""},
		{"S soft, revoked", sk, superseded, day(4, 1), core.RCNotTrusted, revokedViaSubkey},
		{"S soft, re-validated", sk, superseded, day(6, 1), core.RCOK, ""},
		{"S hard, re-validated", sk, compromised, day(6, 1), core.RCNotTrusted, revokedViaSubkey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cert []byte
			signer := pk
			if tc.signer != nil {
				cert, signer = revokedCert(t, pk, sk, tc.reason), sk
			} else {
				cert = revokedCert(t, pk, nil, tc.reason)
			}
			sig := sign(t, signer, sigSpec{sigType: 0, created: tc.at}, message)
			v := verify(t, b, cert, sig, message, tc.signer != nil)
			if v.RC != tc.rc || v.Lint != tc.lint {
				t.Errorf("got %v %q\nwant %v %q", v.RC, v.Lint, tc.rc, tc.lint)
			}
		})
	}
}

// TestUserIDRevocationNotFinal: User ID revocations are never final (Sequoia
// applies hard_revocations_are_final only to keys): a User ID revoked
// without a reason and certified again later is valid again.
func TestUserIDRevocationNotFinal(t *testing.T) {
	b := newBackend(t)
	pk := newEd25519Key(t, 4, day(1, 1))
	const uid = "Test <test@example.org>"
	cert := pkt(6, pk.body)
	cert = append(cert, pkt(13, []byte(uid))...)
	cert = append(cert, sign(t, pk, sigSpec{sigType: 0x13, created: day(1, 1), hashed: sub(27, []byte{0x03})}, pk.hashed(), uidHashed(uid))...)
	cert = append(cert, sign(t, pk, sigSpec{sigType: 0x30, created: day(3, 1)}, pk.hashed(), uidHashed(uid))...)
	cert = append(cert, sign(t, pk, sigSpec{sigType: 0x13, created: day(5, 1), hashed: sub(27, []byte{0x03})}, pk.hashed(), uidHashed(uid))...)
	sig := sign(t, pk, sigSpec{sigType: 0, created: day(6, 1)}, message)
	if v := verify(t, b, cert, sig, message, false); v.RC != core.RCOK || v.Lint != "" {
		t.Errorf("got %v %q, want OK", v.RC, v.Lint)
	}
}

// TestExpiredBacksig: the embedded Primary Key Binding signature has its
// own expiration time (RFC 9580, Sections 5.2.1.9 and 5.2.3.18); once it
// has expired the binding no longer binds a signing subkey, so a signature
// by the subkey is FAIL ("does not contain key") and pgpPubKeyLint names
// the expired backsig. A signature made while the backsig was alive is
// judged at its creation time and stays OK.
func TestExpiredBacksig(t *testing.T) {
	b := newBackend(t)
	pk := newEd25519Key(t, 4, keyTime)
	sk := newEd25519Key(t, 4, keyTime)
	const uid = "Test <test@example.org>"
	cert := pkt(6, pk.body)
	cert = append(cert, pkt(13, []byte(uid))...)
	cert = append(cert, sign(t, pk, sigSpec{sigType: 0x13, created: keyTime, hashed: sub(27, []byte{0x01})}, pk.hashed(), uidHashed(uid))...)
	cert = append(cert, pkt(14, sk.body)...)
	back := sign(t, sk, sigSpec{sigType: 0x19, created: keyTime, hashed: sub(3, u32(24*3600))}, pk.hashed(), sk.hashed())
	h := append(sub(27, []byte{0x02}), sub(32, pktBody(back))...)
	cert = append(cert, sign(t, pk, sigSpec{sigType: 0x18, created: keyTime, hashed: h}, pk.hashed(), sk.hashed())...)

	early := sign(t, sk, sigSpec{sigType: 0, created: keyTime.Add(time.Hour)}, message)
	if v := verify(t, b, cert, early, message, true); v.RC != core.RCOK || v.Lint != "" {
		t.Errorf("signature while the backsig was alive: got %v %q, want OK", v.RC, v.Lint)
	}
	late := sign(t, sk, sigSpec{sigType: 0, created: sigTime}, message)
	want := header(pk) + fmt.Sprintf("\n  Certificate %X does not contain key %X or it is not valid", pk.keyID(), sk.fpr())
	if v := verify(t, b, cert, late, message, true); v.RC != core.RCFail || v.Lint != want {
		t.Errorf("signature after the backsig expired: got %v %q\nwant FAIL %q", v.RC, v.Lint, want)
	}
	v, err := b.LintKey(cert)
	if err != nil {
		t.Fatal(err)
	}
	wantLint := fmt.Sprintf("Certificate %X:\n  Policy rejects subkey %X: No binding signature at time 2025-01-01T00:00:00Z, "+
		"because Primary key binding signature is not alive, because Expired on 2024-01-02T00:00:00Z\n"+
		"  Certificate does not have any usable signing keys", pk.keyID(), sk.keyID())
	if v.RC != core.RCOK || v.Lint != wantLint {
		t.Errorf("LintKey: got %v %q\nwant OK %q", v.RC, v.Lint, wantLint)
	}
}

// TestLintKeyExpiredCertificate pins pgpPubKeyLint for a certificate whose
// key expiration time (RFC 9580, Section 5.2.3.13) has passed at the
// reference time: rpm-sequoia returns OK (the import succeeds with a
// warning) and explains that no key can sign; before the expiration the
// certificate is OK without lints. This is the corpus vector
// SQ-CERT-HASH-SHA256 (SHA-256 self-signatures, key expiring after two
// years) when the corpus is present.
func TestLintKeyExpiredCertificate(t *testing.T) {
	lint := func(t *testing.T, at time.Time, cert []byte) core.Verdict {
		t.Helper()
		b := New()
		if err := b.Init(core.Options{Time: at}); err != nil {
			t.Fatal(err)
		}
		v, err := b.LintKey(cert)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	expiredLint := func(id string) string {
		return "Certificate " + id + ":\n  The certificate is expired: The primary key is not live\n" +
			"  Subkey " + id + " is expired: The primary key is not live\n" +
			"  Certificate does not have any usable signing keys"
	}

	pk := newEd25519Key(t, 4, keyTime)
	cert := makeCert(t, pk, certSpec{primaryFlags: []byte{0x03}, primaryExp: 3600}, keyTime)
	id := fmt.Sprintf("%X", pk.keyID())
	if v := lint(t, keyTime.Add(time.Minute), cert); v.RC != core.RCOK || v.Lint != "" {
		t.Errorf("before expiry: got %v %q, want OK without lint", v.RC, v.Lint)
	}
	if v := lint(t, now, cert); v.RC != core.RCOK || v.Lint != expiredLint(id) {
		t.Errorf("after expiry: got %v %q\nwant OK %q", v.RC, v.Lint, expiredLint(id))
	}

	dir, ok := testutil.CorpusDir()
	if !ok {
		testutil.Missing(t, "corpus not found at %s: SQ-CERT-HASH-SHA256 not checked", dir)
	}
	data, err := os.ReadFile(filepath.Join(dir, "openpgp-vectors", "sequoia-openpgp", "keys", "hash-algos", "SHA256.gpg"))
	if err != nil {
		t.Fatal(err)
	}
	// Created 2018-01-10, expires 2020-01-10 (key expiration 2 years).
	if v := lint(t, time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC), data); v.RC != core.RCOK || v.Lint != "" {
		t.Errorf("SQ-CERT-HASH-SHA256 in 2019: got %v %q, want OK without lint (valid)", v.RC, v.Lint)
	}
	if v := lint(t, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), data); v.RC != core.RCOK || v.Lint != expiredLint("225543F4A3CB5AFB") {
		t.Errorf("SQ-CERT-HASH-SHA256 in 2026: got %v %q\nwant OK %q", v.RC, v.Lint, expiredLint("225543F4A3CB5AFB"))
	}
}
