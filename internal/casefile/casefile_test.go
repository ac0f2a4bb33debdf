package casefile

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

var header = strings.Join(Header, "\t") + "\n"

func TestRead(t *testing.T) {
	text := header +
		"# a comment\n" +
		"p1\tpackage\tpkgs/a.rpm\tkeys/k.asc;keys/l.asc\tHeaderSig@268=OK,HeaderSHA256=OK;pkg=pass\tHeaderSig@268=OK,MD5=OK;pkg=pass\tHeaderSig@268=OK,MD5=OK;rc=0;imports=ok\tnote one\n" +
		"p2\tpackage\tpkgs/b.rpm\t-\tunreadable;pkg=fail\tunreadable;pkg=fail\t-\t-\n" +
		"d1\tdetached\tsigs/s.pgp;hex:68690a\tkeys/k.asc\tOK\tBAD\tparse-fail\t-\n"
	got, err := Read(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	want := []Case{
		{ID: "p1", Kind: KindPackage, Inputs: []string{"pkgs/a.rpm"}, Keyring: []string{"keys/k.asc", "keys/l.asc"},
			ExpectStrict: "HeaderSig@268=OK,HeaderSHA256=OK;pkg=pass", ExpectLegacy: "HeaderSig@268=OK,MD5=OK;pkg=pass",
			Observed418: "HeaderSig@268=OK,MD5=OK;rc=0;imports=ok", Notes: "note one", Line: 3},
		{ID: "p2", Kind: KindPackage, Inputs: []string{"pkgs/b.rpm"}, ExpectStrict: "unreadable;pkg=fail",
			ExpectLegacy: "unreadable;pkg=fail", Line: 4},
		{ID: "d1", Kind: KindDetached, Inputs: []string{"sigs/s.pgp", "hex:68690a"}, Keyring: []string{"keys/k.asc"},
			ExpectStrict: "OK", ExpectLegacy: "BAD", Observed418: "parse-fail", Line: 5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read:\n got %+v\nwant %+v", got, want)
	}
}

func TestReadErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		text string
		line int
		want string
	}{
		"empty":         {"", 0, "empty file (no header)"},
		"bad header":    {"case_id\tkind\n", 1, "header is not the cases.tsv header"},
		"columns":       {header + "a\tpackage\tx.rpm\n", 2, "3 columns, want 8"},
		"empty field":   {header + "a\tpackage\tx.rpm\t\tpkg=pass\tx\tx\tx\n", 2, "empty keyring column (use -)"},
		"blank line":    {header + "\n", 2, "1 columns, want 8"},
		"unknown kind":  {header + "a\tbogus\tx\t-\tOK\tOK\tOK\t-\n", 2, `unknown kind "bogus"`},
		"two inputs":    {header + "a\tsigparse\tx;y\t-\tOK\tOK\tOK\t-\n", 2, `kind sigparse takes exactly one input, got "x;y"`},
		"no input":      {header + "a\tkey\t-\t-\timport=ok;keys=-\timport=ok;keys=-\t-\t-\n", 2, "kind key takes exactly one input"},
		"detached":      {header + "a\tdetached\ts.sig\t-\tOK\tOK\tOK\t-\n", 2, "<sig>;<data>"},
		"detached data": {header + "a\tdetached\ts.sig;-\t-\tOK\tOK\tOK\t-\n", 2, "missing data"},
		"keyring entry": {header + "a\tsigparse\ts\tk;;l\tOK\tOK\tOK\t-\n", 2, `empty keyring entry in "k;;l"`},
		"bad item":      {header + "a\tpackage\tx.rpm\t-\tFoo=OK;pkg=pass\tMD5=OK;pkg=pass\t-\t-\n", 2, `expect_strict: bad item "Foo=OK"`},
		"bad result":    {header + "a\tpackage\tx.rpm\t-\tMD5=OK;pkg=pass\tMD5=GOOD;pkg=pass\t-\t-\n", 2, `expect_legacy: bad item "MD5=GOOD"`},
		"bad observed":  {header + "a\tpackage\tx.rpm\t-\tMD5=OK;pkg=pass\tMD5=OK;pkg=pass\tMD5=OK\t-\n", 2, "observed_rpm418: missing pkg= or rc="},
		"key fields":    {header + "a\tkey\tk\t-\timport=ok\timport=ok;keys=-\t-\t-\n", 2, "missing import= or keys="},
		"dup":           {header + "a\tsigparse\ts\t-\tOK\tOK\tOK\t-\n#\na\tsigparse\ts\t-\tOK\tOK\tOK\t-\n", 4, `duplicate case_id "a" (first on line 2)`},
		"long line":     {header + strings.Repeat("x", maxLine+1) + "\n", 2, "token too long"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.text))
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("error %v, want an *Error", err)
			}
			if le.Line != tc.line || !strings.Contains(le.Err.Error(), tc.want) {
				t.Fatalf("error at line %d: %v; want line %d, containing %q", le.Line, le.Err, tc.line, tc.want)
			}
		})
	}
}

