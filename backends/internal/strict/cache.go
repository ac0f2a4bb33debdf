package strict

import "sync"

// certCache keeps parsed and canonicalized certificates keyed by their
// bytes, so that verifying many packages signed by one key
// verifies the key's self-signatures once. It holds at most
// maxCacheEntries certificates and evicts the least recently used one. It
// is safe for concurrent use.
//
// The key is the certificate's bytes themselves (at most MaxCertBytes),
// not a digest of them: no collision to reason about, and no hash
// implementation outside the primitives on the verification path (the
// openssl backend in FIPS mode must do all its crypto in OpenSSL's FIPS
// provider; backends/openssl's import test checks it).
type certCache struct {
	mu    sync.Mutex
	items map[string]*cacheEntry
	tick  uint64
	// gen counts resets: a certificate parsed before a reset (under the
	// old primitives or policy) is not stored after it.
	gen uint64
}

type cacheEntry struct {
	c    *cert
	err  error
	used uint64
}

func (cc *certCache) get(data []byte, parse func([]byte) (*cert, error)) (*cert, error) {
	cc.mu.Lock()
	// The map index converts data without copying it (the key is copied
	// only when an entry is stored).
	if e, ok := cc.items[string(data)]; ok {
		cc.tick++
		e.used = cc.tick
		cc.mu.Unlock()
		return e.c, e.err
	}
	gen := cc.gen
	cc.mu.Unlock()
	// Parse outside the lock: two goroutines may parse the same
	// certificate concurrently, which is harmless.
	c, err := parse(data)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.gen != gen {
		return c, err // parsed before a reset: used once, not kept
	}
	if cc.items == nil {
		cc.items = make(map[string]*cacheEntry)
	}
	if len(cc.items) >= maxCacheEntries {
		var oldKey string
		var oldUse uint64 = ^uint64(0)
		for k, e := range cc.items {
			if e.used < oldUse {
				oldKey, oldUse = k, e.used
			}
		}
		delete(cc.items, oldKey)
	}
	cc.tick++
	cc.items[string(data)] = &cacheEntry{c: c, err: err, used: cc.tick}
	return c, err
}

// reset drops every entry (the primitives or policy changed), and keeps
// parses still running from storing theirs.
func (cc *certCache) reset() {
	cc.mu.Lock()
	cc.items = nil
	cc.gen++
	cc.mu.Unlock()
}
