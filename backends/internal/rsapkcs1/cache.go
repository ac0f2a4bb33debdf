package rsapkcs1

import (
	"math/big"
	"sync"
)

// cacheSize bounds the moduli whose Montgomery context is kept: packages
// are signed by few keys, and the largest modulus an OpenPGP MPI can
// carry (65535 bits) costs about 24 KiB of context and key, so the cache
// holds at most ~800 KiB.
const cacheSize = 32

// moduli caches the Montgomery context per modulus (key: its big-endian
// octets), for the verifications of one backend process that run on
// several goroutines.
var moduli = modulusCache{m: make(map[string]*modulus, cacheSize)}

// modulusCache is a bounded map of Montgomery contexts, safe for
// concurrent use. When full it forgets the oldest entry (first in, first
// out): a working set of signing keys smaller than cacheSize stays.
type modulusCache struct {
	mu    sync.Mutex
	m     map[string]*modulus
	order []string // keys of m, oldest first
}

// get returns the context of the odd n > 1, building and caching it on a
// miss (outside the lock: two goroutines may build the same context, and
// either result is the same).
func (c *modulusCache) get(n *big.Int) *modulus {
	key := string(n.Bytes())
	c.mu.Lock()
	m := c.m[key]
	c.mu.Unlock()
	if m != nil {
		return m
	}
	m = newModulus(n)
	if m == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[key]; ok {
		return old
	}
	if len(c.order) >= cacheSize {
		delete(c.m, c.order[0])
		c.order = append(c.order[:0], c.order[1:]...)
	}
	c.m[key] = m
	c.order = append(c.order, key)
	return m
}
