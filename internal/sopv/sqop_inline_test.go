package sopv

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// sqopInlineDiffers lists the inline and cleartext corpus cases where
// `rpmpgp sopv inline-verify` and `sqop inline-verify` answer differently.
// The conformance harness does not run these kinds (not applicable to
// rpm), so divergences.tsv has no rows for them; the reasons live here.
var sqopInlineDiffers = map[string]sqopDiff{
	// Sequoia 1.12 predates RFC 9580: v6 keys and signatures are BAD_DATA.
	"openpgp-vectors/rfc9580:RFC9580-A6-CLEARTEXT-V6":   {reason: "v6 (RFC 9580): Sequoia 1.12 cannot parse it"},
	"openpgp-vectors/rfc9580:RFC9580-A7-INLINE-V6":      {reason: "v6 (RFC 9580): Sequoia 1.12 cannot parse it"},
	"openpgp-vectors/rpgp:RPGP-9580-V6-25519-ANNEX-A-4": {reason: "v6 (RFC 9580): Sequoia 1.12 cannot parse it"},
	"openpgp-vectors/rpgp:RPGP-9580-V6-ED448-X448":      {reason: "v6 (RFC 9580): Sequoia 1.12 cannot parse it"},
	"openpgp-vectors/rpgp:RPGP-9580-V6-ED25519-X448":    {reason: "v6 (RFC 9580): Sequoia 1.12 cannot parse it"},
	"openpgp-vectors/rpgp:RPGP-9580-V6-RSA":             {reason: "v6 (RFC 9580): Sequoia 1.12 cannot parse it"},
	"openpgp-vectors/rpgp:RPGP-9580-V6-NISTP":           {reason: "v6 (RFC 9580): Sequoia 1.12 cannot parse it"},
	"openpgp-vectors/rpgp:RPGP-9580-V6-LEGACY_ILLEGAL":  {exitOnly: true, reason: "illegal v6 key with a legacy algorithm: not imported here (NO_SIGNATURE), BAD_DATA in Sequoia 1.12"},
	"openpgp-vectors/gnupg:GPG-ED25519-R-SHORT":         {reason: "the only self-signature is later than the data signature: rpm-sequoia PR #52 accepts a cert valid now, Sequoia 1.12 wants a binding at signature time"},
	"openpgp-vectors/gnupg:GPG-ED25519-S-SHORT":         {reason: "the only self-signature is later than the data signature: rpm-sequoia PR #52 accepts a cert valid now, Sequoia 1.12 wants a binding at signature time"},
	"openpgp-vectors/gnupg:GPG-MSG_SL_ASC":              {exitOnly: true, reason: "prefixed signature (SHA-1, refused by both policies): NO_SIGNATURE here, BAD_DATA in Sequoia"},
	"openpgp-vectors/gnupg:GPG-BAD_OOLS_ASC":            {exitOnly: true, reason: "two one-pass signatures, one signature: BAD_DATA here (RFC 9580, Section 10.3 grammar), NO_SIGNATURE in Sequoia"},
	"openpgp-vectors/rnp:RNP-INLINE-NOSIG":              {exitOnly: true, reason: "one-pass signature without its signature: BAD_DATA here, NO_SIGNATURE in Sequoia"},
	// The backend cannot parse the signature packet (version 7; truncated):
	// BAD_DATA here when no other signature is good, an ignored packet in
	// Sequoia.
	"openpgp-vectors/rnp:RNP-INLINE-MALFSIG": {exitOnly: true, reason: "malformed signature (version 7): BAD_DATA here, ignored (NO_SIGNATURE) by Sequoia"},
	"openpgp-vectors/rnp:RNP-CLEARTEXT-MALF": {exitOnly: true, reason: "malformed (truncated) signature: BAD_DATA here, ignored (NO_SIGNATURE) by Sequoia"},
}

// sqopInlineMinCases is the least number of inline and cleartext cases the
// comparison must run (62 rows in the corpus of 2026-11).
const sqopInlineMinCases = 60

