package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rpmpgp/rpmpgp/conformance"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// measureScript opens every case's details and writes the page's width
// and the number of matrix columns into the DOM, for --dump-dom to show.
const measureScript = `<script>
document.querySelectorAll('details').forEach(function(d){d.open=true;});
document.body.setAttribute('data-scroll-width', document.documentElement.scrollWidth);
document.body.setAttribute('data-columns', document.querySelectorAll('#matrix thead th[data-verifier]').length);
</script></body>`

// TestConformanceHTMLChromium renders the HTML report of a real run (the
// fixtures, and the shared corpus when present: its fingerprints and long
// case names) with eight verifier columns and checks it in headless
// Chromium at a 1400 px window: nothing is wider than the window with every
// case's details open, and the file is valid UTF-8 without U+FFFD (foreign
// bytes of tool output are escaped as \xNN).
func TestConformanceHTMLChromium(t *testing.T) {
	testutil.NeedTool(t, "chromium", "the HTML report is checked in headless Chromium")
	backends := "gocrypto,internal-legacy"
	if hasOpenSSL {
		backends += ",openssl"
	}
	installed := 0
	for _, n := range conformance.ExternalNames {
		if _, err := exec.LookPath(n); err == nil {
			installed++
		}
	}
	if cols := strings.Count(backends, ",") + 1 + installed; cols < 8 {
		testutil.Missing(t, "only %d verifiers here: the report must be checked with 8 columns", cols)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "report.html")
	args := []string{"conformance", "--plugin-dir", binDir, "--backends", backends,
		"--fixtures", filepath.Join(testutil.Fixtures(), "fixtures.tsv"), "--html", out}
	if c, ok := testutil.CorpusDir(); ok {
		args = append(args, "--corpus", c)
	}
	rc, _, stderr := runExit(t, rpmpgpCmd(t, args...))
	if rc != 0 {
		t.Fatalf("conformance: rc %d, stderr %q", rc, stderr)
	}
	page, err := os.ReadFile(out)
	must(t, err)
	if !utf8.Valid(page) || strings.ContainsRune(string(page), utf8.RuneError) {
		t.Errorf("the report is not valid UTF-8 or holds U+FFFD")
	}
	measured := filepath.Join(dir, "measured.html")
	must(t, os.WriteFile(measured, []byte(strings.Replace(string(page), "</body>", measureScript, 1)), 0o644))
	dom := testutil.ChromiumDOM(t, measured, 1400, 900)
	width := regexp.MustCompile(`data-scroll-width="(\d+)"`).FindStringSubmatch(dom)
	cols := regexp.MustCompile(`data-columns="(\d+)"`).FindStringSubmatch(dom)
	if width == nil || cols == nil {
		t.Fatalf("the measuring script did not run:\n%s", dom[:min(len(dom), 2000)])
	}
	w, _ := strconv.Atoi(width[1])
	n, _ := strconv.Atoi(cols[1])
	t.Logf("%d verifier columns, %d cases: scrollWidth %d px", n, strings.Count(string(page), `<td class="case">`), w)
	if w > 1400 || n < 8 {
		t.Errorf("scrollWidth %d px with %d verifier columns; want <= 1400 with >= 8", w, n)
	}
	if strings.ContainsRune(dom, utf8.RuneError) {
		t.Errorf("Chromium's DOM holds U+FFFD")
	}
}
