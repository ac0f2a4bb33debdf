package strict

import (
	"crypto/sha256"
	"sync"
)

// certCache keeps parsed and canonicalized certificates keyed by the
// SHA-256 of their bytes, so that verifying many packages signed by one key
// verifies the key's self-signatures once. It holds at most
// maxCacheEntries certificates and evicts the least recently used one. It
// is safe for concurrent use.
//
// The cache key is computed with Go's crypto/sha256 rather than the
// primitives: it is an identity for memoisation, not part of any verdict
// (a cached entry is exactly what parsing the same bytes yields).
type certCache struct {
	mu    sync.Mutex
	items map[[32]byte]*cacheEntry
	tick  uint64
}

type cacheEntry struct {
	c    *cert
	err  error
	used uint64
}

func (cc *certCache) get(data []byte, parse func([]byte) (*cert, error)) (*cert, error) {
	key := sha256.Sum256(data)
	cc.mu.Lock()
	if e, ok := cc.items[key]; ok {
		cc.tick++
		e.used = cc.tick
		cc.mu.Unlock()
		return e.c, e.err
	}
	cc.mu.Unlock()
	// Parse outside the lock: two goroutines may parse the same
	// certificate concurrently, which is harmless.
	c, err := parse(data)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.items == nil {
		cc.items = make(map[[32]byte]*cacheEntry)
	}
	if len(cc.items) >= maxCacheEntries {
		var oldKey [32]byte
		var oldUse uint64 = ^uint64(0)
		for k, e := range cc.items {
			if e.used < oldUse {
				oldKey, oldUse = k, e.used
			}
		}
		delete(cc.items, oldKey)
	}
	cc.tick++
	cc.items[key] = &cacheEntry{c: c, err: err, used: cc.tick}
	return c, err
}

// reset drops every entry (the primitives or policy changed).
func (cc *certCache) reset() {
	cc.mu.Lock()
	cc.items = nil
	cc.mu.Unlock()
}
