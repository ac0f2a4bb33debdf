package policyconf

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// Golden tests over ../shared/policies (third-party files, read in place).
// The expected values are policy-format.md section 4's table.

type col int

const (
	colDEFAULT col = iota
	colLEGACY
	colFUTURE
	colFIPS
)

// fedoraTable is policy-format.md section 4 for the rpm-sequoia.config
// files (A = "always", N = "never"). Names that a file does not mention are
// rejected by its default_disposition = "never"; the table lists them too
// (brainpoolp384, slhdsa*), so that it covers every known name.
var fedoraTable = []struct {
	sec   string
	names []string
	v     [4]string
}{
	{secHash, []string{"md5", "ripemd160"}, [4]string{"N", "N", "N", "N"}},
	{secHash, []string{"sha1"}, [4]string{"A", "A", "N", "N"}},
	{secHash, []string{"sha224"}, [4]string{"A", "A", "N", "A"}},
	{secHash, []string{"sha256", "sha384", "sha512", "sha3-256", "sha3-512"}, [4]string{"A", "A", "A", "A"}},
	{secSymmetric, []string{"idea", "tripledes", "cast5", "blowfish", "aes192", "twofish", "camellia192"}, [4]string{"N", "N", "N", "N"}},
	{secSymmetric, []string{"aes128"}, [4]string{"A", "A", "N", "A"}},
	{secSymmetric, []string{"aes256"}, [4]string{"A", "A", "A", "A"}},
	{secSymmetric, []string{"camellia128"}, [4]string{"A", "A", "N", "N"}},
	{secSymmetric, []string{"camellia256"}, [4]string{"A", "A", "A", "N"}},
	{secAsymmetric, []string{"rsa1024"}, [4]string{"N", "A", "N", "N"}},
	{secAsymmetric, []string{"rsa2048"}, [4]string{"A", "A", "N", "A"}},
	{secAsymmetric, []string{"rsa3072", "rsa4096"}, [4]string{"A", "A", "A", "A"}},
	{secAsymmetric, []string{"dsa1024", "dsa2048", "dsa3072", "dsa4096"}, [4]string{"A", "A", "N", "N"}},
	{secAsymmetric, []string{"nistp256", "nistp384", "nistp521"}, [4]string{"A", "A", "A", "A"}},
	{secAsymmetric, []string{"cv25519", "x25519", "x448", "ed25519", "eddsa", "ed448", "mlkem768-x25519", "mlkem1024-x448"}, [4]string{"A", "A", "A", "N"}},
	{secAsymmetric, []string{"mldsa65-ed25519", "mldsa87-ed448"}, [4]string{"A", "A", "A", "A"}},
	{secAsymmetric, []string{"elgamal1024", "elgamal2048", "elgamal3072", "elgamal4096", "brainpoolp256", "brainpoolp512"}, [4]string{"N", "N", "N", "N"}},
	{secAsymmetric, []string{"brainpoolp384", "slhdsa128s", "slhdsa128f", "slhdsa256s"}, [4]string{"N", "N", "N", "N"}},
	{secAEAD, []string{"eax", "ocb"}, [4]string{"A", "A", "A", "N"}},
	{secAEAD, []string{"gcm"}, [4]string{"A", "A", "A", "A"}},
}

// tableOf returns the policy map for a section (hash: both maps).
func tablesOf(p *Policy, sec string) []map[string]*time.Time {
	switch sec {
	case secHash:
		return []map[string]*time.Time{p.HashCR, p.HashSPR}
	case secAsymmetric:
		return []map[string]*time.Time{p.Asymmetric}
	case secSymmetric:
		return []map[string]*time.Time{p.Symmetric}
	case secAEAD:
		return []map[string]*time.Time{p.AEAD}
	}
	panic(sec)
}

func setAN(p *Policy, sec, name, v string) {
	var c *time.Time
	if v == "N" {
		c = neverCutoff()
	}
	for _, m := range tablesOf(p, sec) {
		m[name] = c
	}
}

// fedoraExpected builds the expected policy of a Fedora file: the defaults
// (packets untouched), every algorithm set as the table says, then the
// per-file changes.
func fedoraExpected(c col, changes map[string]string) *Policy {
	p := Default()
	for _, row := range fedoraTable {
		for _, n := range row.names {
			setAN(p, row.sec, n, row.v[c])
		}
	}
	for k, v := range changes {
		sec, name, _ := strings.Cut(k, "/")
		setAN(p, sec, name, v)
	}
	return p
}

