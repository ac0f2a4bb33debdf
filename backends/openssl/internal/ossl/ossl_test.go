//go:build cgo

package ossl

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func open(t *testing.T, m Mode) *Context {
	t.Helper()
	c, err := Open(m, "")
	if err != nil {
		t.Fatalf("Open(%v): %v", m, err)
	}
	return c
}

// TestModeString: each mode's name, and an unknown mode refused by Open.
func TestModeString(t *testing.T) {
	for in, want := range map[string]Mode{"auto": ModeAuto, "off": ModeOff, "require": ModeRequire} {
		if want.String() != in {
			t.Errorf("%v.String() = %q", want, want.String())
		}
	}
	if s := Mode(7).String(); s != "Mode(7)" {
		t.Errorf("Mode(7).String() = %q", s)
	}
	if _, err := Open(Mode(7), ""); err == nil {
		t.Error(`Open(Mode(7), "") succeeded`)
	}
}

func TestVersion(t *testing.T) {
	if v := Version(); !strings.HasPrefix(v, "OpenSSL 3.") {
		t.Errorf("Version() = %q", v)
	}
}

func TestOpenShared(t *testing.T) {
	a, b := open(t, ModeOff), open(t, ModeOff)
	if a != b {
		t.Error(`Open(ModeOff, "") twice returned two contexts`)
	}
	if a.FIPS() || a.Mode() != ModeOff {
		t.Errorf("off context: FIPS %v, mode %v", a.FIPS(), a.Mode())
	}
	if c := open(t, ModeAuto); c == a || c.Mode() != ModeAuto {
		t.Error("auto and off share a context")
	}
}

func TestOpenRequire(t *testing.T) {
	c, err := Open(ModeRequire, "")
	if err == nil {
		if !c.FIPS() {
			t.Fatal("ModeRequire context not in FIPS mode")
		}
		t.Skip("a FIPS provider is installed")
	}
	var oe *Error
	if !errors.As(err, &oe) || !errors.Is(err, ErrFIPSUnavailable) {
		t.Fatalf("error %#v: want *Error wrapping ErrFIPSUnavailable", err)
	}
	if oe.Op != "loading the fips provider" || !strings.Contains(oe.Reason, "fips") {
		t.Errorf("Op %q, Reason %q", oe.Op, oe.Reason)
	}
	if !strings.HasPrefix(err.Error(), "openssl: loading the fips provider: FIPS mode required but OpenSSL's FIPS provider is unavailable: ") {
		t.Errorf("message %q", err)
	}
	// Not cached: a second attempt fails the same way.
	if _, err2 := Open(ModeRequire, ""); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("second attempt: %v", err2)
	}
}

func TestDigestByName(t *testing.T) {
	kat := map[string]string{
		"SHA2-256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"SHA256":   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"SHA3-256": "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
		"MD5":      "900150983cd24fb0d6963f7d28e17f72",
		"SHA1":     "a9993e364706816aba3e25717850c26c9cd0d89d",
	}
	for _, m := range []Mode{ModeAuto, ModeOff} {
		c := open(t, m)
		for name, want := range kat {
			d, err := c.NewDigest(name)
			if err != nil {
				t.Fatalf("%v %s: %v", m, name, err)
			}
			if d.Name() != name || d.Size() != len(want)/2 {
				t.Errorf("%s: Name %q Size %d", name, d.Name(), d.Size())
			}
			d.Write([]byte("ab"))
			d.Write([]byte("c"))
			got, err := d.Sum()
			if err != nil || hex.EncodeToString(got) != want {
				t.Errorf("%v %s(abc) = %x, %v; want %s", m, name, got, err, want)
			}
			if n, err := c.DigestSize(name); n != len(want)/2 || err != nil {
				t.Errorf("DigestSize(%s) = %d, %v", name, n, err)
			}
			d.Close()
		}
	}
}

func TestDigestClose(t *testing.T) {
	d, err := open(t, ModeAuto).NewDigest("SHA2-512")
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Clone()
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	d.Close() // idempotent
	if _, err := d.Write([]byte("x")); err == nil {
		t.Error("Write after Close succeeded")
	}
	if _, err := d.Sum(); err == nil {
		t.Error("Sum after Close succeeded")
	}
	if _, err := d.Clone(); err == nil {
		t.Error("Clone after Close succeeded")
	}
	// The clone is independent of the closed original.
	got, err := c.Sum()
	if err != nil || hex.EncodeToString(got)[:16] != "cf83e1357eefb8bd" {
		t.Errorf("clone Sum = %x, %v", got, err)
	}
	c.Close()
}

