package sopv

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/openssl"
	"github.com/rpmpgp/rpmpgp/conformance"
	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// sqopDiff explains one case where `rpmpgp sopv verify` (gocrypto,
// rpm-sequoia semantics) and `sqop verify` (Sequoia 1.12's StandardPolicy)
// legitimately answer differently.
type sqopDiff struct {
	// exitOnly: both reject, with other exit codes (3 NO_SIGNATURE vs 41
	// BAD_DATA). The conformance harness counts both as a rejection, so
	// divergences.tsv must NOT list the case for gocrypto or sqop.
	// Otherwise one accepts and the other rejects, and divergences.tsv must
	// explain the case for gocrypto or for sq* (the same policy decision).
	exitOnly bool
	reason   string
}

// sqopDiffers lists the detached corpus cases where the two differ,
// cross-checked against conformance/divergences.tsv by the test.
var sqopDiffers = map[string]sqopDiff{
	// rpm-sequoia judges the certificate at signature time with a fallback
	// to now (PR #52): a signature that predates the key verifies.
	"openpgp-vectors/interop-suite:IS-REVOKED-not-revoked-P-t0":     {reason: "rpm-sequoia PR #52: cert valid now is enough (sig predates the key)"},
	"openpgp-vectors/interop-suite:IS-REVOKED-not-revoked-S-t0":     {reason: "rpm-sequoia PR #52: cert valid now is enough (sig predates the key)"},
	"openpgp-vectors/interop-suite:IS-REVOKED-rev-superseded-P-t0":  {reason: "rpm-sequoia PR #52: cert valid now is enough (sig predates the key)"},
	"openpgp-vectors/interop-suite:IS-REVOKED-rev-superseded-S-t0":  {reason: "rpm-sequoia PR #52: cert valid now is enough (sig predates the key)"},
	"openpgp-vectors/interop-suite:IS-REVOKED-rev-superseded-SS-t0": {reason: "rpm-sequoia PR #52: cert valid now is enough (sig predates the key)"},
	// The only self-signature is later than the data signature: Sequoia
	// 1.12 wants a binding valid at signature time, rpm-sequoia PR #52
	// also accepts a cert valid now.
	"openpgp-vectors/rnp:RNP-STREAM-DETACHED": {reason: "rpm-sequoia PR #52: binding valid now is enough; Sequoia 1.12 wants one at signature time"},
	// rpm-sequoia's policy accepts v3 signatures (DESIGN.md); Sequoia's
	// StandardPolicy refuses the packet (BAD_DATA).
	"openpgp-vectors/sequoia-openpgp:SQ-V3-DSA-SIG": {reason: "rpm-sequoia accepts v3 signatures, Sequoia's StandardPolicy does not"},
	// Both reject. The backend cannot parse the signature packet ("3 bytes
	// of trailing signature material"), which sopv reports as BAD_DATA when
	// no other signature is good; Sequoia keeps such a packet as an
	// unparsed one, ignores it and answers NO_SIGNATURE.
	"openpgp-vectors/go-crypto:GO-RSA-BAD-MPI-LENGTH": {exitOnly: true, reason: "malformed signature: BAD_DATA here, ignored (NO_SIGNATURE) by Sequoia"},
	"openpgp-vectors/go-crypto:GO-RIPEMD160-JUNK":     {exitOnly: true, reason: "malformed signature: BAD_DATA here, ignored (NO_SIGNATURE) by Sequoia"},
	// The second signature is good but DSA/SHA-1 (legacy-weak): both
	// reject it; the first is the malformed one above.
	"openpgp-vectors/go-crypto:GO-DSA-MULTI-SIG-UNSUPPORTED-HASH-FIRST": {exitOnly: true, reason: "malformed first signature (BAD_DATA here), SHA-1 second refused by both"},
}

// sqopMinCases is the least number of detached cases the comparison must
// run (81 openpgp-vectors rows and 10 rpm-testsuite rows in the corpus of
// 2026-11; one may be dropped when sqop crashes on it).
const sqopMinCases = 90

// sopvOutcome is what the comparison looks at: the exit code and the
// (signing key, primary key) pairs of the VERIFICATIONS lines.
type sopvOutcome struct {
	code    int
	signers []string
}

func (o sopvOutcome) String() string {
	return strings.Join(append([]string{"exit " + strconv.Itoa(o.code)}, o.signers...), " ")
}

// outcomeOf parses VERIFICATIONS lines: fields 2 and 3 (fingerprints, upper
// case), sorted and deduplicated.
func outcomeOf(code int, stdout string) sopvOutcome {
	seen := map[string]bool{}
	var signers []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		f := strings.Fields(l)
		if len(f) < 3 {
			continue
		}
		s := strings.ToUpper(f[1]) + "/" + strings.ToUpper(f[2])
		if !seen[s] {
			seen[s] = true
			signers = append(signers, s)
		}
	}
	sort.Strings(signers)
	return sopvOutcome{code: code, signers: signers}
}

