//go:build cgo

package ossl

/*
#include "shims.h"
*/
import "C"

import (
	"bytes"
	"container/list"
	"sync"
)

// keyCacheSize bounds the public keys a [Context] keeps imported. A batch
// verifies thousands of packages with a handful of keys; 64 covers every
// keyring rpm ships while keeping the memory bounded (an RSA-4096 EVP_PKEY
// with its cached Montgomery context, plus a verification template per
// digest used, is a few KiB).
const keyCacheSize = 64

// keyCache keeps the last [keyCacheSize] RSA public keys imported into one
// library context, each with the verification templates made for it.
// Without it every verification rebuilds the key from OSSL_PARAMs
// (EVP_PKEY_fromdata), recomputes its Montgomery context and fetches the
// signature and digest implementations again (EVP_PKEY_verify_init,
// EVP_PKEY_CTX_set_signature_md): a third of an RSA-4096 verification.
// Keys are looked up by their modulus and must match the exponent too.
// Entries are reference counted: the cache holds one reference, each
// running verification another, so that an eviction while another
// goroutine verifies with the key frees nothing under it. Since the cache
// belongs to a Context, a key imported in one library context (FIPS or
// not) is never used in another.
type keyCache struct {
	mu  sync.Mutex
	byN map[string]*list.Element // modulus -> element holding *cachedKey
	lru list.List                // front: most recently used
}

// cachedKey is one imported key. refs is guarded by the cache's mu; the
// templates by the key's own mu.
type cachedKey struct {
	n, e []byte
	pkey *C.EVP_PKEY
	refs int

	mu    sync.Mutex
	tmpls map[*C.EVP_MD]*C.EVP_PKEY_CTX // rpmpgp_rsa_verifier per digest
}

// get returns the cached key for (n, e) with a reference the caller
// releases, or nil.
func (k *keyCache) get(n, e []byte) *cachedKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	el, ok := k.byN[string(n)]
	if !ok {
		return nil
	}
	ck := el.Value.(*cachedKey)
	if !bytes.Equal(ck.e, e) {
		return nil
	}
	k.lru.MoveToFront(el)
	ck.refs++
	return ck
}

// add caches pkey, imported from (n, e) (the cache takes it over), evicting
// the least recently used key beyond [keyCacheSize], and returns its entry
// with a reference the caller releases.
func (k *keyCache) add(n, e []byte, pkey *C.EVP_PKEY) *cachedKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.byN == nil {
		k.byN = map[string]*list.Element{}
	}
	if el, ok := k.byN[string(n)]; ok {
		// Another goroutine imported it too, or the exponent differs:
		// the newer key replaces the older.
		k.remove(el)
	}
	ck := &cachedKey{n: bytes.Clone(n), e: bytes.Clone(e), pkey: pkey, refs: 2}
	k.byN[string(ck.n)] = k.lru.PushFront(ck)
	for k.lru.Len() > keyCacheSize {
		k.remove(k.lru.Back())
	}
	return ck
}

// release drops a reference to ck taken by get or add.
func (k *keyCache) release(ck *cachedKey) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.unref(ck)
}

// unref drops a reference to ck and frees it with the last one. k.mu is
// held.
func (k *keyCache) unref(ck *cachedKey) {
	if ck.refs--; ck.refs > 0 {
		return
	}
	for _, t := range ck.tmpls {
		C.rpmpgp_pkey_ctx_free(t)
	}
	ck.tmpls = nil
	C.rpmpgp_pkey_free(ck.pkey)
	ck.pkey = nil
}

// remove drops el and the cache's reference to its key. k.mu is held.
func (k *keyCache) remove(el *list.Element) {
	ck := k.lru.Remove(el).(*cachedKey)
	delete(k.byN, string(ck.n))
	k.unref(ck)
}

// flush drops every key.
func (k *keyCache) flush() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for k.lru.Len() > 0 {
		k.remove(k.lru.Back())
	}
}

// len returns the number of cached keys.
func (k *keyCache) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.lru.Len()
}

// rsaKey returns the entry of the RSA public key (n, e) imported into c,
// from the cache when it is there, with a reference the caller releases
// (c.keys.release). Failed imports are not cached.
func (c *Context) rsaKey(n, e []byte) (*cachedKey, error) {
	if ck := c.keys.get(n, e); ck != nil {
		return ck, nil
	}
	var pkey *C.EVP_PKEY
	b := getErrBuf()
	if err := result("RSA verify", C.rpmpgp_rsa_import(c.libctx,
		bytesPtr(n), size(n), bytesPtr(e), size(e), &pkey, b.ptr(), b.size()), b); err != nil {
		return nil, err
	}
	return c.keys.add(n, e, pkey), nil
}

// verifier returns a new verification context for ck with the digest m:
// a copy of the key's template for m, made on first use. The caller hands
// it to C.rpmpgp_verify_rsa, which frees it. Failures are not cached.
func (c *Context) verifier(ck *cachedKey, m *md) (*C.EVP_PKEY_CTX, error) {
	ck.mu.Lock()
	defer ck.mu.Unlock()
	t, ok := ck.tmpls[m.ptr]
	if !ok {
		b := getErrBuf()
		if err := result("RSA verify", C.rpmpgp_rsa_verifier(c.libctx, ck.pkey, m.ptr, &t, b.ptr(), b.size()), b); err != nil {
			return nil, err
		}
		if ck.tmpls == nil {
			ck.tmpls = map[*C.EVP_MD]*C.EVP_PKEY_CTX{}
		}
		ck.tmpls[m.ptr] = t
	}
	var vctx *C.EVP_PKEY_CTX
	b := getErrBuf()
	if err := result("RSA verify", C.rpmpgp_rsa_verifier_dup(t, &vctx, b.ptr(), b.size()), b); err != nil {
		return nil, err
	}
	return vctx, nil
}

// FlushKeys frees the public keys the context keeps imported (see
// [Context.VerifyRSA]). Verifications running at the same time keep their
// own references; later ones import their keys again.
func (c *Context) FlushKeys() { c.keys.flush() }

// CachedKeys returns how many public keys the context keeps imported.
func (c *Context) CachedKeys() int { return c.keys.len() }
