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
	c, err := Open(ModeOff, "")
	if err != nil {
		t.Fatal(err)
	}
	c.FlushKeys()
	t.Cleanup(c.FlushKeys)
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
	c, err := Open(ModeOff, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.FlushKeys)
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
