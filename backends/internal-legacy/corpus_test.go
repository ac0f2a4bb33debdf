package legacy

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/casefile"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

func readCases(t *testing.T, root string) []casefile.Case {
	t.Helper()
	rows, err := casefile.ReadFile(filepath.Join(root, "rpm-testsuite", "cases.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// corpusSkip lists rows this backend cannot make agree with rpm 4.18, each
// with a reason. It is empty: every sigparse, fingerprint, detached and key
// row agrees.
var corpusSkip = map[string]string{}

func readInput(t *testing.T, dir, spec string) []byte {
	t.Helper()
	if h, ok := strings.CutPrefix(spec, "hex:"); ok {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b, err := os.ReadFile(filepath.Join(dir, spec))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// importState emulates an rpm 4.18 rpmdb keyring for `rpmkeys --import`:
// gpg-pubkey entries keyed by the primary key ID (rpmKeyringAddKey ignores
// a key ID it already has, so there is no merge).
type importState struct {
	names map[core.KeyID]string
}

// importFile is rpm 4.18's doImport (lib/rpmchecksig.c) + rpmtsImportPubkey
// (lib/rpmts.c) on one file: for every "-----BEGIN PGP " mark,
// pgpParsePkts from there must give a PUBLIC KEY BLOCK; its data is split
// with pgpPubKeyCertLen; each cert is linted (4.18: stub), parsed
// (rpmPubkeyNew: pgpPubkeyKeyID + pgpPrtParams), its subkeys taken
// (rpmGetSubkeys fails => import fails), and recorded unless the key ID is
// known. It returns the number of failures (rpmkeys' exit status).
func (s *importState) importFile(b *Backend, buf []byte) int {
	// buf is a C string for strstr and pgpParsePkts.
	if i := bytes.IndexByte(buf, 0); i >= 0 {
		buf = buf[:i]
	}
	const mark = "-----BEGIN PGP "
	res := 0
	start := bytes.Index(buf, []byte(mark))
	for {
		var text []byte
		if start >= 0 {
			text = buf[start:]
		}
		kind, data, err := b.ParseArmor(text)
		if err == nil && kind == core.ArmorPubKey {
			for len(data) > 0 {
				n, err := b.CertLen(data)
				if err != nil {
					res++
					break
				}
				if !s.importCert(b, data[:n]) {
					res++
				}
				data = data[n:]
			}
		} else {
			res++ // "key N not an armored public key"
		}
		if start >= 0 && start+len(mark) < len(buf) {
			next := bytes.Index(buf[start+len(mark):], []byte(mark))
			if next < 0 {
				break
			}
			start += len(mark) + next
		} else {
			break
		}
	}
	return res
}

func (s *importState) importCert(b *Backend, cert []byte) bool {
	if v, err := b.LintKey(cert); err != nil || v.RC != core.RCOK {
		return false
	}
	if len(cert) == 0 {
		return false
	}
	id, err := b.KeyID(cert)
	if err != nil {
		return false
	}
	pr, err := b.ParseCertificate(cert)
	if err != nil || !pr.OK() {
		return false
	}
	if _, err := b.Subkeys(cert); err != nil {
		return false
	}
	if _, ok := s.names[id]; ok {
		return true
	}
	s.names[id] = fmt.Sprintf("gpg-pubkey-%s-%x", pr.Params.KeyID.Short(), pr.Params.CreationTime)
	return true
}

func (s *importState) keys() string {
	if len(s.names) == 0 {
		return "-"
	}
	var l []string
	for _, n := range s.names {
		l = append(l, n)
	}
	sort.Strings(l)
	return strings.Join(l, "+")
}

// stripLint drops the advisory ";lint=..." field of a key expectation.
func stripLint(s string) string {
	var out []string
	for _, f := range strings.Split(s, ";") {
		if !strings.HasPrefix(f, "lint=") {
			out = append(out, f)
		}
	}
	return strings.Join(out, ";")
}

// keyringEntry is one rpm 4.18 keyring entry (a primary key or a subkey).
type keyringEntry struct{ p *core.Params }

// loadKeyring builds a 4.18 keyring from key files (rpmPubkeyNew +
// rpmGetSubkeys + rpmKeyringAddKey): entries in order, the first entry of
// each key ID wins.
func loadKeyring(t *testing.T, b *Backend, dir string, files []string) []keyringEntry {
	t.Helper()
	var ring []keyringEntry
	seen := map[core.KeyID]bool{}
	add := func(p *core.Params) {
		if !seen[p.KeyID] {
			seen[p.KeyID] = true
			ring = append(ring, keyringEntry{p})
		}
	}
	for _, f := range files {
		raw := readInput(t, dir, f)
		data := raw
		if kind, dec, err := b.ParseArmor(raw); err == nil && kind == core.ArmorPubKey {
			data = dec
		}
		pr, err := b.ParseCertificate(data)
		if err != nil || !pr.OK() {
			continue
		}
		subs, err := b.Subkeys(data)
		if err != nil {
			continue
		}
		add(pr.Params)
		for _, s := range subs {
			add(s)
		}
	}
	return ring
}

// findBySig is rpm 4.18's findbySig: the entry with the signature's key ID,
// dropped when its public-key algorithm differs from the signature's.
func findBySig(ring []keyringEntry, sig *core.Params) *core.Params {
	for _, e := range ring {
		if e.p.KeyID == sig.KeyID {
			if e.p.PubKeyAlgo != sig.PubKeyAlgo {
				return nil
			}
			return e.p
		}
	}
	return nil
}

func detachedVerdict(t *testing.T, b *Backend, dir string, row casefile.Case) string {
	t.Helper()
	sigPkt := readInput(t, dir, row.Inputs[0])
	data := readInput(t, dir, row.Inputs[1])
	pr, err := b.ParseSignature(sigPkt)
	if err != nil {
		t.Fatal(err)
	}
	if !pr.OK() {
		return "parse-fail"
	}
	var ring []keyringEntry
	if row.Keyring != nil {
		ring = loadKeyring(t, b, dir, row.Keyring)
	}
	d, err := b.NewDigest(pr.Params.HashAlgo)
	if err != nil {
		t.Fatalf("%s: %v", row.ID, err)
	}
	d.Write(data)
	v, err := b.VerifySignature(findBySig(ring, pr.Params), pr.Params, d)
	if err != nil {
		t.Fatalf("%s: %v", row.ID, err)
	}
	return v.RC.String()
}

func TestCorpusCases(t *testing.T) {
	root := testutil.Corpus(t)
	dir := filepath.Join(root, "rpm-testsuite")
	b := New()
	counts := map[string][2]int{}
	for _, row := range readCases(t, root) {
		switch row.Kind {
		case "sigparse", "fingerprint", "detached", "key":
		default:
			continue
		}
		row := row
		t.Run(row.ID, func(t *testing.T) {
			if why, ok := corpusSkip[row.ID]; ok {
				c := counts[row.Kind]
				c[1]++
				counts[row.Kind] = c
				t.Skip(why)
			}
			var got, want string
			switch row.Kind {
			case "sigparse":
				pr, err := b.ParseSignature(readInput(t, dir, row.Inputs[0]))
				if err != nil {
					t.Fatal(err)
				}
				got = "parse-fail"
				if pr.OK() {
					got = "OK"
				}
				want = row.ExpectLegacy
			case "fingerprint":
				fp, err := b.Fingerprint(readInput(t, dir, row.Inputs[0]))
				got = "fail"
				if err == nil {
					got = hex.EncodeToString(fp)
				}
				want = row.ExpectLegacy
			case "detached":
				got = detachedVerdict(t, b, dir, row)
				want = row.ExpectLegacy
			case "key":
				st := &importState{names: map[core.KeyID]string{}}
				for _, k := range row.Keyring {
					st.importFile(b, readInput(t, dir, k))
				}
				res := st.importFile(b, readInput(t, dir, row.Inputs[0]))
				imp := "ok"
				if res != 0 {
					imp = "fail"
				}
				got = "import=" + imp + ";keys=" + st.keys()
				want = stripLint(row.ExpectLegacy)
			}
			if got != want {
				t.Errorf("%s (%s): got %q, rpm 4.18 gives %q", row.ID, row.Kind, got, want)
			} else {
				c := counts[row.Kind]
				c[0]++
				counts[row.Kind] = c
			}
		})
	}
	ran := 0
	for _, k := range []string{"sigparse", "fingerprint", "detached", "key"} {
		t.Logf("kind %-11s agreed %d, skipped %d", k, counts[k][0], counts[k][1])
		ran += counts[k][0] + counts[k][1]
		// Every kind must have run: a corpus that lost a kind's rows
		// (or a renamed kind) must not pass by running none of them.
		if counts[k][0] == 0 {
			t.Errorf("no %s case agreed", k)
		}
	}
	// A corpus that lost rows must not pass by running fewer.
	if ran < minCorpusCases {
		t.Errorf("ran %d rpm-testsuite cases, want at least %d", ran, minCorpusCases)
	}
}

// minCorpusCases is the fewest rpm-testsuite cases TestCorpusCases may
// run: 48 on 2026-12-06 (sigparse 7, fingerprint 6, detached 10, key 25).
const minCorpusCases = 45
