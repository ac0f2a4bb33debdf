package conformance

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// signed is a key and a detached signature made with gpg in a temp dir.
type signed struct{ cert, certBin, sig, good, bad string }

func makeSigned(t *testing.T) signed {
	t.Helper()
	testutil.NeedTool(t, "gpg", "it generates the test signatures")
	dir := t.TempDir()
	home := filepath.Join(dir, "gnupg")
	os.Mkdir(home, 0o700)
	gpg := func(args ...string) []byte {
		cmd := exec.Command("gpg", append([]string{"--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", ""}, args...)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("gpg %v: %v", args, err)
		}
		return out
	}
	gpg("--quick-gen-key", "conformance <c@example.org>", "ed25519", "sign", "never")
	s := signed{cert: filepath.Join(dir, "cert.asc"), certBin: filepath.Join(dir, "cert.pgp"), sig: filepath.Join(dir, "data.sig"),
		good: filepath.Join(dir, "good.txt"), bad: filepath.Join(dir, "bad.txt")}
	os.WriteFile(s.cert, gpg("--armor", "--export"), 0o644)
	os.WriteFile(s.certBin, gpg("--export"), 0o644)
	os.WriteFile(s.good, []byte("hi\n"), 0o644)
	os.WriteFile(s.bad, []byte("ho\n"), 0o644)
	gpg("--digest-algo", "SHA256", "--detach-sign", "-o", s.sig, s.good)
	return s
}

func detachedCase(s signed, data string) *corpus.Case {
	return &corpus.Case{ID: "t", Source: "test", Kind: corpus.KindDetached, Input: s.sig, Data: &corpus.Data{Path: data}, Keyring: []string{s.cert}}
}

func TestExternalOpenPGPTools(t *testing.T) {
	s := makeSigned(t)
	o := ExternalOptions{Timeout: 30 * time.Second}
	for _, v := range []Verifier{Sqv{Opts: o}, NewSqop(o), NewGosop(o), Gpgv{Opts: o}} {
		t.Run(v.Name(), func(t *testing.T) {
			if !toolAvailable(v.Name()) {
				testutil.Missing(t, "%s not installed", v.Name())
			}
			good := v.Run(context.Background(), detachedCase(s, s.good))
			if good.Verdict != "OK" || good.ExitCode != 0 {
				t.Errorf("good: %+v", good)
			}
			bad := v.Run(context.Background(), detachedCase(s, s.bad))
			want := map[string]struct {
				verdict string
				code    int
			}{"sqv": {"BAD", 1}, "sqop": {"BAD", 3}, "gosop": {"BAD", 3}, "gpgv": {"BAD", 1}}[v.Name()]
			if bad.Verdict != want.verdict || bad.ExitCode != want.code {
				t.Errorf("bad data: got %s exit %d, want %s exit %d (%s)", bad.Verdict, bad.ExitCode, want.verdict, want.code, bad.Detail)
			}
		})
	}
}

func TestExternalPinnedTime(t *testing.T) {
	s := makeSigned(t)
	if !toolAvailable("sqv") {
		testutil.Missing(t, "sqv not installed")
	}
	// A reference time before the signature was made: --not-after rejects it.
	v := Sqv{Opts: ExternalOptions{At: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)}}
	if o := v.Run(context.Background(), detachedCase(s, s.good)); o.Verdict != "BAD" {
		t.Errorf("pinned to 2001: %+v", o)
	}
}

// TestSOPPinnedTime: sqop honours --not-after; gosop refuses the option
// (exit 37, "not implemented"), so the adapter must not pass it and a pinned
// run still gets gosop's (time-check-free) verdict instead of an error.
func TestSOPPinnedTime(t *testing.T) {
	s := makeSigned(t)
	o := ExternalOptions{Timeout: 30 * time.Second, At: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		v    SOP
		want string
	}{{NewSqop(o), "BAD"}, {NewGosop(o), "OK"}} {
		t.Run(tc.v.Name(), func(t *testing.T) {
			if !toolAvailable(tc.v.Name()) {
				testutil.Missing(t, "%s not installed", tc.v.Name())
			}
			if got := tc.v.Run(context.Background(), detachedCase(s, s.good)); got.Verdict != tc.want {
				t.Errorf("pinned to 2001: got %s exit %d (%s), want %s", got.Verdict, got.ExitCode, got.Detail, tc.want)
			}
		})
	}
}

