package verifytest

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestZeroConfigRejectsUnsigned: the zero core.VerifyConfig is the strict,
// safe one. With both real backends (in process, the keyring of the demo
// packages), an unsigned package fails and a signed one passes; the CLI's
// exit status for the unsigned package would be 1 (one failed package).
func TestZeroConfigRejectsUnsigned(t *testing.T) {
	demo := filepath.Join(testutil.Fixtures(), "demo")
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		b       core.Backend
		pkg     string
		failed  bool
		items   string
		summary string
	}{
		{"gocrypto", newStrict(t, at), "unsigned.rpm", true,
			"HeaderSig@267=NOTFOUND,HeaderSig@268=NOTFOUND,HeaderSig@278=NOTFOUND,HeaderSHA256=OK,HeaderSHA1=OK,PayloadSHA256=OK,LegacySig@1005=NOTFOUND,LegacySig@1002=NOTFOUND,MD5=OK",
			" digests SIGNATURES NOT OK"},
		{"gocrypto", newStrict(t, at), "good-rsa.rpm", false,
			"HeaderSig@268=OK,HeaderSHA256=OK,HeaderSHA1=OK,PayloadSHA256=OK,MD5=OK", " digests signatures OK"},
		// The zero config is rpm 6's flow whatever the backend.
		{"internal-legacy", newLegacy(t), "unsigned.rpm", true,
			"HeaderSig@267=NOTFOUND,HeaderSig@268=NOTFOUND,HeaderSig@278=NOTFOUND,HeaderSHA256=OK,HeaderSHA1=OK,PayloadSHA256=OK,LegacySig@1005=NOTFOUND,LegacySig@1002=NOTFOUND,MD5=OK",
			" digests SIGNATURES NOT OK"},
	} {
		t.Run(tc.name+"/"+tc.pkg, func(t *testing.T) {
			kr := core.NewKeyring(tc.b)
			for _, k := range []string{"rsa2048.asc", "ed25519.asc"} {
				for _, res := range kr.ImportFile(filepath.Join(demo, "keys", k)) {
					if !res.OK() {
						t.Fatalf("import: %+v", res)
					}
				}
			}
			v, err := verify.NewVerifier(tc.b, kr, core.VerifyConfig{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := v.VerifyFile(filepath.Join(demo, tc.pkg))
			if err != nil {
				t.Fatalf("no verdict: %v", err)
			}
			if res.Failed != tc.failed || res.CaseItems() != tc.items || res.Summary() != tc.summary {
				t.Errorf("failed=%v items=%s summary=%q\nwant failed=%v items=%s summary=%q", res.Failed, res.CaseItems(), res.Summary(), tc.failed, tc.items, tc.summary)
			}
		})
	}
}
