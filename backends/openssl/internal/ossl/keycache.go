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
// with its cached Montgomery context is about 3 KiB).
const keyCacheSize = 64

// keyCache keeps the last [keyCacheSize] RSA public keys imported into one
// library context (EVP_PKEY_fromdata is most of the cost of a verification
// otherwise: the key is rebuilt from OSSL_PARAMs and its Montgomery context
// recomputed on every call). Keys are looked up by their modulus and must
// match the exponent too. The cache holds one reference to each key
// (EVP_PKEY_up_ref(3)); a caller gets its own reference, so an eviction
// while another goroutine verifies with the key frees nothing under it.
// Since the cache belongs to a Context, a key imported in one library
// context (FIPS or not) is never used in another.
type keyCache struct {
	mu  sync.Mutex
	byN map[string]*list.Element // modulus -> element holding *cachedKey
	lru list.List                // front: most recently used
}

// cachedKey is one imported key.
type cachedKey struct {
	n, e []byte
	pkey *C.EVP_PKEY
}

// get returns a new reference to the cached key for (n, e), or nil. The
// caller frees it (C.rpmpgp_pkey_free).
func (k *keyCache) get(n, e []byte) *C.EVP_PKEY {
	k.mu.Lock()
	defer k.mu.Unlock()
	el, ok := k.byN[string(n)]
	if !ok {
		return nil
	}
	ck := el.Value.(*cachedKey)
	if !bytes.Equal(ck.e, e) || C.rpmpgp_pkey_up_ref(ck.pkey) != 1 {
		return nil
	}
	k.lru.MoveToFront(el)
	return ck.pkey
}

// put adds a reference to pkey, imported from (n, e), to the cache, evicting
// the least recently used key beyond [keyCacheSize]. The caller keeps its
// own reference.
func (k *keyCache) put(n, e []byte, pkey *C.EVP_PKEY) {
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
	if C.rpmpgp_pkey_up_ref(pkey) != 1 {
		return
	}
	ck := &cachedKey{n: bytes.Clone(n), e: bytes.Clone(e), pkey: pkey}
	k.byN[string(ck.n)] = k.lru.PushFront(ck)
	for k.lru.Len() > keyCacheSize {
		k.remove(k.lru.Back())
	}
}

// remove drops el and the cache's reference to its key. k.mu is held.
func (k *keyCache) remove(el *list.Element) {
	ck := k.lru.Remove(el).(*cachedKey)
	delete(k.byN, string(ck.n))
	C.rpmpgp_pkey_free(ck.pkey)
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

// rsaKey returns an RSA public key for (n, e) imported into c, from the
// cache when it is there. The caller frees it (C.rpmpgp_pkey_free). Failed
// imports are not cached.
func (c *Context) rsaKey(n, e []byte) (*C.EVP_PKEY, error) {
	if pkey := c.keys.get(n, e); pkey != nil {
		return pkey, nil
	}
	var pkey *C.EVP_PKEY
	b := getErrBuf()
	if err := result("RSA verify", C.rpmpgp_rsa_import(c.libctx,
		bytesPtr(n), size(n), bytesPtr(e), size(e), &pkey, b.ptr(), b.size()), b); err != nil {
		return nil, err
	}
	c.keys.put(n, e, pkey)
	return pkey, nil
}

// FlushKeys frees the public keys the context keeps imported (see
// [Context.VerifyRSA]). Verifications running at the same time keep their
// own references; later ones import their keys again.
func (c *Context) FlushKeys() { c.keys.flush() }

// CachedKeys returns how many public keys the context keeps imported.
func (c *Context) CachedKeys() int { return c.keys.len() }
