package corpus

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadCasesTSV(t *testing.T) {
	path, _ := filepath.Abs("testdata/sample-cases.tsv")
	dir := filepath.Dir(path)
	cases, err := ReadCasesTSV(path, SourceFixtures)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 6 {
		t.Fatalf("got %d cases, want 6", len(cases))
	}
	want := Case{ID: "pkg-a", Source: SourceFixtures, Kind: KindPackage, File: path, Line: 3,
		Input: filepath.Join(dir, "pkgs/a.rpm"), Keyring: []string{filepath.Join(dir, "keys/k.asc")},
		ExpectStrict: "HeaderSig@268=OK,HeaderSHA256=OK;pkg=pass", ExpectLegacy: "HeaderSig@268=OK,MD5=OK;pkg=pass",
		ObservedRPM418: "HeaderSig@268=OK,MD5=OK;rc=0;imports=ok", Notes: "note one"}
	if !reflect.DeepEqual(cases[0], want) {
		t.Errorf("case 0:\n got %+v\nwant %+v", cases[0], want)
	}
	if c := cases[1]; c.ExpectStrict != "unreadable;pkg=fail" || c.ObservedRPM418 != "" || c.Notes != "" || c.Keyring != nil {
		t.Errorf("pkg-bad: %+v", c)
	}
	det := cases[5]
	if det.Kind != KindDetached || det.Input != filepath.Join(dir, "sigs/s.pgp") || string(det.Data.Bytes) != "hi\n" || len(det.Keyring) != 2 {
		t.Errorf("det-a: %+v data %+v", det, det.Data)
	}
	if det.Key() != "fixtures:det-a" {
		t.Errorf("Key() = %q", det.Key())
	}
}

func TestReadCasesTSVErrors(t *testing.T) {
	header := strings.Join(casesHeader, "\t") + "\n"
	for name, tc := range map[string]struct{ text, want string }{
		"bad header":   {"case_id\tkind\n", ":1: header"},
		"columns":      {header + "a\tpackage\tx.rpm\n", ":2: 3 columns"},
		"empty field":  {header + "a\tpackage\tx.rpm\t\tpkg=pass\tx\tx\tx\n", "empty keyring column"},
		"unknown kind": {header + "a\tbogus\tx\t-\tOK\tOK\tOK\t-\n", `unknown kind "bogus"`},
		"bad item":     {header + "a\tpackage\tx.rpm\t-\tFoo=OK;pkg=pass\tMD5=OK;pkg=pass\t-\t-\n", `expect_strict: bad item "Foo=OK"`},
		"bad result":   {header + "a\tpackage\tx.rpm\t-\tMD5=GOOD;pkg=pass\tMD5=OK;pkg=pass\t-\t-\n", `bad item "MD5=GOOD"`},
		"no pkg":       {header + "a\tpackage\tx.rpm\t-\tMD5=OK\tMD5=OK;pkg=pass\t-\t-\n", "missing pkg="},
		"key fields":   {header + "a\tkey\tk\t-\timport=ok\timport=ok;keys=-\t-\t-\n", "missing import= or keys="},
		"detached":     {header + "a\tdetached\ts.sig\t-\tOK\tOK\tOK\t-\n", "<sig>;<data>"},
		"bad hex":      {header + "a\tdetached\ts.sig;hex:zz\t-\tOK\tOK\tOK\t-\n", "bad hex data"},
		"dup":          {header + "a\tsigparse\ts\t-\tOK\tOK\tOK\t-\na\tsigparse\ts\t-\tOK\tOK\tOK\t-\n", `duplicate case_id "a" (first on line 2)`},
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "cases.tsv")
			os.WriteFile(p, []byte(tc.text), 0o644)
			_, err := ReadCasesTSV(p, "x")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestReadManifest(t *testing.T) {
	path, _ := filepath.Abs("testdata/vectors/sample/MANIFEST.tsv")
	cases, err := ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cases {
		got = append(got, c.Source+":"+c.ID+"/"+string(c.Kind)+"/"+c.Expected+"/na="+boolStr(c.NotApplicable != ""))
	}
	want := []string{
		"openpgp-vectors/sample:S-DET/detached/valid/na=false",
		"openpgp-vectors/sample:S-CERT/cert/legacy-weak/na=false",
		"openpgp-vectors/sample:S-INL/inline/invalid/na=true",
		"openpgp-vectors/sample:S-CSF/cleartext/reject-malformed/na=true",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	d := cases[0]
	if !d.Data.IsZeros || d.Data.Zeros != 16 || !reflect.DeepEqual(d.Observed, map[string]int{"sqv": 0, "gpgv": 1}) {
		t.Errorf("S-DET data %+v observed %v", d.Data, d.Observed)
	}
	if len(cases[1].Keyring) != 2 || cases[1].Input != "" {
		t.Errorf("S-CERT %+v", cases[1])
	}
	all, err := ReadVectors("testdata/vectors")
	if err != nil || len(all) != 4 {
		t.Fatalf("ReadVectors: %d cases, %v", len(all), err)
	}
	r, _ := d.Data.Open()
	defer r.Close()
	b := make([]byte, 32)
	n, _ := r.Read(b)
	if n != 16 || string(b[:n]) != string(make([]byte, 16)) {
		t.Errorf("zeros: read %d bytes %x", n, b[:n])
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestReadPackageDir(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.rpm", "a.rpm", "notes.txt"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	key := filepath.Join(dir, "k.asc")
	os.WriteFile(key, nil, 0o644)
	cases, err := ReadPackageDir(dir, []string{key})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 || cases[0].ID != "a.rpm" || cases[1].ID != "b.rpm" || cases[0].Kind != KindPackage ||
		cases[0].Source != SourceDir || !reflect.DeepEqual(cases[0].Keyring, []string{key}) || cases[0].HasExpectation() {
		t.Errorf("got %+v", cases)
	}
	if _, err := ReadPackageDir(t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), "no .rpm files") {
		t.Errorf("empty dir: %v", err)
	}
}
