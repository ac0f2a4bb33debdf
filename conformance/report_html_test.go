package conformance

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

func TestReportHTML(t *testing.T) {
	rep := runFake(t, "# none\n")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, rep); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{`<table id="matrix">`, `<th data-verifier="fake">fake</th>`, `data-status="unexplained"`, `id="only-disagree"`,
		`id="verifier-filter"`, `id="source-filter"`, `<b id="n-failures" class="fail">1</b>`, "verdict: want parse-fail, got OK",
		`<div class="legend" id="legend">`, `<b class="fail" id="result">FAIL</b>`,
		// b: OK where parse-fail was expected: red, marked "!".
		`<td class="v unexplained" data-verifier="fake" data-status="unexplained" title="fake: unexplained\nraw verdict: OK\nexpected: parse-fail\nverdict: want parse-fail, got OK\noutput:\nfake b"><span class="acc">OK</span>!</td>`,
	} {
		// Tooltips hold newlines (written as \n above).
		if want = strings.ReplaceAll(want, `\n`, "\n"); !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	for _, bad := range []string{"<link", "src=\"http", "<script src", `id="bytes-note"`, `bytes-note-slot`} {
		if strings.Contains(html, bad) {
			t.Errorf("HTML has %q", bad)
		}
	}
	p := filepath.Join(t.TempDir(), "report.html")
	os.WriteFile(p, buf.Bytes(), 0o644)
	dom := testutil.ChromiumDOM(t, p, 1400, 900)
	// The script ran (it fills shown-count) and the matrix is in the DOM.
	if !strings.Contains(dom, `<table id="matrix">`) || !strings.Contains(dom, "2 cases shown") {
		t.Errorf("DOM lacks the matrix or the script did not run:\n%s", dom[:min(len(dom), 2000)])
	}
}

