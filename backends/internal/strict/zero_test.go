package strict

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestZeroConfig: a backend from the zero Config (no primitives) fails
// closed: Init refuses it, it computes no digest, and a signed package
// with its key in the keyring does not verify.
func TestZeroConfig(t *testing.T) {
	b := New(Config{})
	if err := b.Init(core.Options{}); err == nil || err.Error() != "strict: no primitives configured" {
		t.Errorf("Init = %v, want \"strict: no primitives configured\"", err)
	}
	if d, err := b.NewDigest(core.HashSHA256); !errors.Is(err, core.ErrUnsupportedDigest) {
		t.Errorf("NewDigest = %v, %v; want ErrUnsupportedDigest", d, err)
	}
	if d, err := b.Describe(); err != nil || len(d.PubKeyAlgos) != 0 || len(d.HashAlgos) != 0 || d.FIPS {
		t.Errorf("Describe = %+v, %v; want no algorithms", d, err)
	}
	demo := filepath.Join(testutil.Fixtures(), "demo")
	kr := core.NewKeyring(b)
	imports := kr.ImportFile(filepath.Join(demo, "keys", "rsa2048.asc"))
	v, err := verify.NewVerifier(b, kr, core.StrictDefaults())
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.VerifyFile(filepath.Join(demo, "good-rsa.rpm"))
	if err != nil {
		t.Fatalf("no verdict: %v", err)
	}
	// No digest can start, so every item is NOTFOUND and required.
	const want = "HeaderSig@267=NOTFOUND,HeaderSig@268=NOTFOUND,HeaderSig@278=NOTFOUND,HeaderSHA3-256=NOTFOUND,HeaderSHA256=NOTFOUND," +
		"PayloadSHA3-256=NOTFOUND,PayloadSHA3-256ALT=NOTFOUND,PayloadSHA512=NOTFOUND,PayloadSHA512ALT=NOTFOUND,PayloadSHA256ALT=NOTFOUND," +
		"PayloadSHA256=NOTFOUND,LegacySig@1005=NOTFOUND,LegacySig@1002=NOTFOUND"
	if !res.Failed || res.CaseItems() != want {
		t.Errorf("good-rsa.rpm: failed=%v %s\nwant failed, %s", res.Failed, res.CaseItems(), want)
	}
	// The key's MPIs need the primitives too: the import fails.
	if len(imports) != 1 || imports[0].RC != core.RCFail || imports[0].Err != "key 1 import failed." {
		t.Errorf("import = %+v, want one failed import", imports)
	}
}
