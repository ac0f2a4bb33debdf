package rsapkcs1

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestModulusCache: a hit returns the same context, and the cache never
// holds more than cacheSize moduli.
func TestModulusCache(t *testing.T) {
	var c modulusCache
	c.m = make(map[string]*modulus)
	r := rand.New(rand.NewPCG(1, 2))
	first := randOdd(r, 2049)
	m := c.get(first)
	if c.get(first) != m {
		t.Fatal("second get built a new context")
	}
	for range 2 * cacheSize {
		c.get(randOdd(r, 2049))
	}
	if len(c.m) != cacheSize || len(c.order) != cacheSize {
		t.Fatalf("cache holds %d (%d keys), want %d", len(c.m), len(c.order), cacheSize)
	}
	if c.get(first) == m {
		t.Fatal("oldest entry was not evicted")
	}
	if c.get(big.NewInt(4)) != nil {
		t.Fatal("even modulus cached")
	}
}

// TestModulusCacheConcurrent: goroutines sharing a small cache over more
// moduli than it holds all get correct results (go test -race checks the
// locking).
func TestModulusCacheConcurrent(t *testing.T) {
	c := modulusCache{m: make(map[string]*modulus)}
	r := rand.New(rand.NewPCG(3, 4))
	ns := make([]*big.Int, cacheSize+8)
	for i := range ns {
		ns[i] = randOdd(r, 2049+64*(i%3))
	}
	s := big.NewInt(12345)
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Go(func() {
			for i := range 3 * len(ns) {
				n := ns[(i+g*7)%len(ns)]
				m := c.get(n)
				got := m.exp(s.FillBytes(make([]byte, m.k)), 65537)
				if !bytes.Equal(got, refExp(n, s, 65537)) {
					errs <- n.Text(16)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for n := range errs {
		t.Errorf("wrong s^e mod %s", n)
	}
	if len(c.m) > cacheSize || len(c.order) != len(c.m) {
		t.Errorf("cache holds %d entries (%d keys), bound %d", len(c.m), len(c.order), cacheSize)
	}
}
