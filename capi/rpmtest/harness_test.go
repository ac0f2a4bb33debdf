package rpmtest

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the expectation files in testdata/")

// tracePrefix starts every trace line of the library.
const tracePrefix = "rpmpgp-preload: "

// harness runs rpm tools plain or under the preload.
type harness struct {
	t         *testing.T
	lib       string // librpmpgp-preload.so
	pluginDir string
	home      string // $HOME and $XDG_CONFIG_HOME: no user macros or config
	tmp       string // $TMPDIR of every run
	extraEnv  []string
}

// newHarness finds the library and rpm, or skips (fails under CI).
func newHarness(t *testing.T) *harness {
	t.Helper()
	lib := os.Getenv("RPMPGP_PRELOAD_LIB")
	if lib == "" {
		// make test and make preload-test set it; a CI run never passes
		// by skipping the preload.
		testutil.Missing(t, "RPMPGP_PRELOAD_LIB is not set: build the library and run these tests with `make test` or `make preload-test`")
	}
	lib, err := filepath.Abs(lib)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(lib); err != nil {
		t.Fatalf("RPMPGP_PRELOAD_LIB: %v", err)
	}
	for _, tool := range []string{"rpm", "rpmkeys"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not found and CI is set: install Debian's rpm (apt-get install rpm)", tool)
			}
			t.Skipf("%s not found: install Debian's rpm 4.18 to run the preload tests", tool)
		}
	}
	dir := os.Getenv("RPMPGP_PLUGIN_DIR")
	if dir == "" {
		dir = filepath.Dir(lib)
	}
	home := t.TempDir()
	tmp := filepath.Join(home, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, lib: lib, pluginDir: dir, home: home, tmp: tmp}
}

// result is one run of a tool.
type result struct {
	stdout, stderr string
	trace          []string // the library's trace lines, removed from stderr
	rc             int
}

// run runs argv with backend "" (plain rpm) or under the preload with
// that backend, tracing.
func (h *harness) run(backend string, argv ...string) result {
	h.t.Helper()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + h.home, "XDG_CONFIG_HOME=" + h.home,
		"TMPDIR=" + h.tmp, "LC_ALL=C", "TZ=UTC"}
	if backend != "" {
		env = append(env, "LD_PRELOAD="+h.lib, "RPMPGP_BACKEND="+backend, "RPMPGP_PLUGIN_DIR="+h.pluginDir,
			"RPMPGP_PRELOAD_TRACE=1")
	}
	env = append(env, h.extraEnv...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	rc := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			h.t.Fatalf("%s: %v", strings.Join(argv, " "), err)
		}
		rc = ee.ExitCode()
		if rc < 0 {
			h.t.Fatalf("%s: %v (crashed)", strings.Join(argv, " "), err)
		}
	}
	r := result{stdout: out.String(), rc: rc}
	var rest []string
	for _, line := range strings.SplitAfter(errb.String(), "\n") {
		if strings.HasPrefix(line, tracePrefix) {
			r.trace = append(r.trace, strings.TrimSuffix(line, "\n"))
		} else if line != "" {
			rest = append(rest, line)
		}
	}
	r.stderr = strings.Join(rest, "")
	if backend == "" && len(r.trace) > 0 {
		h.t.Errorf("%s: plain rpm printed trace lines: %q", strings.Join(argv, " "), r.trace)
	}
	return r
}

// traced reports whether the run called fn through the library.
func (r result) traced(fn string) bool {
	for _, l := range r.trace {
		if strings.HasPrefix(l, tracePrefix+fn+"(") {
			return true
		}
	}
	return false
}

// installDate is the one line of rpm -qi that changes from run to run.
var installDate = regexp.MustCompile(`(?m)^Install Date: .*$`)

// transcript renders commands and results for an expectation file, with
// the replacements applied (throwaway paths to stable names) and rpm -qi's
// install date blanked.
func transcript(repl *strings.Replacer, steps []string, results []result) string {
	return installDate.ReplaceAllString(rawTranscript(repl, steps, results), "Install Date: {date}")
}

func rawTranscript(repl *strings.Replacer, steps []string, results []result) string {
	var b strings.Builder
	for i, r := range results {
		b.WriteString("$ " + repl.Replace(steps[i]) + "\n")
		b.WriteString(repl.Replace(r.stdout))
		if r.stderr != "" {
			b.WriteString("--- stderr\n" + repl.Replace(r.stderr))
		}
		b.WriteString("--- exit " + strconv.Itoa(r.rc) + "\n")
	}
	return b.String()
}

// expect compares got with testdata/name (or rewrites it with -update).
func expect(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// fixture returns the path of a file of the project's testdata/.
func fixture(rel string) string { return filepath.Join(testutil.Fixtures(), rel) }
