package preload

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestFailClosed: a backend that cannot start makes every call fail, and
// says why once.
func TestFailClosed(t *testing.T) {
	t.Setenv("RPMPGP_BACKEND", "no-such-backend")
	t.Setenv("RPMPGP_PLUGIN_DIR", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	Shutdown()
	var buf bytes.Buffer
	session.Lock()
	session.stderr = &buf
	session.Unlock()
	t.Cleanup(func() {
		Shutdown()
		session.Lock()
		session.stderr = nil
		session.Unlock()
	})
	sig := &core.Params{Kind: core.KindSignature}
	for range 2 {
		if _, err := Parse([]byte{0xc2, 0x01, 0x04}, 0); err == nil {
			t.Error("Parse succeeded without a backend")
		}
		if rc, why := VerifyHash(nil, sig, make([]byte, 32)); rc != RPMRCFail || !strings.Contains(why, "no-such-backend") {
			t.Errorf("VerifyHash = %d %q, want %d naming the backend", rc, why, RPMRCFail)
		}
		if kind, data := ParseArmor([]byte("-----BEGIN PGP PUBLIC KEY BLOCK-----\n")); kind != int(core.ArmorErrNoBeginPGP) || data != nil {
			t.Errorf("ParseArmor = %d %q", kind, data)
		}
		if rc, _ := Lint([]byte{0x99}); rc != RPMRCFail {
			t.Errorf("Lint = %d, want %d", rc, RPMRCFail)
		}
		if _, err := KeyID([]byte{0x99}); err == nil {
			t.Error("KeyID succeeded without a backend")
		}
		if _, ok := WrapArmor(2, []byte{1}); ok {
			t.Error("WrapArmor succeeded without a backend")
		}
	}
	out := buf.String()
	if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, `rpmpgp-preload: backend "no-such-backend"`) ||
		!strings.HasSuffix(out, "; every OpenPGP operation of this process fails\n") {
		t.Errorf("stderr = %q, want one line naming the backend", out)
	}
}

func TestRPMRC(t *testing.T) {
	for rc, want := range map[core.RC]int{
		core.RCOK: 0, core.RCNotFound: 1, core.RCFail: 2, core.RCNotTrusted: 3, core.RCNoKey: 4, core.RCInvalid: 2,
	} {
		if got := RPMRC(rc); got != want {
			t.Errorf("RPMRC(%v) = %d, want %d", rc, got, want)
		}
	}
}

// TestParseDispatch: pkttype 0 takes the first packet's tag, as rpm 4.18.
func TestParseDispatch(t *testing.T) {
	b := &recorder{}
	Use(b)
	t.Cleanup(Shutdown)
	for _, tc := range []struct {
		pkts    []byte
		pkttype int
		want    string
	}{
		{[]byte{0xc2, 0x01, 0x04}, 0, "sig"},
		{[]byte{0x99, 0x00, 0x01, 0x04}, 0, "cert"},
		{[]byte{0xc2, 0x01, 0x04}, 2, "sig"},
		{[]byte{0xc2, 0x01, 0x04}, 6, "cert"},
		{[]byte{0xcd, 0x01, 0x04}, 0, ""}, // user ID packet: refused
		{[]byte{0xc2, 0x01, 0x04}, 13, ""},
	} {
		b.called = ""
		_, err := Parse(tc.pkts, tc.pkttype)
		if b.called != tc.want || (err == nil) != (tc.want != "") {
			t.Errorf("Parse(% x, %d): called %q err %v, want %q", tc.pkts, tc.pkttype, b.called, err, tc.want)
		}
	}
}

// recorder is a Backend that records which parser was asked.
type recorder struct {
	Backend
	called string
}

func (r *recorder) ParseSignature([]byte) (core.ParseResult, error) {
	r.called = "sig"
	return core.ParseResult{Params: &core.Params{Kind: core.KindSignature}}, nil
}

func (r *recorder) ParseCertificate([]byte) (core.ParseResult, error) {
	r.called = "cert"
	return core.ParseResult{Params: &core.Params{Kind: core.KindKey}}, nil
}

func (r *recorder) LintKey(cert []byte) (core.Verdict, error) {
	if string(cert) == "weak" {
		return core.Verdict{RC: core.RCNotTrusted, Lint: "Certificate 00:\n  Policy rejects it"}, nil
	}
	return core.Verdict{RC: core.RCOK}, nil
}

// TestLintRefusal: a certificate the lint refuses is reported on stderr,
// answered OK (rpm 4.18.0 crashes on anything else) and then refused by the
// parse rpmPubkeyNew makes; other certificates still parse.
func TestLintRefusal(t *testing.T) {
	Use(&recorder{})
	var buf bytes.Buffer
	session.Lock()
	session.stderr = &buf
	session.Unlock()
	t.Cleanup(func() {
		Shutdown()
		session.Lock()
		session.stderr = nil
		session.Unlock()
	})
	weak := []byte("weak")
	if rc, why := Lint(weak); rc != RPMRCOK || why != "" {
		t.Errorf("Lint(weak) = %d %q, want 0 and no explanation", rc, why)
	}
	if got, want := buf.String(), "error: Certificate 00:\n  Policy rejects it\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	if _, err := Parse(weak, TagPublicKey); err == nil {
		t.Error("Parse accepted the certificate the lint refused")
	}
	if rc, _ := Lint([]byte("good")); rc != RPMRCOK {
		t.Errorf("Lint(good) = %d", rc)
	}
	if _, err := Parse([]byte("good"), TagPublicKey); err != nil {
		t.Errorf("Parse(good): %v", err)
	}
}
