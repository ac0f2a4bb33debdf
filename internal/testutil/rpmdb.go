package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// NeedRPM skips the test when Debian's rpm tools (rpm, rpmkeys and the
// extra tools named) are missing; when CI is set it fails instead.
func NeedRPM(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range append([]string{"rpm", "rpmkeys"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not found: CI needs Debian's rpm (apt-get install rpm)", tool)
			}
			t.Skipf("%s not found: install Debian's rpm to run this test", tool)
		}
	}
}

// Run runs a command and fails the test with its output when it fails.
func Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// quotingSpec is an ordinary package whose %description quotes a whole
// armored certificate.
const quotingSpec = `Name: quoter
Version: 1
Release: 1
Summary: quotes a key
License: none
BuildArch: noarch
%description
Our signing key:
@KEY@
%files
`

// MakeRPMDB makes a real rpm database with Debian's rpm under root (""
// for none) at dbpath: the key files imported with `rpmkeys --import`, and,
// when quote is not empty, an ordinary package (built with rpmbuild) whose
// %description quotes the armored key file quote, installed with
// `rpm --justdb`. It returns the database directory.
func MakeRPMDB(t testing.TB, root, dbpath string, keys []string, quote string) string {
	t.Helper()
	NeedRPM(t, "rpmbuild")
	common := []string{"--dbpath", dbpath, "--define", "_db_backend sqlite"}
	if root != "" {
		common = append(common, "--root", root)
	}
	if len(keys) > 0 {
		Run(t, "rpmkeys", append(append(common, "--import"), keys...)...)
	}
	if quote != "" {
		armored, err := os.ReadFile(quote)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		top := filepath.Join(dir, "build")
		spec := filepath.Join(dir, "quoter.spec")
		if err := os.WriteFile(spec, []byte(strings.Replace(quotingSpec, "@KEY@", string(armored), 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		Run(t, "rpmbuild", "--quiet", "--define", "_topdir "+top, "-bb", spec)
		Run(t, "rpm", append(common, "--justdb", "--nodeps", "--nosignature", "-i", filepath.Join(top, "RPMS", "noarch", "quoter-1-1.noarch.rpm"))...)
	}
	return filepath.Join(root, dbpath)
}
