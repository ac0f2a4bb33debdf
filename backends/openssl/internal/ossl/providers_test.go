package ossl

import "testing"

// TestProvidersTruncated: a provider list that does not fit its buffer says
// so, so that the FIPS allow-list check (only fips and base) never takes a
// provider left out for one that is not loaded.
func TestProvidersTruncated(t *testing.T) {
	c, err := Open(ModeOff, "")
	if err != nil {
		t.Fatal(err)
	}
	full, complete := c.providersIn(4096)
	if !complete || len(full) != 1 || full[0].Name != "default" || !full[0].Active {
		t.Fatalf("providers = %+v, complete %v; want the active default provider, complete", full, complete)
	}
	// "default\tOpenSSL Default Provider\t3.x.y\tactive\n" is about 45 bytes.
	short, complete := c.providersIn(16)
	if complete || len(short) != 0 {
		t.Errorf("16-byte buffer: providers = %+v, complete %v; want none, incomplete", short, complete)
	}
}
