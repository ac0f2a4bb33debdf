package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp/armor"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

func TestSplitStderr(t *testing.T) {
	m := []string{"/t/m0", "/t/m1", "/t/m2"}
	mark := func(i int) string { return "error: " + m[i] + ": open failed: No such file or directory\n" }
	s := mark(0) + "warning: a\nerror: /t/p0: x\n" + mark(1) + mark(2) + "tail\n"
	parts, done := splitStderr(s, m)
	want := []string{"", "warning: a\nerror: /t/p0: x\n", "tail\n"}
	if done != 2 || !reflect.DeepEqual(parts, want) {
		t.Errorf("complete run: parts %q done %d, want %q done 2", parts, done, want)
	}
	// The process died at package 1: its marker never came.
	parts, done = splitStderr(mark(0)+mark(1)+"warning: b\n", m)
	if done != 1 || !reflect.DeepEqual(parts, []string{"", "", "warning: b\n"}) {
		t.Errorf("crashed run: parts %q done %d", parts, done)
	}
}

func TestSplitStdout(t *testing.T) {
	files := []string{"/t/a.rpm", "/t/b.rpm", "/t/c.rpm"}
	verbose := "/t/a.rpm:\n    MD5 digest: OK\n/t/b.rpm:\n/t/c.rpm:\n    Header SHA1 digest: BAD\n"
	got, err := splitStdout(verbose, files, true)
	want := []string{"/t/a.rpm:\n    MD5 digest: OK\n", "/t/b.rpm:\n", "/t/c.rpm:\n    Header SHA1 digest: BAD\n"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("-Kv: %q, %v; want %q", got, err, want)
	}
	// -K: a package that could not be read prints "<path>:" alone.
	short := "/t/a.rpm: digests OK\n/t/b.rpm:/t/c.rpm: DIGESTS NOT OK\n"
	got, err = splitStdout(short, files, false)
	want = []string{"/t/a.rpm: digests OK\n", "/t/b.rpm:", "/t/c.rpm: DIGESTS NOT OK\n"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("-K: %q, %v; want %q", got, err, want)
	}
	if _, err := splitStdout("/t/b.rpm:\n", files[:1], true); err == nil {
		t.Error("a missing package header was accepted")
	}
	for stdout, fail := range map[string]bool{"/t/a.rpm: digests OK\n": false, "/t/a.rpm: DIGESTS NOT OK\n": true, "/t/a.rpm:": true} {
		got, err := verdictOf(output{Stdout: stdout}, "/t/a.rpm")
		if err != nil || got != fail {
			t.Errorf("verdictOf(%q) = %v, %v; want %v", stdout, got, err, fail)
		}
	}
	if _, err := verdictOf(output{Stdout: "/t/a.rpm:\n"}, "/t/a.rpm"); err == nil {
		t.Error("a line without a verdict was read as one")
	}
}

func TestDifferingLines(t *testing.T) {
	a, b := differingLines("x\ny\nz\n", "x\nY\nz\n")
	if a != "y\n" || b != "Y\n" {
		t.Errorf("got %q %q", a, b)
	}
	a, b = differingLines("x\n", "x\nextra\n")
	if a != "" || b != "extra\n" {
		t.Errorf("got %q %q", a, b)
	}
}

func TestExceptions(t *testing.T) {
	const file = "# comment\nscope\tstream\trpm\tours\treason\n" +
		"*\tstdout\tA <addr> (<n>)\\n\tA (<n>)\\n\tpointer\n" +
		"s1@sig-index\tstderr\tx\ty\texact\n"
	rules, err := parseExceptions(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		d      Diff
		region Region
		want   *Exception
	}{
		{Diff{StreamStdout, "A 0x55aa01 (7)\n", "A (7)\n"}, RegionSigData, rules[0]},
		{Diff{StreamStdout, "A (nil) (0)\n", "A (0)\n"}, RegionSigData, rules[0]},
		{Diff{StreamStdout, "A 0x55aa01 (7)\n", "A (8)\n"}, RegionSigData, nil}, // <n> differs
		{Diff{StreamStdout, "A 55aa01 (7)\n", "A (7)\n"}, RegionSigData, nil},   // not a pointer
		{Diff{StreamStderr, "x", "y"}, RegionSigIndex, rules[1]},
		{Diff{StreamStderr, "x", "y"}, RegionSigData, nil},  // out of scope
		{Diff{StreamStdout, "x", "y"}, RegionSigIndex, nil}, // other stream
	} {
		if got := explain(rules, tc.d, "s1", tc.region, "s1@1:xor01"); got != tc.want {
			t.Errorf("%v in %s: rule %v, want %v", tc.d, tc.region, got, tc.want)
		}
	}
	for _, bad := range []string{
		"scope\tstream\trpm\tours\treason\n*\tverdict\tpass\tfail\tno\n",
		"scope\tstream\trpm\tours\treason\n*\tstdout\ta\tb\t \n",
		"scope\tstream\trpm\tours\n",
	} {
		if _, err := parseExceptions(strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// TestRegistryParses: the repository's registry is well-formed.
func TestRegistryParses(t *testing.T) {
	f, err := os.Open("exceptions.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := parseExceptions(f); err != nil {
		t.Fatal(err)
	}
}

func TestMutants(t *testing.T) {
	pkgs, err := loadPackages(testutil.Fixtures(), "", map[string]bool{"rs-rsa2048": true})
	if err != nil || len(pkgs) != 1 {
		t.Fatalf("%v %v", pkgs, err)
	}
	p := pkgs[0]
	l, err := parseLayout(p.Data)
	if err != nil {
		t.Fatal(err)
	}
	if l.sigStart != 96 || l.mainStart%8 != 0 || l.spaceEnd <= l.spaceStart || l.mainEnd > len(p.Data) {
		t.Fatalf("layout %+v", l)
	}
	muts, err := p.Mutants()
	if err != nil {
		t.Fatal(err)
	}
	perByte := map[int]int{}
	for _, m := range muts {
		if m.Value == p.Data[m.Offset] {
			t.Fatalf("%s does not change the byte", m.ID())
		}
		perByte[m.Offset]++
	}
	// Every byte of the lead and of both headers (reserved space aside)
	// is mutated.
	for i := 0; i < l.mainEnd; i++ {
		if r := l.region(i); r != RegionSigSpace && perByte[i] == 0 {
			t.Fatalf("byte %d (%s) not mutated", i, r)
		}
	}
	if n := perByte[l.sigIndexEnd-1]; n < 9 {
		t.Errorf("an index byte has %d mutants, want all ops (at least 9 distinct values)", n)
	}
	if _, err := os.Stat(filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa2048.rpm")); err != nil {
		t.Fatal(err)
	}
}

// TestJunkKey: the junk-key case's file is the key with a v3 public key
// packet in front, armored again.
func TestJunkKey(t *testing.T) {
	key, err := os.ReadFile(filepath.Join(testutil.Fixtures(), "keys", "rsa2048.asc"))
	if err != nil {
		t.Fatal(err)
	}
	junk, err := junkKey(key)
	if err != nil {
		t.Fatal(err)
	}
	blk, err := armor.Decode(bytes.NewReader(junk))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(blk.Body)
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := armor.Decode(bytes.NewReader(key))
	want, _ := io.ReadAll(orig.Body)
	if blk.Type != "PGP PUBLIC KEY BLOCK" || !bytes.Equal(got[:10], []byte{0xc6, 8, 3, 1, 2, 3, 4, 0, 0, 1}) || !bytes.Equal(got[10:], want) {
		t.Errorf("type %q, packets %x...", blk.Type, got[:min(len(got), 16)])
	}
}