// TestReportHTMLCells: one vocabulary whatever the verifier, colour by
// comparison (an expected BAD is a white cell with red text, never
// green), fingerprints abbreviated with the full value on hover, foreign
// bytes of tool output escaped as \xNN so that the page is valid UTF-8
// and Chromium shows no U+FFFD.
func TestReportHTMLCells(t *testing.T) {
	fp := "0123456789abcdef0123456789abcdef01234567"
	rep := &Report{
		Schema: Schema,
		Verifiers: []VerifierInfo{{Name: "gocrypto", Type: "backend", Profile: "strict", Available: true},
			{Name: "gpgv", Type: "external", Profile: "legacy", Available: true}},
		Cases: []CaseResult{
			{Case: corpus.Case{ID: "fp", Source: "t", Kind: corpus.KindFingerprint}, Status: StatusAgree, Cells: []Cell{
				{Verifier: "gocrypto", Status: StatusAgree, Outcome: Outcome{Verdict: fp, ExitCode: -1}},
				{Verifier: "gpgv", Status: StatusNA, Outcome: Outcome{Verdict: VerdictNA, ExitCode: -1}}}},
			{Case: corpus.Case{ID: "pkg", Source: "t", Kind: corpus.KindPackage}, Status: StatusExplained, Cells: []Cell{
				{Verifier: "gocrypto", Status: StatusAgree, Expected: "HeaderSig@268=NOKEY;pkg=fail",
					Outcome: Outcome{Verdict: VerdictFail, Items: map[string]string{"HeaderSig@268": "NOKEY", "HeaderSHA256": "OK"}, ExitCode: -1}},
				{Verifier: "gpgv", Status: StatusExplained, Reason: "gpgv is gpgv", RegistryLine: 7,
					Outcome: Outcome{Verdict: "BAD", Items: map[string]string{"HeaderSig@268": "BAD"}, ExitCode: 1,
						Detail: "[GNUPG:] NOTATION_DATA \xa2%01\xc3f3\xff caf\u00e9"}}}},
		},
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, rep); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	if !utf8.ValidString(html) {
		t.Fatal("the page is not valid UTF-8")
	}
	for _, want := range []string{
		`<td class="v agree" data-verifier="gocrypto" data-status="agree" title="gocrypto: agree\nvalue: ` + fp + `\nraw verdict: ` + fp + `"><span class="acc">01234567…01234567</span></td>`,
		`<td class="v n-a" data-verifier="gpgv" data-status="n-a" title="gpgv: n-a"><span class="na">–</span></td>`,
		`<td class="v agree" data-verifier="gocrypto" data-status="agree" title="gocrypto: agree\nraw verdict: HeaderSHA256=OK,HeaderSig@268=NOKEY;pkg=fail\nexpected: HeaderSig@268=NOKEY;pkg=fail"><span class="rej">NOKEY</span></td>`,
		`title="gpgv: explained\nraw verdict: BAD (exit 1)\nregistry line 7: gpgv is gpgv\noutput:\n[GNUPG:] NOTATION_DATA \xa2%01\xc3f3\xff café"><span class="rej">BAD</span>~</td>`,
		`<pre>[GNUPG:] NOTATION_DATA \xa2%01\xc3f3\xff café</pre>`,
		`<p class="note" id="bytes-note">6 byte(s) of tool output or file names were not valid UTF-8; they are shown as <code>\xNN</code>.</p>`,
	} {
		// Tooltips hold newlines (written as \n above).
		if want = strings.ReplaceAll(want, `\n`, "\n"); !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	p := filepath.Join(t.TempDir(), "report.html")
	os.WriteFile(p, buf.Bytes(), 0o644)
	dom := testutil.ChromiumDOM(t, p, 1400, 900)
	if strings.ContainsRune(dom, utf8.RuneError) || !strings.Contains(dom, `NOTATION_DATA \xa2%01\xc3f3\xff café`) {
		t.Errorf("Chromium's DOM has U+FFFD or lacks the escaped bytes:\n%s", dom[:min(len(dom), 3000)])
	}
}

func TestDisplayVerdict(t *testing.T) {
	for _, tc := range []struct {
		kind corpus.Kind
		o    Outcome
		want string
	}{
		{corpus.KindPackage, Outcome{Verdict: VerdictPass, Items: map[string]string{"HeaderSig@268": "NOKEY"}}, "OK"},
		{corpus.KindPackage, Outcome{Verdict: VerdictFail, Items: map[string]string{"HeaderSig@268": "NOKEY", "MD5": "BAD"}}, "BAD"},
		{corpus.KindPackage, Outcome{Verdict: VerdictFail, Items: map[string]string{"HeaderSig@268": "NOTFOUND"}}, "NOTFOUND"},
		{corpus.KindPackage, Outcome{Verdict: VerdictFail, Unreadable: true}, "UNREADABLE"},
		{corpus.KindPackage, Outcome{Verdict: "NOKEY"}, "NOKEY"},
		{corpus.KindKey, Outcome{Verdict: "ok"}, "OK"},
		{corpus.KindKey, Outcome{Verdict: VerdictFail}, "BAD"},
		{corpus.KindKey, Outcome{Verdict: "nottrusted"}, "NOTTRUSTED"},
		{corpus.KindFingerprint, Outcome{Verdict: VerdictFail}, "BAD"},
		{corpus.KindSigParse, Outcome{Verdict: VerdictParseFail}, "parse-fail"},
		{corpus.KindDetached, Outcome{Verdict: VerdictError}, "ERROR"},
		{corpus.KindDetached, Outcome{Verdict: VerdictNA}, "–"},
		{corpus.KindCert, Outcome{Verdict: "NOTTRUSTED"}, "NOTTRUSTED"},
	} {
		if got, _ := DisplayVerdict(tc.kind, tc.o); got != tc.want {
			t.Errorf("%s %+v: %q, want %q", tc.kind, tc.o, got, tc.want)
		}
	}
}
