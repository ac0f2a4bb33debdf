//go:build cgo

package openssl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/openssl/internal/ossl"
	"github.com/rpmpgp/rpmpgp/core"
)

// kernelFlag writes a fake /proc/sys/crypto/fips_enabled with content and
// returns its path.
func kernelFlag(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fips_enabled")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestKernelFIPS(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none")
	tests := []struct {
		path    string
		want    bool
		wantErr string
	}{
		{kernelFlag(t, "1\n"), true, ""},
		{kernelFlag(t, "0\n"), false, ""},
		{kernelFlag(t, "1"), true, ""},
		{missing, false, ""},
		{kernelFlag(t, "2\n"), false, `= "2", want 0 or 1`},
		{kernelFlag(t, ""), false, `= "", want 0 or 1`},
		{t.TempDir(), false, "reading the kernel's FIPS flag"},
	}
	for _, tt := range tests {
		got, err := kernelFIPS(tt.path)
		if got != tt.want || (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("kernelFIPS(%s) = %v, %v; want %v, %q", tt.path, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestResolve checks which library context each setting selects on this
// machine, whose OpenSSL configuration (no $OPENSSL_CONF in tests) does
// not ask for FIPS; the kernel flag is injected.
func TestResolve(t *testing.T) {
	if os.Getenv("OPENSSL_CONF") != "" {
		t.Skip("OPENSSL_CONF is set; the system's default properties are not the test's")
	}
	on, off := kernelFlag(t, "1\n"), kernelFlag(t, "0\n")
	tests := []struct {
		mode    core.FIPSMode
		kernel  string
		want    ossl.Mode
		why     string
		wantErr string
	}{
		{core.FIPSOff, on, ossl.ModeOff, "fips = off: default provider only", ""},
		{core.FIPSRequire, off, ossl.ModeRequire, "fips = require", ""},
		{core.FIPSAuto, off, ossl.ModeAuto, "fips = auto: the system is not in FIPS mode", ""},
		{"", off, ossl.ModeAuto, "fips = auto: the system is not in FIPS mode", ""},
		{core.FIPSAuto, on, ossl.ModeRequire, "fips = auto: the kernel is in FIPS mode (" + on + " = 1)", ""},
		{core.FIPSAuto, kernelFlag(t, "x"), 0, "", "want 0 or 1"},
		{"yes", off, 0, "", `unknown FIPS mode "yes"`},
	}
	for _, tt := range tests {
		m, why, err := resolve(tt.mode, Options{KernelFIPS: tt.kernel})
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("resolve(%q, %s) error %v, want %q", tt.mode, tt.kernel, err, tt.wantErr)
			}
			continue
		}
		if err != nil || m != tt.want || why != tt.why {
			t.Errorf("resolve(%q, %s) = %v, %q, %v; want %v, %q", tt.mode, tt.kernel, m, why, err, tt.want, tt.why)
		}
	}
}

// TestAutoKernelFIPSWithoutProvider: a kernel in FIPS mode makes "auto"
// require FIPS, so without a usable FIPS provider the backend refuses
// rather than run outside FIPS (as rpm on RHEL would).
func TestAutoKernelFIPSWithoutProvider(t *testing.T) {
	if os.Getenv("OPENSSL_CONF") != "" {
		t.Skip("OPENSSL_CONF is set")
	}
	_, err := New(Options{FIPS: core.FIPSAuto, KernelFIPS: kernelFlag(t, "1\n"), Config: filepath.Join(t.TempDir(), "none.cnf")})
	if err == nil || !strings.Contains(err.Error(), "fips = auto: the kernel is in FIPS mode") || !strings.Contains(err.Error(), "FIPS mode required but OpenSSL's FIPS provider is unavailable") {
		t.Fatalf("New(auto, kernel FIPS, no provider) = %v", err)
	}
}

// TestNewDeferred: before Init nothing is verified and Describe lists no
// digests; Init chooses the mode, and "off" works even where the kernel
// says FIPS and no FIPS provider exists.
func TestNewDeferred(t *testing.T) {
	b := NewDeferred(Options{KernelFIPS: kernelFlag(t, "1\n"), Config: filepath.Join(t.TempDir(), "none.cnf")})
	d, err := b.Describe()
	if err != nil || d.FIPS || len(d.HashAlgos) != 0 || d.Notes != "FIPS mode not chosen yet (Init has not succeeded)" {
		t.Fatalf("Describe before Init = %+v, %v", d, err)
	}
	if _, err := b.NewDigest(core.HashSHA256); err == nil || !strings.Contains(err.Error(), "Init has not succeeded") {
		t.Errorf("NewDigest before Init: %v", err)
	}
	if err := b.Init(core.Options{FIPS: core.FIPSAuto}); err == nil {
		t.Fatal("Init(auto) with the kernel in FIPS mode and no provider succeeded")
	}
	if _, err := b.NewDigest(core.HashSHA256); err == nil {
		t.Error("NewDigest after a failed Init succeeded")
	}
	if err := b.Init(core.Options{FIPS: core.FIPSOff}); err != nil {
		t.Fatalf("Init(off): %v", err)
	}
	d, _ = b.Describe()
	if d.FIPS || len(d.HashAlgos) == 0 || !strings.HasPrefix(d.Notes, "FIPS off (fips = off: default provider only)") {
		t.Errorf("Describe after Init(off) = %+v", d)
	}
	if _, err := b.NewDigest(core.HashSHA256); err != nil {
		t.Errorf("NewDigest after Init(off): %v", err)
	}
}
