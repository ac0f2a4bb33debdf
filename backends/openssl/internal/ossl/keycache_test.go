//go:build cgo

package ossl

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"math/big"
	"sync"
	"testing"
)

// signedRSA is an RSA-2048 key (n, e) and a valid PKCS#1 v1.5 SHA-256
// signature over digest.
type signedRSA struct {
	n, e, digest, sig []byte
	// digest512 and sig512: the same with SHA-512.
	digest512, sig512 []byte
}

func newSignedRSA(t *testing.T) signedRSA {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	d := sha256.Sum256([]byte("key cache"))
	sig, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, d[:])
	if err != nil {
		t.Fatal(err)
	}
	d512 := sha512.Sum512([]byte("key cache"))
	sig512, err := rsa.SignPKCS1v15(nil, k, crypto.SHA512, d512[:])
	if err != nil {
		t.Fatal(err)
	}
	return signedRSA{
		n:         k.N.Bytes(),
		e:         big.NewInt(int64(k.E)).Bytes(),
		digest:    d[:],
		sig:       sig,
		digest512: d512[:],
		sig512:    sig512,
	}
}

// junkModulus returns a 2048-bit odd modulus that differs for each i; a
// signature check with it fails but imports (and caches) the key.
func junkModulus(i int) []byte {
	n := make([]byte, 256)
	n[0] = 0xc0
	n[1], n[2] = byte(i>>8), byte(i)
	n[255] = 1
	return n
}

func TestRSAKeyCache(t *testing.T) {
	c := emptyKeyCache(t)
	k := newSignedRSA(t)
	for i := range 3 {
		if err := c.VerifyRSA(k.n, k.e, "SHA2-256", k.digest, k.sig); err != nil {
			t.Fatalf("verification %d: %v", i, err)
		}
		if got := c.CachedKeys(); got != 1 {
			t.Fatalf("after verification %d: %d cached keys, want 1", i, got)
		}
	}
	// Another digest with the cached key: its own template.
	if err := c.VerifyRSA(k.n, k.e, "SHA2-512", k.digest512, k.sig512); err != nil {
		t.Errorf("SHA-512 with a cached key: %v", err)
	}
	if err := c.VerifyRSA(k.n, k.e, "SHA2-512", k.digest512, k.sig); !errors.Is(err, ErrVerify) {
		t.Errorf("SHA-256 signature checked as SHA-512: %v, want ErrVerify", err)
	}
	if err := c.VerifyRSA(k.n, k.e, "SHA2-256", k.digest, k.sig); err != nil {
		t.Errorf("SHA-256 after SHA-512: %v", err)
	}
	if got := c.CachedKeys(); got != 1 {
		t.Errorf("after two digests: %d cached keys, want 1", got)
	}
	// A wrong signature with the cached key still fails.
	bad := append([]byte(nil), k.sig...)
	bad[len(bad)-1] ^= 1
	if err := c.VerifyRSA(k.n, k.e, "SHA2-256", k.digest, bad); !errors.Is(err, ErrVerify) {
		t.Errorf("altered signature with a cached key: %v, want ErrVerify", err)
	}
	// Same modulus, another exponent: not the cached key (the signature
	// does not verify), and it replaces it.
	if err := c.VerifyRSA(k.n, []byte{3}, "SHA2-256", k.digest, k.sig); !errors.Is(err, ErrVerify) {
		t.Errorf("cached modulus with e = 3: %v, want ErrVerify", err)
	}
	if got := c.CachedKeys(); got != 1 {
		t.Errorf("after another exponent: %d cached keys, want 1", got)
	}
	if err := c.VerifyRSA(k.n, k.e, "SHA2-256", k.digest, k.sig); err != nil {
		t.Errorf("after another exponent: %v", err)
	}
	// The cache is bounded.
	for i := range keyCacheSize + 10 {
		if err := c.VerifyRSA(junkModulus(i), []byte{1, 0, 1}, "SHA2-256", k.digest, k.sig); !errors.Is(err, ErrVerify) {
			t.Fatalf("junk modulus %d: %v, want ErrVerify", i, err)
		}
	}
	if got := c.CachedKeys(); got != keyCacheSize {
		t.Errorf("after %d keys: %d cached, want %d", keyCacheSize+11, got, keyCacheSize)
	}
	// Evicted keys are imported again.
	if err := c.VerifyRSA(k.n, k.e, "SHA2-256", k.digest, k.sig); err != nil {
		t.Errorf("evicted key: %v", err)
	}
	c.FlushKeys()
	if got := c.CachedKeys(); got != 0 {
		t.Errorf("after FlushKeys: %d cached keys", got)
	}
	if err := c.VerifyRSA(k.n, k.e, "SHA2-256", k.digest, k.sig); err != nil {
		t.Errorf("after FlushKeys: %v", err)
	}
}

