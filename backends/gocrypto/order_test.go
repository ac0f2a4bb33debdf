package gocrypto

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
	coreverify "github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestOpenPGPSignatureOrder: rpm 6 prints the elements of RPMTAG_OPENPGP
// (278) newest public-key algorithm first (lib/rpmvs.cc sinfoCmp, with the
// parsed algorithm recorded since rpm PR #4277), as in rpm's test suite: the
// v6 ML-DSA-87+Ed448 signature (array element 1) before the v4 RSA one
// (element 2), not in reverse array order.
func TestOpenPGPSignatureOrder(t *testing.T) {
	dir := filepath.Join(testutil.Corpus(t), "rpm-testsuite")
	b := New()
	if err := b.Init(core.Options{}); err != nil {
		t.Fatal(err)
	}
	kr, imports, err := core.LoadKeyring(b, filepath.Join(dir, "keys", "rpm.org-rsa-2048-test.pub"), filepath.Join(dir, "keys", "unknown", "rpm.org-v6-mldsa87-test.asc"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range imports {
		if !r.OK() {
			t.Fatalf("import: %+v", r)
		}
	}
	v, err := coreverify.NewVerifier(b, kr, core.StrictDefaults())
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "RPMS", "hello-2.0-1.x86_64-signed-mldsa87.rpm"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := v.Verify(f, "pkg")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range res.Shown() {
		got = append(got, it.Line(core.ProfileStrict))
	}
	want := []string{
		"Header OpenPGP V6 ML-DSA-87+Ed448/SHA512 signature, key fingerprint: aed054589cbf858445cfea63e827a16cc45ee27ff4b97d8eb8ec71d34684f4e6: OK",
		"Header OpenPGP V4 RSA/SHA512 signature, key fingerprint: 771b18d3d7baa28734333c424344591e1964c5fc: OK",
		"Header SHA256 digest: OK",
		"Payload SHA256 digest: OK",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || res.Failed {
		t.Errorf("failed %v, lines:\n%s\nwant:\n%s", res.Failed, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