// emptyExpected rejects every algorithm (EMPTY.*.config).
func emptyExpected() *Policy {
	p := Default()
	for _, row := range fedoraTable {
		for _, n := range row.names {
			setAN(p, row.sec, n, "N")
		}
	}
	return p
}

var (
	sequoiaDEFAULT = map[string]string{
		secHash + "/sha1": "N", secAsymmetric + "/dsa1024": "N", secAsymmetric + "/dsa2048": "N",
		secAsymmetric + "/dsa3072": "N", secAsymmetric + "/dsa4096": "N",
	}
	fedora42 = map[string]string{
		secAsymmetric + "/mlkem768-x25519": "N", secAsymmetric + "/mlkem1024-x448": "N",
		secAsymmetric + "/mldsa65-ed25519": "N", secAsymmetric + "/mldsa87-ed448": "N",
	}
)

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// may2023 is the old (2023-05) DEFAULT format: no sha3, no x25519 & co,
// no aead section (so the AEAD defaults stay).
func may2023(sha1DSA string) *Policy {
	p := Default()
	for _, row := range fedoraTable {
		if row.sec == secAEAD {
			continue
		}
		for _, n := range row.names {
			setAN(p, row.sec, n, "N")
		}
	}
	for _, n := range []string{"sha224", "sha256", "sha384", "sha512"} {
		setAN(p, secHash, n, "A")
	}
	for _, n := range []string{"aes128", "aes256", "camellia128", "camellia256"} {
		setAN(p, secSymmetric, n, "A")
	}
	for _, n := range []string{"rsa2048", "rsa3072", "rsa4096", "nistp256", "nistp384", "nistp521", "cv25519"} {
		setAN(p, secAsymmetric, n, "A")
	}
	setAN(p, secHash, "sha1", sha1DSA)
	for _, n := range []string{"dsa1024", "dsa2048", "dsa3072", "dsa4096"} {
		setAN(p, secAsymmetric, n, sha1DSA)
	}
	return p
}

func aptExpected() *Policy {
	p := Default()
	for _, n := range []string{"dsa2048", "dsa3072", "dsa4096"} {
		p.Asymmetric[n] = date(2024, 2, 1)
	}
	for _, n := range []string{"brainpoolp256", "brainpoolp384", "brainpoolp512"} {
		p.Asymmetric[n] = date(2028, 2, 1)
	}
	p.Asymmetric["rsa2048"] = date(2030, 2, 1)
	p.HashSPR["sha1"] = date(2026, 2, 1) // CR keeps the default 2013-02-01
	p.HashCR["sha224"], p.HashSPR["sha224"] = date(2026, 2, 1), date(2026, 2, 1)
	// A per-version entry does not clear the others: v5 stays rejected.
	p.PacketVersions["signature"][3] = date(2026, 2, 1)
	return p
}

func mkosiExpected() *Policy {
	p := Default()
	for _, n := range hashNames {
		setAN(p, secHash, n, "N")
	}
	p.HashSPR["sha1"] = nil
	for _, n := range []string{"sha224", "sha256", "sha384", "sha512"} {
		setAN(p, secHash, n, "A")
	}
	return p
}

func goodExpected() *Policy {
	p := Default()
	setAN(p, secHash, "sha1", "A")
	return p
}