// TestRSAKeyCacheConcurrent verifies with the same keys from several
// goroutines while other keys evict them and FlushKeys empties the cache:
// every verdict stays right (run with -race; a key freed under a running
// verification would crash or fail it).
func TestRSAKeyCacheConcurrent(t *testing.T) {
	c := emptyKeyCache(t)
	good := []signedRSA{newSignedRSA(t), newSignedRSA(t)}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				k := good[(g+i)%len(good)]
				if err := c.VerifyRSA(k.n, k.e, "SHA2-256", k.digest, k.sig); err != nil {
					errs <- err
					return
				}
				if err := c.VerifyRSA(k.n, k.e, "SHA2-512", k.digest512, k.sig512); err != nil {
					errs <- err
					return
				}
				if err := c.VerifyRSA(junkModulus(g*1000+i), k.e, "SHA2-256", k.digest, k.sig); !errors.Is(err, ErrVerify) {
					errs <- err
					return
				}
				if i%50 == 0 {
					c.FlushKeys()
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := c.CachedKeys(); got > keyCacheSize {
		t.Errorf("%d cached keys, more than %d", got, keyCacheSize)
	}
}

// idleVerifiers returns how many ready verification contexts c keeps for
// the key (n, e) and the digest mdName (-1 when the key or the digest has
// none made).
func idleVerifiers(t *testing.T, c *Context, n, e []byte, mdName string) int {
	t.Helper()
	m, err := c.fetch(mdName)
	if err != nil {
		t.Fatal(err)
	}
	ck := c.keys.get(n, e)
	if ck == nil {
		return -1
	}
	defer c.keys.release(ck)
	ck.mu.Lock()
	defer ck.mu.Unlock()
	vs, ok := ck.tmpls[m.ptr]
	if !ok {
		return -1
	}
	return len(vs.idle)
}

// TestRSAVerifierReuse: a verification context that verified a valid
// signature is kept and used again (EVP_PKEY_verify(3) allows it), one
// that saw a bad signature is freed, and the verdicts alternate correctly
// on the kept context.
func TestRSAVerifierReuse(t *testing.T) {
	c := emptyKeyCache(t)
	k := newSignedRSA(t)
	bad := append([]byte(nil), k.sig...)
	bad[len(bad)-1] ^= 1
	steps := []struct {
		sig      []byte
		wantErr  error
		wantIdle int
	}{
		{k.sig, nil, 1},
		{k.sig, nil, 1}, // the kept context, kept again
		{bad, ErrVerify, 0},
		{bad, ErrVerify, 0},
		{k.sig, nil, 1},
		{bad, ErrVerify, 0},
		{k.sig, nil, 1},
	}
	for i, s := range steps {
		err := c.VerifyRSA(k.n, k.e, "SHA2-256", k.digest, s.sig)
		if s.wantErr == nil && err != nil || s.wantErr != nil && !errors.Is(err, s.wantErr) {
			t.Fatalf("step %d: VerifyRSA = %v, want %v", i, err, s.wantErr)
		}
		if got := idleVerifiers(t, c, k.n, k.e, "SHA2-256"); got != s.wantIdle {
			t.Fatalf("step %d: %d idle verification contexts, want %d", i, got, s.wantIdle)
		}
	}
	if got := idleVerifiers(t, c, k.n, k.e, "SHA2-512"); got != -1 {
		t.Errorf("SHA2-512, never used: %d idle verification contexts, want none made (-1)", got)
	}
	// SHA-512 has contexts of its own; a SHA-256 signature fails on them.
	if err := c.VerifyRSA(k.n, k.e, "SHA2-512", k.digest512, k.sig512); err != nil {
		t.Fatalf("SHA-512: %v", err)
	}
	if err := c.VerifyRSA(k.n, k.e, "SHA2-512", k.digest512, k.sig); !errors.Is(err, ErrVerify) {
		t.Errorf("SHA-256 signature on a kept SHA-512 context: %v, want ErrVerify", err)
	}
	if err := c.VerifyRSA(k.n, k.e, "SHA2-256", k.digest, k.sig); err != nil {
		t.Errorf("SHA-256 after SHA-512: %v", err)
	}
}

// TestRSAVerifierIdleBound: verifications of one key running at once each
// get a context of their own, and at most maxIdleVerifiers are kept after.
func TestRSAVerifierIdleBound(t *testing.T) {
	c := emptyKeyCache(t)
	k := newSignedRSA(t)
	if err := c.VerifyRSA(k.n, k.e, "SHA2-256", k.digest, k.sig); err != nil {
		t.Fatal(err)
	}
	m, err := c.fetch("SHA2-256")
	if err != nil {
		t.Fatal(err)
	}
	ck := c.keys.get(k.n, k.e)
	if ck == nil {
		t.Fatal("key not cached")
	}
	defer c.keys.release(ck)
	// Take more contexts than are kept, as that many verifications at once
	// would, then hand them all back.
	var puts []func()
	seen := map[any]bool{}
	for range maxIdleVerifiers + 3 {
		vs, vctx, err := c.verifier(ck, m)
		if err != nil {
			t.Fatal(err)
		}
		if seen[vctx] {
			t.Fatal("one verification context handed out twice")
		}
		seen[vctx] = true
		puts = append(puts, func() { c.putVerifier(ck, vs, vctx) })
	}
	for _, put := range puts {
		put()
	}
	if got := idleVerifiers(t, c, k.n, k.e, "SHA2-256"); got != maxIdleVerifiers {
		t.Errorf("%d idle verification contexts, want %d", got, maxIdleVerifiers)
	}
	if err := c.VerifyRSA(k.n, k.e, "SHA2-256", k.digest, k.sig); err != nil {
		t.Errorf("after the bound: %v", err)
	}
}

// emptyKeyCache opens the non-FIPS library context with no key cached, and
// empties its cache again after the test.
func emptyKeyCache(t *testing.T) *Context {
	t.Helper()
	c, err := Open(ModeOff, "")
	if err != nil {
		t.Fatal(err)
	}
	c.FlushKeys()
	t.Cleanup(c.FlushKeys)
	return c
}