// detachedCases reads every detached case of the shared corpus.
func detachedCases(t *testing.T) []corpus.Case {
	root := testutil.Corpus(t)
	vec, err := corpus.ReadVectors(filepath.Join(root, "openpgp-vectors"))
	if err != nil {
		t.Fatal(err)
	}
	rt, err := corpus.ReadCasesTSV(filepath.Join(root, "rpm-testsuite", "cases.tsv"), corpus.SourceRPMTestsuite)
	if err != nil {
		t.Fatal(err)
	}
	var out []corpus.Case
	for _, c := range append(vec, rt...) {
		if c.Kind == corpus.KindDetached && c.NotApplicable == "" {
			out = append(out, c)
		}
	}
	return out
}

// caseArgs returns the SIGNATURES and CERTS arguments of c (an empty
// CERTS file when the case has no keyring: both tools need one).
func caseArgs(t *testing.T, c *corpus.Case, dir string) []string {
	certs := c.Keyring
	if len(certs) == 0 {
		p := filepath.Join(dir, "empty-certs")
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		certs = []string{p}
	}
	return append([]string{c.Input}, certs...)
}

// TestVerifyMatchesSqop runs `sopv verify SIG CERTS < DATA` on every
// detached case of the shared corpus through rpmpgp (gocrypto in process)
// and through sqop, and requires the same exit code and the same signer
// fingerprints, except for the cases of sqopDiffers.
func TestVerifyMatchesSqop(t *testing.T) {
	testutil.NeedTool(t, "sqop", "the Sequoia SOP oracle (apt-get install sqop)")
	cases := detachedCases(t)
	for _, name := range []string{"gocrypto", "openssl"} {
		t.Run(name, func(t *testing.T) {
			if name == "openssl" {
				if _, err := openssl.New(openssl.Options{}); err != nil {
					testutil.Missing(t, "openssl backend: %v", err)
				}
			}
			compareVerify(t, cases, inproc{t: t, name: name})
		})
	}
}

// compareVerify runs the comparison with one backend; the divergence
// registry is consulted for that backend's name.
func compareVerify(t *testing.T, cases []corpus.Case, b inproc) {
	reg := conformance.DefaultRegistry()
	dir := t.TempDir()
	ran, agree, differ, crashed := 0, 0, 0, 0
	used := map[string]bool{}
	for i := range cases {
		c := &cases[i]
		key := c.Key()
		args := caseArgs(t, c, dir)
		sq, err := runSqop(c, args)
		if err != nil {
			t.Fatalf("%s: sqop: %v", key, err)
		}
		if sq.code == 101 {
			// sqop panicked (GO-UNKNOWN-HASH-153, divergences.tsv): no answer
			// to compare with.
			if reg.Match(key, "sqop") == nil {
				t.Errorf("%s: sqop crashed (exit 101) and divergences.tsv does not say so", key)
			}
			crashed++
			continue
		}
		data, err := readData(c)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		code, stdout, stderr := runSopvWith(t, b, data, append([]string{"verify"}, args...)...)
		ours := outcomeOf(code, stdout)
		ran++
		diff, listed := sqopDiffers[key]
		if ours.String() == sq.String() {
			agree++
			if listed {
				t.Errorf("%s: listed in sqopDiffers (%s) but both say %s", key, diff.reason, ours)
			}
			continue
		}
		differ++
		if !listed {
			t.Errorf("%s: rpmpgp sopv %s, sqop %s (stderr %q)", key, ours, sq, strings.TrimSpace(stderr))
			continue
		}
		used[key] = true
		registered := reg.Match(key, b.name) != nil || reg.Match(key, "sqop") != nil
		switch {
		case diff.exitOnly && (ours.code == 0 || sq.code == 0):
			t.Errorf("%s: sqopDiffers says both reject, but rpmpgp sopv %s, sqop %s", key, ours, sq)
		case diff.exitOnly && registered:
			t.Errorf("%s: sqopDiffers says both reject, but divergences.tsv lists it for %s or sqop", key, b.name)
		case !diff.exitOnly && !registered:
			t.Errorf("%s: in sqopDiffers (%s) but divergences.tsv explains neither %s nor sqop", key, diff.reason, b.name)
		}
		t.Logf("%s: rpmpgp sopv %s, sqop %s: %s", key, ours, sq, diff.reason)
	}
	for k := range sqopDiffers {
		if !used[k] && !t.Failed() {
			t.Errorf("sqopDiffers entry %s was not exercised", k)
		}
	}
	t.Logf("detached cases: %d run, %d agree, %d differ (all in sqopDiffers), %d sqop crashes skipped", ran, agree, differ, crashed)
	if ran < sqopMinCases {
		t.Errorf("ran %d cases, want at least %d", ran, sqopMinCases)
	}
}

// readData reads a case's DATA into memory (the largest, 100 MiB of zeros,
// is fine for a test).
func readData(c *corpus.Case) ([]byte, error) {
	r, err := c.Data.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// runSqop runs `sqop verify ARGS... < DATA`.
func runSqop(c *corpus.Case, args []string) (sopvOutcome, error) {
	r, err := c.Data.Open()
	if err != nil {
		return sopvOutcome{}, err
	}
	defer r.Close()
	cmd := exec.Command("sqop", append([]string{"verify"}, args...)...)
	cmd.Stdin = r
	var out bytes.Buffer
	cmd.Stdout = &out
	err = cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		return sopvOutcome{}, err
	}
	return outcomeOf(code, out.String()), nil
}