// TestDigestFinal: Final gives what Sum gives, without changing a clone,
// and frees the digest.
func TestDigestFinal(t *testing.T) {
	d, err := open(t, ModeAuto).NewDigest("SHA2-256")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Write([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	c, err := d.Clone()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	got, err := d.Final()
	if err != nil || hex.EncodeToString(got) != want {
		t.Errorf("Final = %x, %v; want %s", got, err, want)
	}
	if _, err := d.Final(); err == nil {
		t.Error("Final after Final succeeded")
	}
	if _, err := d.Write([]byte("x")); err == nil {
		t.Error("Write after Final succeeded")
	}
	d.Close() // after Final: nothing left to free
	if got, err := c.Sum(); err != nil || hex.EncodeToString(got) != want {
		t.Errorf("clone Sum after Final = %x, %v; want %s", got, err, want)
	}
}

func TestUnknownDigest(t *testing.T) {
	_, err := open(t, ModeAuto).NewDigest("NO-SUCH-DIGEST")
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("error %v: want ErrUnavailable", err)
	}
	// The drained error queue names OpenSSL's reason and the algorithm.
	if msg := err.Error(); !strings.Contains(msg, "EVP_MD_fetch NO-SUCH-DIGEST") || !strings.Contains(msg, "unsupported") || !strings.Contains(msg, "NO-SUCH-DIGEST : ") {
		t.Errorf("message %q", msg)
	}
	if _, err := open(t, ModeAuto).DigestSize("NO-SUCH-DIGEST"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("DigestSize: %v", err)
	}
}

// TestErrorQueueDrained checks that a failure leaves nothing behind: the
// next failure reports only its own reasons.
func TestErrorQueueDrained(t *testing.T) {
	c := open(t, ModeAuto)
	err1 := c.VerifyECDSA("P-256", []byte{4, 1, 2}, make([]byte, 32), []byte{1}, []byte{1})
	if err1 == nil {
		t.Fatal("bad point accepted")
	}
	_, err2 := c.NewDigest("NOPE")
	if strings.Contains(err2.Error(), "elliptic curve") {
		t.Errorf("stale error queue: %v", err2)
	}
	err3 := c.VerifyECDSA("no-such-group", []byte{4}, nil, []byte{1}, []byte{1})
	if err3 == nil || strings.Contains(err3.Error(), "NOPE") {
		t.Errorf("unknown group: %v", err3)
	}
}

func TestVerifyResults(t *testing.T) {
	c := open(t, ModeAuto)
	// A zero Ed25519 signature: OpenSSL says "does not verify".
	err := c.VerifyEdDSA("ED25519", make([]byte, 32), []byte("m"), make([]byte, 64))
	if !errors.Is(err, ErrVerify) {
		t.Errorf("Ed25519: %v, want ErrVerify", err)
	}
	// An RSA signature with bad padding: ErrVerify with OpenSSL's reason.
	n := make([]byte, 128)
	n[0], n[127] = 0xc0, 0x01
	err = c.VerifyRSA(n, []byte{1, 0, 1}, "SHA2-256", make([]byte, 32), append([]byte{0}, make([]byte, 127)...))
	if !errors.Is(err, ErrVerify) || !strings.Contains(err.Error(), "RSA verify: signature did not verify") {
		t.Errorf("RSA: %v", err)
	}
	// Unknown key type: unavailable.
	if err := c.VerifyEdDSA("ED999", make([]byte, 32), nil, make([]byte, 64)); !errors.Is(err, ErrUnavailable) {
		t.Errorf("ED999: %v, want ErrUnavailable", err)
	}
	if err := c.VerifyRSA(n, []byte{3}, "NOPE", nil, nil); !errors.Is(err, ErrUnavailable) {
		t.Errorf("RSA with unknown digest: %v, want ErrUnavailable", err)
	}
}

func TestDERSignature(t *testing.T) {
	for _, tt := range []struct {
		r, s []byte
		want string
	}{
		{[]byte{1}, []byte{2}, "3006020101020102"},
		{nil, nil, "3006020100020100"},
		{[]byte{0, 0, 0x80}, []byte{0x7f}, "30070202008002017f"},
	} {
		got, err := derSignature(tt.r, tt.s)
		if err != nil || hex.EncodeToString(got) != tt.want {
			t.Errorf("derSignature(%x, %x) = %x, %v; want %s", tt.r, tt.s, got, err, tt.want)
		}
	}
}

func TestErrorString(t *testing.T) {
	for _, tt := range []struct {
		e    Error
		want string
	}{
		{Error{Op: "X"}, "openssl: X failed"},
		{Error{Op: "X", Reason: "r"}, "openssl: X failed: r"},
		{Error{Op: "X", Kind: ErrVerify, Reason: "r"}, "openssl: X: signature did not verify: r"},
	} {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.e, got, tt.want)
		}
	}
}
