package legacy

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// caseRow is one row of rpm-testsuite/cases.tsv (CASES-FORMAT.md).
type caseRow struct {
	id, kind, inputs, keyring, expectStrict, expectLegacy, observed, notes string
}

func readCases(t *testing.T, root string) []caseRow {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "rpm-testsuite", "cases.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []caseRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	header := true
	for sc.Scan() {
		line := sc.Text()
		if header {
			header = false
			continue
		}
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 8 {
			t.Fatalf("cases.tsv: %d columns in %q", len(c), line)
		}
		rows = append(rows, caseRow{c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]})
	}
	if err := sc.Err(); err != nil {
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

func detachedVerdict(t *testing.T, b *Backend, dir string, row caseRow) string {
	t.Helper()
	in := strings.Split(row.inputs, ";")
	if len(in) != 2 {
		t.Fatalf("%s: inputs %q", row.id, row.inputs)
	}
	sigPkt := readInput(t, dir, in[0])
	data := readInput(t, dir, in[1])
	pr, err := b.ParseSignature(sigPkt)
	if err != nil {
		t.Fatal(err)
	}
	if !pr.OK() {
		return "parse-fail"
	}
	var ring []keyringEntry
	if row.keyring != "-" {
		ring = loadKeyring(t, b, dir, strings.Split(row.keyring, ";"))
	}
	d, err := b.NewDigest(pr.Params.HashAlgo)
	if err != nil {
		t.Fatalf("%s: %v", row.id, err)
	}
	d.Write(data)
	v, err := b.VerifySignature(findBySig(ring, pr.Params), pr.Params, d)
	if err != nil {
		t.Fatalf("%s: %v", row.id, err)
	}
	return v.RC.String()
}

func TestCorpusCases(t *testing.T) {
	root := testutil.Corpus(t)
	dir := filepath.Join(root, "rpm-testsuite")
	b := New()
	counts := map[string][2]int{}
	for _, row := range readCases(t, root) {
		switch row.kind {
		case "sigparse", "fingerprint", "detached", "key":
		default:
			continue
		}
		row := row
		t.Run(row.id, func(t *testing.T) {
			if why, ok := corpusSkip[row.id]; ok {
				c := counts[row.kind]
				c[1]++
				counts[row.kind] = c
				t.Skip(why)
			}
			var got, want string
			switch row.kind {
			case "sigparse":
				pr, err := b.ParseSignature(readInput(t, dir, row.inputs))
				if err != nil {
					t.Fatal(err)
				}
				got = "parse-fail"
				if pr.OK() {
					got = "OK"
				}
				want = row.expectLegacy
			case "fingerprint":
				fp, err := b.Fingerprint(readInput(t, dir, row.inputs))
				got = "fail"
				if err == nil {
					got = hex.EncodeToString(fp)
				}
				want = row.expectLegacy
			case "detached":
				got = detachedVerdict(t, b, dir, row)
				want = row.expectLegacy
			case "key":
				st := &importState{names: map[core.KeyID]string{}}
				if row.keyring != "-" {
					for _, k := range strings.Split(row.keyring, ";") {
						st.importFile(b, readInput(t, dir, k))
					}
				}
				res := st.importFile(b, readInput(t, dir, row.inputs))
				imp := "ok"
				if res != 0 {
					imp = "fail"
				}
				got = "import=" + imp + ";keys=" + st.keys()
				want = stripLint(row.expectLegacy)
			}
			if got != want {
				t.Errorf("%s (%s): got %q, rpm 4.18 gives %q", row.id, row.kind, got, want)
			} else {
				c := counts[row.kind]
				c[0]++
				counts[row.kind] = c
			}
		})
	}
	for _, k := range []string{"sigparse", "fingerprint", "detached", "key"} {
		t.Logf("kind %-11s agreed %d, skipped %d", k, counts[k][0], counts[k][1])
	}
}
