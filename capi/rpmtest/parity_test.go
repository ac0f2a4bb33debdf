package rpmtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/casefile"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// caseSet is a cases.tsv file and the folder its paths are relative to.
type caseSet struct{ name, file, dir string }

// TestLegacyParity: with the internal-legacy backend, everything rpmkeys
// prints and returns is byte-identical to plain rpm 4.18, for every
// package and key case of the project's fixtures and of the rpm-testsuite
// corpus: the key imports of the case, then rpmkeys -Kv of the package
// (kind package) or the import of the key and the keyring's gpg-pubkey
// entries with their descriptions (kind key).
func TestLegacyParity(t *testing.T) {
	h := newHarness(t)
	sets := []caseSet{{"fixtures", filepath.Join(testutil.Fixtures(), "fixtures.tsv"), testutil.Fixtures()}}
	if dir, ok := testutil.CorpusDir(); ok {
		sets = append(sets, caseSet{"rpm-testsuite", filepath.Join(dir, "rpm-testsuite", "cases.tsv"), filepath.Join(dir, "rpm-testsuite")})
	} else if os.Getenv("CI") != "" {
		t.Fatalf("corpus not found at %s and CI is set", dir)
	} else {
		t.Logf("corpus not found at %s: parity over the project's fixtures only", dir)
	}
	compared, differing := 0, 0
	for _, set := range sets {
		f, err := os.Open(set.file)
		if err != nil {
			t.Fatal(err)
		}
		cases, err := casefile.Read(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", set.file, err)
		}
		n := 0
		for _, c := range cases {
			if c.Kind != "package" && c.Kind != "key" {
				continue
			}
			n++
			compared++
			t.Run(set.name+"/"+c.ID, func(t *testing.T) {
				if !parityCase(t, h, set.dir, c) {
					differing++
				}
			})
		}
		if n == 0 {
			t.Errorf("%s: no package or key case", set.file)
		}
	}
	t.Logf("legacy parity: %d cases compared, %d differ", compared, differing)
}

// parityCase runs case c plain and under the preload and reports whether
// both transcripts are identical.
func parityCase(t *testing.T, h *harness, dir string, c casefile.Case) bool {
	path := func(rel string) string { return filepath.Join(dir, rel) }
	for _, rel := range append(append([]string(nil), c.Keyring...), c.Inputs...) {
		if _, err := os.Stat(path(rel)); err != nil {
			t.Fatalf("case %s (line %d): %v", c.ID, c.Line, err)
		}
	}
	var transcripts [2]string
	for i, backend := range []string{"", "internal-legacy"} {
		db := filepath.Join(t.TempDir(), "db")
		repl := strings.NewReplacer(db, "{db}", dir, "{dir}")
		var steps [][]string
		for _, k := range c.Keyring {
			steps = append(steps, []string{"rpmkeys", "--dbpath", db, "--import", path(k)})
		}
		switch c.Kind {
		case "package":
			steps = append(steps, []string{"rpmkeys", "--dbpath", db, "-Kv", path(c.Inputs[0])})
		case "key":
			steps = append(steps, []string{"rpmkeys", "--dbpath", db, "--import", path(c.Inputs[0])},
				[]string{"rpm", "--dbpath", db, "-qa", "--qf", `%{NAME}-%{VERSION}-%{RELEASE} %{PACKAGER}\n%{DESCRIPTION}\n`, "gpg-pubkey*"})
		}
		var argvs []string
		var results []result
		traced := false
		for _, argv := range steps {
			r := h.run(backend, argv...)
			traced = traced || len(r.trace) > 0
			argvs = append(argvs, strings.Join(argv, " "))
			results = append(results, r)
		}
		if backend != "" && !traced {
			t.Errorf("case %s: no trace line under the preload: the library was not active", c.ID)
		}
		transcripts[i] = transcript(repl, argvs, results)
	}
	if transcripts[0] != transcripts[1] {
		t.Errorf("case %s (line %d): rpm under the preload (internal-legacy) differs from plain rpm:\n--- plain\n%s--- preload\n%s",
			c.ID, c.Line, transcripts[0], transcripts[1])
		return false
	}
	return true
}
