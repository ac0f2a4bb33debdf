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
	tmpls map[*C.EVP_MD]*verifiers // per digest
}

// maxIdleVerifiers bounds the ready verification contexts kept per key and
// digest: as many as verifications of one key run at once (a batch runs
// GOMAXPROCS), more are freed after use.
const maxIdleVerifiers = 16

// verifiers are the verification contexts of one key and digest: the
// template rpmpgp_rsa_verifier made and the copies of it that are free for
// the next verification. EVP_PKEY_verify(3): "can be called more than once
// on the same context if several operations are performed using the same
// parameters", so a copy that verified a signature is kept for the next one
// instead of being freed and copied again (EVP_PKEY_CTX_dup, which also
// duplicates the provider's signature context). A copy is used by one
// verification at a time; one that saw any failure is freed, not kept.
type verifiers struct {
	tmpl *C.EVP_PKEY_CTX
	idle []*C.EVP_PKEY_CTX
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
	for _, vs := range ck.tmpls {
		for _, v := range vs.idle {
			C.rpmpgp_pkey_ctx_free(v)
		}
		C.rpmpgp_pkey_ctx_free(vs.tmpl)
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

// verifier returns a verification context for ck with the digest m, used
// by nobody else: a ready one kept by [Context.putVerifier], else a new copy
// of the key's template for m, made on first use. The caller verifies with
// it and hands it back to putVerifier (after a valid signature) or frees
// it (C.rpmpgp_pkey_ctx_free). Failures are not cached.
func (c *Context) verifier(ck *cachedKey, m *md) (*verifiers, *C.EVP_PKEY_CTX, error) {
	ck.mu.Lock()
	defer ck.mu.Unlock()
	vs, ok := ck.tmpls[m.ptr]
	if !ok {
		var t *C.EVP_PKEY_CTX
		b := getErrBuf()
		if err := result("RSA verify", C.rpmpgp_rsa_verifier(c.libctx, ck.pkey, m.ptr, &t, b.ptr(), b.size()), b); err != nil {
			return nil, nil, err
		}
		if ck.tmpls == nil {
			ck.tmpls = map[*C.EVP_MD]*verifiers{}
		}
		vs = &verifiers{tmpl: t}
		ck.tmpls[m.ptr] = vs
	}
	if n := len(vs.idle); n > 0 {
		vctx := vs.idle[n-1]
		vs.idle[n-1] = nil
		vs.idle = vs.idle[:n-1]
		return vs, vctx, nil
	}
	var vctx *C.EVP_PKEY_CTX
	b := getErrBuf()
	if err := result("RSA verify", C.rpmpgp_rsa_verifier_dup(vs.tmpl, &vctx, b.ptr(), b.size()), b); err != nil {
		return nil, nil, err
	}
	return vs, vctx, nil
}

// putVerifier keeps vctx, a context from [Context.verifier] that has just
// verified a valid signature, for the next verification with ck and the
// same digest, or frees it when [maxIdleVerifiers] are kept already. The
// caller still holds its reference to ck, so ck has not been freed.
func (c *Context) putVerifier(ck *cachedKey, vs *verifiers, vctx *C.EVP_PKEY_CTX) {
	ck.mu.Lock()
	defer ck.mu.Unlock()
	if len(vs.idle) >= maxIdleVerifiers {
		C.rpmpgp_pkey_ctx_free(vctx)
		return
	}
	vs.idle = append(vs.idle, vctx)
}

// FlushKeys frees the public keys the context keeps imported (see
// [Context.VerifyRSA]). Verifications running at the same time keep their
// own references; later ones import their keys again.
func (c *Context) FlushKeys() { c.keys.flush() }

// CachedKeys returns how many public keys the context keeps imported.
func (c *Context) CachedKeys() int { return c.keys.len() }