func TestReadFileNamesFileAndLine(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cases.tsv")
	if err := os.WriteFile(p, []byte(header+"a\tbogus\tx\t-\tOK\tOK\tOK\t-\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(p)
	if want := p + `:2: unknown kind "bogus"`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(p); err == nil || err.Error() != p+": empty file (no header)" {
		t.Errorf("empty file: error %v", err)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "absent.tsv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent file: error %v, want ErrNotExist", err)
	}
}

func TestParseExpectation(t *testing.T) {
	for _, tc := range []struct {
		kind, in string
		want     Expectation
	}{
		{KindPackage, "MD5=OK,HeaderSig@268=NOKEY;pkg=fail", Expectation{Verdict: VerdictFail, Items: map[string]string{"MD5": "OK", "HeaderSig@268": "NOKEY"}}},
		{KindPackage, "HeaderSig@278#2=OK;rc=0;imports=ok", Expectation{Verdict: VerdictPass, Items: map[string]string{"HeaderSig@278#2": "OK"}}},
		{KindPackage, "unreadable;rc=1", Expectation{Verdict: VerdictFail, Unreadable: true}},
		{KindKey, "import=ok;lint=weak;keys=a+b", Expectation{Verdict: "ok", Lint: "weak", Keys: "a+b"}},
		{KindFingerprint, "00ff", Expectation{Verdict: "00ff"}},
		{KindSigParse, "parse-fail", Expectation{Verdict: VerdictParseFail}},
		{KindDetached, "NOTTRUSTED", Expectation{Verdict: "NOTTRUSTED"}},
	} {
		got, err := ParseExpectation(tc.kind, tc.in)
		tc.want.Raw = tc.in
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseExpectation(%s, %q) = %+v, %v; want %+v", tc.kind, tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ kind, in, want string }{
		{KindPackage, "MD5=OK;pkg=maybe", `bad pkg="maybe"`},
		{KindPackage, "MD5=OK,MD5=BAD;pkg=fail", `duplicate item "MD5"`},
		{KindPackage, "HeaderSig@278#0=OK;pkg=fail", `bad item "HeaderSig@278#0=OK"`},
		{KindPackage, "MD5=OK;pkg=pass;x=1", `unknown field "x"`},
		{KindKey, "import=maybe;keys=-", `bad import="maybe"`},
		{KindFingerprint, "00FF", `bad fingerprint expectation "00FF"`},
		{KindSigParse, "BAD", `bad sigparse expectation "BAD"`},
		{KindDetached, "NOTFOUND", `bad detached expectation "NOTFOUND"`},
		{"cert", "OK", `kind "cert" has no cases.tsv grammar`},
	} {
		if _, err := ParseExpectation(tc.kind, tc.in); err == nil || err.Error() != tc.want {
			t.Errorf("ParseExpectation(%s, %q) error %v, want %q", tc.kind, tc.in, err, tc.want)
		}
	}
}

func TestCanonical(t *testing.T) {
	a, err1 := ParseExpectation(KindPackage, "MD5=OK,HeaderSHA256=OK;rc=0;imports=ok")
	b, err2 := ParseExpectation(KindPackage, "HeaderSHA256=OK,MD5=OK;pkg=pass")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if a.Canonical() != "HeaderSHA256=OK,MD5=OK;pkg=pass" || a.Canonical() != b.Canonical() {
		t.Errorf("Canonical: %q and %q, want both HeaderSHA256=OK,MD5=OK;pkg=pass", a.Canonical(), b.Canonical())
	}
	u, _ := ParseExpectation(KindPackage, "unreadable;rc=1")
	if u.Canonical() != "unreadable;pkg=fail" {
		t.Errorf("unreadable Canonical = %q", u.Canonical())
	}
}

// TestReadsTheRealFiles reads the project's fixtures and the third-party
// corpus's cases.tsv, the two files in this grammar.
func TestReadsTheRealFiles(t *testing.T) {
	fx, err := ReadFile(filepath.Join(testutil.Fixtures(), "fixtures.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(fx) == 0 || fx[0].Kind == "" {
		t.Fatalf("fixtures.tsv: %d cases", len(fx))
	}
	cs, err := ReadFile(filepath.Join(testutil.Corpus(t), "rpm-testsuite", "cases.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, c := range cs {
		kinds[c.Kind]++
	}
	want := map[string]int{KindPackage: 41, KindKey: 25, KindDetached: 10, KindSigParse: 7, KindFingerprint: 6}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("rpm-testsuite cases by kind = %v, want %v", kinds, want)
	}
}