// TestInlineVerifyMatchesSqop runs `sopv inline-verify CERTS < MESSAGE` on
// every inline and cleartext case of the shared corpus through rpmpgp
// (gocrypto in process) and sqop: the same exit code, the same signers in
// --verifications-out and, on success, the same content on stdout (sqop
// adds a newline after a cleartext message's text, which is compared
// without it).
func TestInlineVerifyMatchesSqop(t *testing.T) {
	testutil.NeedTool(t, "sqop", "the Sequoia SOP oracle (apt-get install sqop)")
	root := testutil.Corpus(t)
	all, err := corpus.ReadVectors(filepath.Join(root, "openpgp-vectors"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ran, agree, differ := 0, 0, 0
	used := map[string]bool{}
	for i := range all {
		c := &all[i]
		if c.Kind != corpus.KindInline && c.Kind != corpus.KindCleartext {
			continue
		}
		key := c.Key()
		msg, err := os.ReadFile(c.Input)
		if err != nil {
			t.Fatal(err)
		}
		certs := caseArgs(t, c, dir)[1:]
		vOurs := filepath.Join(dir, "ours-"+c.ID)
		code, stdout, stderr := runSopv(t, msg, append([]string{"inline-verify", "--verifications-out=" + vOurs}, certs...)...)
		vSq := filepath.Join(dir, "sqop-"+c.ID)
		sqCode, sqOut, err := runSqopInline(msg, append([]string{"inline-verify", "--verifications-out=" + vSq}, certs...))
		if err != nil {
			t.Fatalf("%s: sqop: %v", key, err)
		}
		ours := outcomeOf(code, readOrEmpty(vOurs))
		sq := outcomeOf(sqCode, readOrEmpty(vSq))
		ran++
		diff, listed := sqopInlineDiffers[key]
		if ours.String() == sq.String() {
			want := sqOut
			if c.Kind == corpus.KindCleartext {
				// sqop 0.27 ends a cleartext message's content with one
				// more newline than the signed text has.
				want = strings.TrimSuffix(want, "\n")
			}
			if code == 0 && stdout != want {
				t.Errorf("%s: content differs: rpmpgp sopv %q, sqop %q", key, stdout, sqOut)
			}
			agree++
			if listed {
				t.Errorf("%s: listed in sqopInlineDiffers (%s) but both say %s", key, diff.reason, ours)
			}
			continue
		}
		differ++
		switch {
		case !listed:
			t.Errorf("%s: rpmpgp sopv %s, sqop %s (stderr %q)", key, ours, sq, strings.TrimSpace(stderr))
		case diff.exitOnly && (ours.code == 0 || sq.code == 0):
			t.Errorf("%s: sqopInlineDiffers says both reject, but rpmpgp sopv %s, sqop %s", key, ours, sq)
		default:
			used[key] = true
			t.Logf("%s: rpmpgp sopv %s, sqop %s: %s", key, ours, sq, diff.reason)
		}
	}
	for k := range sqopInlineDiffers {
		if !used[k] && !t.Failed() {
			t.Errorf("sqopInlineDiffers entry %s was not exercised", k)
		}
	}
	t.Logf("inline and cleartext cases: %d run, %d agree, %d differ", ran, agree, differ)
	if ran < sqopInlineMinCases {
		t.Errorf("ran %d cases, want at least %d", ran, sqopInlineMinCases)
	}
}

func readOrEmpty(p string) string {
	b, _ := os.ReadFile(p)
	return string(b)
}

// runSqopInline runs sqop with msg on stdin and returns its exit code and
// stdout.
func runSqopInline(msg []byte, args []string) (int, string, error) {
	cmd := exec.Command("sqop", args...)
	cmd.Stdin = bytes.NewReader(msg)
	var out bytes.Buffer
	cmd.Stdout = &out
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), out.String(), nil
	}
	return 0, out.String(), err
}