// corpusCases maps every file of ../shared/policies to its expectation.
var corpusCases = map[string]struct {
	want    func() *Policy
	wantErr string // for files that must fail
}{
	"DEFAULT.rpm-sequoia.config":            {want: func() *Policy { return fedoraExpected(colDEFAULT, nil) }},
	"DEFAULT.sequoia.config":                {want: func() *Policy { return fedoraExpected(colDEFAULT, sequoiaDEFAULT) }},
	"LEGACY.rpm-sequoia.config":             {want: func() *Policy { return fedoraExpected(colLEGACY, nil) }},
	"LEGACY.sequoia.config":                 {want: func() *Policy { return fedoraExpected(colLEGACY, nil) }},
	"FUTURE.rpm-sequoia.config":             {want: func() *Policy { return fedoraExpected(colFUTURE, nil) }},
	"FUTURE.sequoia.config":                 {want: func() *Policy { return fedoraExpected(colFUTURE, nil) }},
	"FIPS.rpm-sequoia.config":               {want: func() *Policy { return fedoraExpected(colFIPS, nil) }},
	"FIPS.sequoia.config":                   {want: func() *Policy { return fedoraExpected(colFIPS, nil) }},
	"FEDORA42.rpm-sequoia.config":           {want: func() *Policy { return fedoraExpected(colDEFAULT, fedora42) }},
	"FEDORA42.sequoia.config":               {want: func() *Policy { return fedoraExpected(colDEFAULT, merge(fedora42, sequoiaDEFAULT)) }},
	"EMPTY.rpm-sequoia.config":              {want: emptyExpected},
	"EMPTY.sequoia.config":                  {want: emptyExpected},
	"DEFAULT.rpm-sequoia.2023-05.config":    {want: func() *Policy { return may2023("A") }},
	"DEFAULT.sequoia.2023-05.config":        {want: func() *Policy { return may2023("N") }},
	"apt-default-sequoia.config":            {want: aptExpected},
	"mkosi-minimal.rpm-sequoia.config":      {want: mkosiExpected},
	"sequoia-policy-config.tests.good.toml": {want: goodExpected},
	"sequoia-policy-config.tests.bad.toml": {wantErr: "sequoia-policy-config.tests.bad.toml: hash_algorithms.sha42: unknown key; " +
		"expected one of: md5, sha1, ripemd160, sha256, sha384, sha512, sha224, sha3-256, sha3-512, default_disposition " +
		"(or a name listed in hash_algorithms.ignore_invalid)"},
}