func TestExternalTimeout(t *testing.T) {
	r := runTool(context.Background(), 100*time.Millisecond, nil, nil, "sleep", "5")
	if !r.timedOut || r.exit != -1 || !strings.Contains(r.detail(), "timed out") {
		t.Errorf("got %+v", r)
	}
}

func TestRPMKeysKey(t *testing.T) {
	if !toolAvailable("rpmkeys") || !toolAvailable("rpm") {
		testutil.Missing(t, "rpmkeys not installed")
	}
	s := makeSigned(t)
	v := RPMKeys{Opts: ExternalOptions{Timeout: 30 * time.Second}}
	good := v.Run(context.Background(), &corpus.Case{Kind: corpus.KindKey, Input: s.cert})
	if good.Verdict != "ok" || !strings.HasPrefix(good.Keys, "gpg-pubkey-") || strings.Contains(good.Keys, "+") {
		t.Errorf("armored key: %+v", good)
	}
	bad := v.Run(context.Background(), &corpus.Case{Kind: corpus.KindKey, Input: s.certBin})
	if bad.Verdict != VerdictFail || bad.Keys != "-" {
		t.Errorf("binary key: %+v", bad)
	}
}

func TestRPMKeysPackage(t *testing.T) {
	if !toolAvailable("rpmkeys") {
		testutil.Missing(t, "rpmkeys not installed")
	}
	corpusDir := testutil.Corpus(t)
	v := RPMKeys{Opts: ExternalOptions{Timeout: 30 * time.Second}}
	dir := filepath.Join(corpusDir, "rpm-testsuite")
	good := v.Run(context.Background(), &corpus.Case{Kind: corpus.KindPackage, Input: filepath.Join(dir, "RPMS/hello-2.0-1.x86_64-signed.rpm"),
		Keyring: []string{filepath.Join(dir, "keys/rpm.org-rsa-2048-test.pub")}})
	if got := FormatItems(good.Items) + ";" + good.Verdict; got != "HeaderSHA1=OK,HeaderSHA256=OK,HeaderSig@268=OK,LegacySig@1002=OK,MD5=OK,PayloadSHA256=OK;pass" {
		t.Errorf("signed package: %s", got)
	}
	bad := v.Run(context.Background(), &corpus.Case{Kind: corpus.KindPackage, Input: filepath.Join(dir, "derived/hello-2.0-1.x86_64.zero@4750x4-hdrindex.rpm")})
	if !bad.Unreadable || bad.Verdict != VerdictFail {
		t.Errorf("unreadable package: %+v", bad)
	}
}

func TestHeaderSigExtraction(t *testing.T) {
	corpusDir := testutil.Corpus(t)
	if !toolAvailable("sqv") {
		testutil.Missing(t, "sqv not installed")
	}
	dir := filepath.Join(corpusDir, "rpm-testsuite")
	c := &corpus.Case{Kind: corpus.KindPackage, Input: filepath.Join(dir, "RPMS/hello-2.0-1.x86_64-signed.rpm"), Keyring: []string{filepath.Join(dir, "keys/rpm.org-rsa-2048-test.pub")}}
	o := Sqv{}.Run(context.Background(), c)
	if o.Verdict != "OK" || o.Items["HeaderSig@268"] != "OK" {
		t.Errorf("header signature: %+v", o)
	}
	c.Input = filepath.Join(dir, "RPMS/hello-2.0-1.x86_64.rpm")
	if o := (Sqv{}).Run(context.Background(), c); o.Verdict != VerdictNA {
		t.Errorf("unsigned: %+v", o)
	}
}
