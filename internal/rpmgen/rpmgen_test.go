package rpmgen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "rpms", name))
	if err != nil {
		t.Skipf("fixture missing (run go run ./internal/cmd/mkfixtures -out testdata): %v", err)
	}
	return b
}

// TestResignReproducesRpmsign checks that rebuilding the unsigned rpmbuild
// package with the signature packet rpmsign wrote gives rpmsign's bytes.
func TestResignReproducesRpmsign(t *testing.T) {
	unsigned := readFixture(t, "unsigned.rpm")
	for _, name := range []string{"rpmsign-rsa2048.rpm", "rpmsign-rsa4096.rpm", "rpmsign-ed25519.rpm", "rpmsign-dsa2048.rpm"} {
		signed := readFixture(t, name)
		p, err := Parse(signed)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var sigs []Entry
		for _, tag := range SignatureTags {
			if e, ok := p.Get(tag); ok {
				sigs = append(sigs, e)
			}
		}
		if len(sigs) != 1 {
			t.Fatalf("%s: %d signature entries", name, len(sigs))
		}
		got, err := Resign(unsigned, sigs...)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, signed) {
			t.Errorf("%s: Resign(unsigned, sig) differs from rpmsign output", name)
		}
		again, err := Resign(signed, sigs...)
		if err != nil || !bytes.Equal(again, signed) {
			t.Errorf("%s: Resign(signed, same sig) not byte-identical (err %v)", name, err)
		}
		re, err := p.Bytes()
		if err != nil || !bytes.Equal(re, signed) {
			t.Errorf("%s: Parse+Bytes not byte-identical (err %v)", name, err)
		}
	}
}

// TestEncodeMainHeader checks that the main header written by rpmbuild is
// re-encoded byte for byte (region 63, alignment, trailer).
func TestEncodeMainHeader(t *testing.T) {
	p, err := Parse(readFixture(t, "unsigned.rpm"))
	if err != nil {
		t.Fatal(err)
	}
	region, es, n, err := DecodeHeader(p.Header)
	if err != nil || region != TagHeaderImmutable || n != len(p.Header) {
		t.Fatalf("decode: region %d n %d err %v", region, n, err)
	}
	got, err := EncodeHeader(TagHeaderImmutable, es)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, p.Header) {
		t.Error("main header re-encoding differs")
	}
	// Fresh digests equal the ones rpmbuild wrote.
	for _, e := range p.DigestEntries() {
		orig, ok := p.Get(e.Tag)
		if !ok || !bytes.Equal(orig.Data, e.Data) {
			t.Errorf("digest tag %d differs from rpmbuild's", e.Tag)
		}
	}
}

// TestAlignment checks type alignment and the region trailer of a small header.
func TestAlignment(t *testing.T) {
	b, err := EncodeHeader(TagHeaderSignatures, []Entry{String(269, "a"), Int64(270, 1), Int32(1000, 7)})
	if err != nil {
		t.Fatal(err)
	}
	// store: "a\0" pad to 8, int64 at 8, int32 at 16, trailer at 20.
	want := []byte{
		0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 36,
		0, 0, 0, 62, 0, 0, 0, 7, 0, 0, 0, 20, 0, 0, 0, 16,
		0, 0, 1, 13, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 1,
		0, 0, 1, 14, 0, 0, 0, 5, 0, 0, 0, 8, 0, 0, 0, 1,
		0, 0, 3, 232, 0, 0, 0, 4, 0, 0, 0, 16, 0, 0, 0, 1,
		'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 7,
		0, 0, 0, 62, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xc0, 0, 0, 0, 16,
	}
	if !bytes.Equal(b, want) {
		t.Errorf("got  %x\nwant %x", b, want)
	}
	if _, _, _, err := DecodeHeader(b[:len(b)-1]); err == nil {
		t.Error("truncated header accepted")
	}
	if _, err := EncodeHeader(TagHeaderSignatures, []Entry{Bin(268, nil), Bin(268, nil)}); err == nil {
		t.Error("duplicate tag accepted")
	}
}

// TestRpmkeysAcceptsWrittenPackage: rpm 4.18 checks the digests of a package
// whose signature header rpmgen rebuilt with fresh digests and a new tag 278.
func TestRpmkeysAcceptsWrittenPackage(t *testing.T) {
	if _, err := exec.LookPath("rpmkeys"); err != nil {
		testutil.Missing(t, "rpmkeys not installed")
	}
	unsigned := readFixture(t, "unsigned.rpm")
	p, err := Parse(unsigned)
	if err != nil {
		t.Fatal(err)
	}
	es := append(p.DigestEntries(), SHA3_256Entry(p.Header), OpenPGPEntry([]byte("not a packet")))
	pkg, err := Resign(unsigned, es...)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "x.rpm")
	if err := os.WriteFile(f, pkg, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("rpmkeys", "--dbpath", dir, "-Kv", f).CombinedOutput()
	if err != nil {
		t.Fatalf("rpmkeys -Kv: %v\n%s", err, out)
	}
	for _, want := range []string{"Header SHA256 digest: OK", "Header SHA1 digest: OK", "Payload SHA256 digest: OK", "MD5 digest: OK"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}
