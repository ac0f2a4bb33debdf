package strict

import (
	"fmt"
	"testing"
)

// TestCertCache: a certificate is parsed once and then served from the
// cache without copying its bytes; the cache holds at most maxCacheEntries;
// a certificate whose parse straddles a reset (new primitives or policy) is
// not kept.
func TestCertCache(t *testing.T) {
	var cc certCache
	parses := 0
	parse := func(d []byte) (*cert, error) { parses++; return &cert{}, nil }
	data := []byte("certificate bytes")
	first, _ := cc.get(data, parse)
	second, _ := cc.get(data, parse)
	if parses != 1 || first != second {
		t.Fatalf("two gets: %d parses, same cert %v; want 1, true", parses, first == second)
	}
	if n := testing.AllocsPerRun(100, func() { cc.get(data, parse) }); n != 0 {
		t.Errorf("a cache hit allocates %v times, want 0", n)
	}

	for i := range maxCacheEntries + 10 {
		cc.get(fmt.Appendf(nil, "cert %d", i), parse)
	}
	if len(cc.items) != maxCacheEntries {
		t.Errorf("%d entries, want at most %d", len(cc.items), maxCacheEntries)
	}

	cc.reset()
	parses = 0
	straddling := func(d []byte) (*cert, error) { cc.reset(); parses++; return &cert{}, nil }
	cc.get(data, straddling)
	cc.get(data, parse)
	if parses != 2 {
		t.Errorf("a parse across a reset was kept: %d parses, want 2", parses)
	}
}