// policyDiff lists the effective differences between two policies.
func policyDiff(got, want *Policy) []string {
	var out []string
	show := func(c *time.Time) string { return formatCutoff(c) }
	cmp := func(what string, a, b map[string]*time.Time) {
		names := map[string]bool{}
		for n := range a {
			names[n] = true
		}
		for n := range b {
			names[n] = true
		}
		for n := range names {
			if g, w := effective(a, n), effective(b, n); !sameCutoff(g, w) {
				out = append(out, fmt.Sprintf("%s %s: got %s, want %s", what, n, show(g), show(w)))
			}
		}
	}
	cmp("hash CR", got.HashCR, want.HashCR)
	cmp("hash SPR", got.HashSPR, want.HashSPR)
	cmp("asymmetric", got.Asymmetric, want.Asymmetric)
	cmp("symmetric", got.Symmetric, want.Symmetric)
	cmp("aead", got.AEAD, want.AEAD)
	for _, n := range packetNames {
		for v := 0; v <= 255; v++ {
			if g, w := got.packetCutoff(n, v), want.packetCutoff(n, v); !sameCutoff(g, w) {
				out = append(out, fmt.Sprintf("packet %s v%d: got %s, want %s", n, v, show(g), show(w)))
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestFedoraTableCoversEveryName(t *testing.T) {
	seen := map[string]int{}
	for _, row := range fedoraTable {
		for _, n := range row.names {
			seen[row.sec+"/"+n]++
		}
	}
	for sec, names := range map[string][]string{secHash: hashNames, secAsymmetric: asymmetricNames, secSymmetric: symmetricNames, secAEAD: aeadNames} {
		for _, n := range names {
			if seen[sec+"/"+n] != 1 {
				t.Errorf("%s/%s appears %d times in fedoraTable", sec, n, seen[sec+"/"+n])
			}
		}
	}
}

func TestCorpusGolden(t *testing.T) {
	dir := testutil.PoliciesDir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || name == "README.txt" {
			continue
		}
		seen[name] = true
		tc, ok := corpusCases[name]
		if !ok {
			t.Errorf("%s: no expectation for this file; add it to corpusCases", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(name, data)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("Parse succeeded, want error %q", tc.wantErr)
				}
				if err.Error() != tc.wantErr {
					t.Fatalf("error\n got %q\nwant %q", err, tc.wantErr)
				}
				if Check(name, data) == nil {
					t.Fatal("Check accepted a file Parse rejects")
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if err := Check(name, data); err != nil {
				t.Fatalf("Check: %v", err)
			}
			if p.Source != name {
				t.Errorf("Source = %q, want %q", p.Source, name)
			}
			want := tc.want()
			if d := policyDiff(p, want); len(d) > 0 {
				t.Errorf("policy differs from the expected one:\n  %s", strings.Join(d, "\n  "))
			}
			if !p.Equal(want) {
				t.Errorf("Equal disagrees with policyDiff")
			}
			// Round trip through Format.
			q, err := Parse("formatted", []byte(Format(p)))
			if err != nil {
				t.Fatalf("Parse(Format(p)): %v\n%s", err, Format(p))
			}
			if d := policyDiff(q, p); len(d) > 0 {
				t.Errorf("round trip differs:\n  %s", strings.Join(d, "\n  "))
			}
		})
	}
	for name := range corpusCases {
		if !seen[name] {
			t.Errorf("%s: expected in %s but missing", name, dir)
		}
	}
}

// TestCorpusSpotChecks asserts specific cutoffs per file, independently of
// the table machinery above.
func TestCorpusSpotChecks(t *testing.T) {
	dir := testutil.PoliciesDir(t)
	load := func(name string) *Policy {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	never, always := "never", "always"
	checks := []struct {
		file string
		get  func(*Policy) *time.Time
		what string
		want string
	}{
		{"DEFAULT.rpm-sequoia.config", func(p *Policy) *time.Time { return p.HashCR["sha1"] }, "sha1 CR", always},
		{"DEFAULT.sequoia.config", func(p *Policy) *time.Time { return p.HashCR["sha1"] }, "sha1 CR", never},
		{"DEFAULT.rpm-sequoia.config", func(p *Policy) *time.Time { return p.Asymmetric["dsa1024"] }, "dsa1024", always},
		{"DEFAULT.rpm-sequoia.config", func(p *Policy) *time.Time { return p.Asymmetric["brainpoolp384"] }, "brainpoolp384", never},
		{"DEFAULT.rpm-sequoia.config", func(p *Policy) *time.Time { return p.Asymmetric["slhdsa128s"] }, "slhdsa128s", never},
		{"DEFAULT.rpm-sequoia.config", func(p *Policy) *time.Time { return p.Packets["sed"] }, "sed", "2004-02-01"},
		{"DEFAULT.rpm-sequoia.config", func(p *Policy) *time.Time { return p.PacketVersions["signature"][3] }, "signature.v3", always},
		{"LEGACY.rpm-sequoia.config", func(p *Policy) *time.Time { return p.Asymmetric["rsa1024"] }, "rsa1024", always},
		{"FUTURE.rpm-sequoia.config", func(p *Policy) *time.Time { return p.Asymmetric["rsa2048"] }, "rsa2048", never},
		{"FUTURE.rpm-sequoia.config", func(p *Policy) *time.Time { return p.HashSPR["sha224"] }, "sha224 SPR", never},
		{"FIPS.rpm-sequoia.config", func(p *Policy) *time.Time { return p.Asymmetric["eddsa"] }, "eddsa", never},
		{"FIPS.rpm-sequoia.config", func(p *Policy) *time.Time { return p.AEAD["ocb"] }, "ocb", never},
		{"FIPS.rpm-sequoia.config", func(p *Policy) *time.Time { return p.AEAD["gcm"] }, "gcm", always},
		{"FEDORA42.rpm-sequoia.config", func(p *Policy) *time.Time { return p.Asymmetric["mldsa65-ed25519"] }, "mldsa65-ed25519", never},
		{"FEDORA42.rpm-sequoia.config", func(p *Policy) *time.Time { return p.Asymmetric["ed25519"] }, "ed25519", always},
		{"EMPTY.rpm-sequoia.config", func(p *Policy) *time.Time { return p.HashCR["sha256"] }, "sha256 CR", never},
		{"EMPTY.rpm-sequoia.config", func(p *Policy) *time.Time { return p.AEAD["gcm"] }, "gcm", never},
		{"DEFAULT.rpm-sequoia.2023-05.config", func(p *Policy) *time.Time { return p.Asymmetric["cv25519"] }, "cv25519", always},
		{"DEFAULT.rpm-sequoia.2023-05.config", func(p *Policy) *time.Time { return p.Asymmetric["eddsa"] }, "eddsa", never},
		{"DEFAULT.rpm-sequoia.2023-05.config", func(p *Policy) *time.Time { return p.HashCR["sha3-256"] }, "sha3-256 CR", never},
		{"DEFAULT.rpm-sequoia.2023-05.config", func(p *Policy) *time.Time { return p.AEAD["eax"] }, "eax", always},
		{"apt-default-sequoia.config", func(p *Policy) *time.Time { return p.HashSPR["sha1"] }, "sha1 SPR", "2026-02-01"},
		{"apt-default-sequoia.config", func(p *Policy) *time.Time { return p.HashCR["sha1"] }, "sha1 CR", "2013-02-01"},
		{"apt-default-sequoia.config", func(p *Policy) *time.Time { return p.Asymmetric["rsa2048"] }, "rsa2048", "2030-02-01"},
		{"apt-default-sequoia.config", func(p *Policy) *time.Time { return p.Asymmetric["brainpoolp384"] }, "brainpoolp384", "2028-02-01"},
		{"apt-default-sequoia.config", func(p *Policy) *time.Time { return p.PacketVersions["signature"][3] }, "signature.v3", "2026-02-01"},
		{"apt-default-sequoia.config", func(p *Policy) *time.Time { return p.PacketVersions["signature"][5] }, "signature.v5", never},
		{"mkosi-minimal.rpm-sequoia.config", func(p *Policy) *time.Time { return p.HashSPR["sha1"] }, "sha1 SPR", always},
		{"mkosi-minimal.rpm-sequoia.config", func(p *Policy) *time.Time { return p.HashCR["sha1"] }, "sha1 CR", never},
		{"mkosi-minimal.rpm-sequoia.config", func(p *Policy) *time.Time { return p.HashCR["sha3-512"] }, "sha3-512 CR", never},
	}
	for _, c := range checks {
		got := strings.Trim(formatCutoff(c.get(load(c.file))), `"`)
		if got != c.want {
			t.Errorf("%s: %s = %s, want %s", c.file, c.what, got, c.want)
		}
	}
}

// TestFedoraVerdicts is policy-format.md section 4's verdict predictions at
// the policy level, at a fixed reference time.
func TestFedoraVerdicts(t *testing.T) {
	dir := testutil.PoliciesDir(t)
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	type verdicts struct{ sha1CR, dsa1024, rsa1024, eddsa, ed25519 bool } // true = accepted
	cases := []struct {
		file string
		want verdicts
	}{
		{"DEFAULT.rpm-sequoia.config", verdicts{true, true, false, true, true}},
		{"LEGACY.rpm-sequoia.config", verdicts{true, true, true, true, true}},
		{"FUTURE.rpm-sequoia.config", verdicts{false, false, false, true, true}},
		{"FIPS.rpm-sequoia.config", verdicts{false, false, false, false, false}},
		{"DEFAULT.sequoia.config", verdicts{false, false, false, true, true}},
		{"DEFAULT.rpm-sequoia.2023-05.config", verdicts{true, true, false, false, false}},
		{"", verdicts{false, false, false, true, true}}, // built-in defaults
	}
	for _, c := range cases {
		p := Default()
		if c.file != "" {
			data, err := os.ReadFile(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if p, err = Parse(c.file, data); err != nil {
				t.Fatal(err)
			}
		}
		got := verdicts{
			sha1CR:  p.CheckHash(core.HashSHA1, CollisionResistance, false, at) == nil,
			dsa1024: p.CheckAsymmetric("dsa1024", at) == nil,
			rsa1024: p.CheckAsymmetric("rsa1024", at) == nil,
			eddsa:   p.CheckAsymmetric("eddsa", at) == nil,
			ed25519: p.CheckAsymmetric("ed25519", at) == nil,
		}
		if got != c.want {
			t.Errorf("%q: accepted {sha1 CR, dsa1024, rsa1024, eddsa, ed25519} = %+v, want %+v", c.file, got, c.want)
		}
		// SHA-1 for self-signatures (SPR only) follows the same sha1 line in
		// Fedora files, which set both properties alike.
		if c.file != "" {
			spr := p.CheckHash(core.HashSHA1, SecondPreimageResistance, false, at) == nil
			if spr != c.want.sha1CR {
				t.Errorf("%s: sha1 SPR accepted = %v, want %v", c.file, spr, c.want.sha1CR)
			}
		}
	}
}
