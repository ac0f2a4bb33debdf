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
}

type cacheEntry struct {
	c    *cert
	err  error
	used uint64
}

func (cc *certCache) get(data []byte, parse func([]byte) (*cert, error)) (*cert, error) {
	key := string(data)
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
	cc.items[key] = &cacheEntry{c: c, err: err, used: cc.tick}
	return c, err
}

// reset drops every entry (the primitives or policy changed).
func (cc *certCache) reset() {
	cc.mu.Lock()
	cc.items = nil
	cc.mu.Unlock()
}
