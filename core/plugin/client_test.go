package plugin

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/testbackend"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// TestClientAgreesWithInProcess runs every core.Backend method through the
// gRPC layer (in memory) and directly, and wants identical answers.
func TestClientAgreesWithInProcess(t *testing.T) {
	t.Parallel()
	direct := testbackend.New()
	c := memClient(t, testbackend.New())

	sig := []byte{0x12, 0x34, 5, 6}
	cert := []byte("certificate\x00trailing")
	armored := []byte("-----BEGIN PGP SIGNATURE-----\nAQID\n")

	check := func(name string, got, want any, gotErr, wantErr error) {
		t.Helper()
		if (gotErr == nil) != (wantErr == nil) {
			t.Errorf("%s: error %v, in process %v", name, gotErr, wantErr)
			return
		}
		if gotErr != nil && !strings.HasSuffix(gotErr.Error(), wantErr.Error()) {
			t.Errorf("%s: error %q does not end with %q", name, gotErr, wantErr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-in process +plugin):\n%s", name, diff)
		}
	}
	for _, in := range [][]byte{sig, nil} {
		g, ge := c.ParseSignature(in)
		w, we := direct.ParseSignature(in)
		check("ParseSignature", g, w, ge, we)
	}
	for _, in := range [][]byte{cert, nil} {
		g, ge := c.ParseCertificate(in)
		w, we := direct.ParseCertificate(in)
		check("ParseCertificate", g, w, ge, we)
		gs, ge := c.Subkeys(in)
		ws, we := direct.Subkeys(in)
		check("Subkeys", gs, ws, ge, we)
		gv, ge := c.LintKey(in)
		wv, we := direct.LintKey(in)
		check("LintKey", gv, wv, ge, we)
		gf, ge := c.Fingerprint(in)
		wf, we := direct.Fingerprint(in)
		check("Fingerprint", gf, wf, ge, we)
		gk, ge := c.KeyID(in)
		wk, we := direct.KeyID(in)
		check("KeyID", gk, wk, ge, we)
		gn, ge := c.CertLen(in)
		wn, we := direct.CertLen(in)
		check("CertLen", gn, wn, ge, we)
	}
	gm, ge := c.Merge(cert, cert)
	wm, we := direct.Merge(cert, cert)
	check("Merge", gm, wm, ge, we)
	for _, in := range [][]byte{armored, []byte("junk"), []byte("-----BEGIN PGP SIGNATURE-----\n!!!\n")} {
		gk, gd, ge := c.ParseArmor(in)
		wk, wd, we := direct.ParseArmor(in)
		check("ParseArmor kind", gk, wk, ge, we)
		check("ParseArmor data", gd, wd, ge, we)
	}
	for _, k := range []core.ArmorKind{core.ArmorSignature, core.ArmorPubKey} {
		gw, ge := c.WrapArmor(k, []byte{1, 2, 3})
		ww, we := direct.WrapArmor(k, []byte{1, 2, 3})
		check("WrapArmor", gw, ww, ge, we)
	}
	gd, ge := c.Describe()
	wd, we := direct.Describe()
	wd.Protocol, wd.Path = ProtocolVersion, "(memory)"
	check("Describe", gd, wd, ge, we)
}

// TestSentinelsCrossTheWire: core's sentinel errors survive the trip.
func TestSentinelsCrossTheWire(t *testing.T) {
	t.Parallel()
	c := memClient(t, testbackend.New())
	_, err := c.Merge([]byte("a"), []byte("b"))
	if !errors.Is(err, core.ErrNotSupported) {
		t.Errorf("Merge: %v does not wrap ErrNotSupported", err)
	}
	if want := `backend "mem": Merge: testbackend: merge: rpmpgp: operation not supported by this backend`; err == nil || err.Error() != want {
		t.Errorf("Merge: %v, want %q", err, want)
	}
	_, err = c.NewDigest(core.HashMD2)
	if !errors.Is(err, core.ErrUnsupportedDigest) {
		t.Errorf("NewDigest(MD2): %v does not wrap ErrUnsupportedDigest", err)
	}
}

// verifyCase computes what VerifySignature needs for data under the test
// backend: a signature packet whose hash prefix matches SHA-256(data) and a
// key whose key ID is the issuer's.
func verifyCase(data []byte) (key, sig *core.Params) {
	sum := sha256.Sum256(data)
	pkt := append([]byte{sum[0], sum[1]}, "signature"...)
	sig = &core.Params{Kind: core.KindSignature, HashAlgo: core.HashSHA256, KeyID: testbackend.SigKeyID(pkt), HashPrefix: [2]byte{sum[0], sum[1]}, Packet: pkt}
	key = &core.Params{Kind: core.KindKey, KeyID: sig.KeyID, Packet: []byte("cert")}
	return key, sig
}

func TestVerifySignatureWithRemoteDigest(t *testing.T) {
	t.Parallel()
	c := memClient(t, testbackend.New())
	data := bytes.Repeat([]byte("payload "), 100000) // 800 kB, many small writes
	key, sig := verifyCase(data)
	d, err := c.NewDigest(core.HashSHA256)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for i := 0; i < len(data); i += 1000 {
		if n, err := d.Write(data[i:min(i+1000, len(data))]); err != nil || n != min(1000, len(data)-i) {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	tests := map[string]struct {
		key  *core.Params
		want core.Verdict
	}{
		"ok":        {key, core.Verdict{RC: core.RCOK}},
		"no key":    {nil, core.Verdict{RC: core.RCNoKey, Lint: "testbackend: no key"}},
		"wrong key": {&core.Params{Kind: core.KindKey}, core.Verdict{RC: core.RCFail, Lint: "testbackend: wrong key"}},
	}
	for name, tc := range tests {
		v, err := c.VerifySignature(tc.key, sig, d)
		if err != nil || v != tc.want {
			t.Errorf("%s: VerifySignature = %+v, %v; want %+v", name, v, err, tc.want)
		}
	}
	// d is unchanged by verification: one more byte makes the prefix fail.
	if _, err := d.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	v, err := c.VerifySignature(key, sig, d)
	want := core.Verdict{RC: core.RCFail, Lint: "testbackend: digest prefix mismatch"}
	if err != nil || v != want {
		t.Errorf("after extra byte: %+v, %v; want %+v", v, err, want)
	}
	// A digest of another backend is refused.
	other := memClient(t, testbackend.New())
	od, err := other.NewDigest(core.HashSHA256)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.VerifySignature(key, sig, od); err == nil || err.Error() != `backend "mem": VerifySignature: digest belongs to backend "mem"` {
		t.Errorf("foreign digest: %v", err)
	}
	direct, _ := testbackend.New().NewDigest(core.HashSHA256)
	if _, err := c.VerifySignature(key, sig, direct); err == nil || !strings.Contains(err.Error(), "was not created by this backend") {
		t.Errorf("in-process digest: %v", err)
	}
	if _, err := c.VerifySignature(key, nil, d); err == nil || err.Error() != `backend "mem": VerifySignature: no signature params` {
		t.Errorf("nil sig: %v", err)
	}
}

func TestRemoteDigestLifecycle(t *testing.T) {
	t.Parallel()
	c := memClient(t, testbackend.New())
	small := []byte("abc")
	big := bytes.Repeat([]byte{7}, 3*wire.ChunkSize+12345) // several chunks, bypasses the buffer
	want := sha512.Sum512(append(append(append([]byte{}, small...), big...), small...))
	d, err := c.NewDigest(core.HashSHA512)
	if err != nil {
		t.Fatal(err)
	}
	if d.Algo() != core.HashSHA512 {
		t.Errorf("Algo = %v", d.Algo())
	}
	for _, p := range [][]byte{small, big, small} {
		if n, err := d.Write(p); err != nil || n != len(p) {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	dup, err := d.Dup()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dup.Write([]byte("more")); err != nil {
		t.Fatal(err)
	}
	got, err := d.Final()
	if err != nil || !bytes.Equal(got, want[:]) {
		t.Fatalf("Final = %x, %v; want %x", got, err, want)
	}
	if _, err := d.Final(); err == nil || err.Error() != `backend "mem": DigestFinal: digest used after Final or Close` {
		t.Errorf("second Final: %v", err)
	}
	if _, err := d.Write(small); err == nil {
		t.Error("Write after Final succeeded")
	}
	if err := d.Close(); err != nil {
		t.Errorf("Close after Final: %v", err)
	}
	wantDup := sha512.Sum512(append(append(append(append([]byte{}, small...), big...), small...), "more"...))
	if got, err := dup.Final(); err != nil || !bytes.Equal(got, wantDup[:]) {
		t.Errorf("dup Final = %x, %v", got, err)
	}
	e, err := c.NewDigest(core.HashSHA1)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := e.Dup(); err == nil {
		t.Error("Dup after Close succeeded")
	}
}

// TestUpdateDigests feeds the same bytes into three digests with one read
// of r and compares with in-process hashing.
func TestUpdateDigests(t *testing.T) {
	t.Parallel()
	c := memClient(t, testbackend.New())
	data := make([]byte, 5*wire.ChunkSize+777)
	for i := range data {
		data[i] = byte(i * 7)
	}
	prefix := []byte("buffered prefix")
	tests := map[string]io.Reader{
		"plain":      bytes.NewReader(data),
		"one byte":   iotest.OneByteReader(bytes.NewReader(data[:5000])),
		"half reads": iotest.HalfReader(bytes.NewReader(data)),
		"empty":      bytes.NewReader(nil),
	}
	for name, r := range tests {
		t.Run(name, func(t *testing.T) {
			var all []byte
			all = append(all, prefix...)
			var in bytes.Buffer
			r = io.TeeReader(r, &in)
			ds := make([]core.Digest, 3)
			for i, a := range []core.HashAlgo{core.HashSHA256, core.HashSHA1, core.HashSHA512} {
				d, err := c.NewDigest(a)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := d.Write(prefix); err != nil { // still buffered client-side
					t.Fatal(err)
				}
				ds[i] = d
			}
			n, err := core.UpdateDigests(c, ds, r)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, in.Bytes()...)
			if n != int64(in.Len()) {
				t.Errorf("n = %d, want %d", n, in.Len())
			}
			s256, s1, s512 := sha256.Sum256(all), sha1.Sum(all), sha512.Sum512(all)
			for i, want := range [][]byte{s256[:], s1[:], s512[:]} {
				got, err := ds[i].Final()
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("digest %d = %x, %v; want %x", i, got, err, want)
				}
			}
		})
	}
}

func TestUpdateDigestsErrors(t *testing.T) {
	t.Parallel()
	c := memClient(t, testbackend.New())
	d, err := c.NewDigest(core.HashSHA256)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateDigests([]core.Digest{d, d}, bytes.NewReader([]byte("x"))); err == nil || err.Error() != `backend "mem": UpdateDigests: the same digest is listed twice` {
		t.Errorf("duplicate: %v", err)
	}
	readErr := errors.New("disk on fire")
	_, err = c.UpdateDigests([]core.Digest{d}, io.MultiReader(bytes.NewReader(make([]byte, wire.ChunkSize+1)), iotest.ErrReader(readErr)))
	if !errors.Is(err, readErr) {
		t.Errorf("reader error: %v", err)
	}
	// The digest's state is unknown now: no value may come out of it.
	if _, err := d.Final(); !errors.Is(err, readErr) {
		t.Errorf("Final after failed bulk update: %v", err)
	}
	// The backend itself is fine.
	if v, err := c.LintKey([]byte("k")); err != nil || v.RC != core.RCOK {
		t.Errorf("LintKey after reader error: %+v, %v", v, err)
	}
	if c.Restarts() != 0 {
		t.Errorf("Restarts = %d", c.Restarts())
	}
	if n, err := c.UpdateDigests(nil, bytes.NewReader([]byte("abc"))); n != 3 || err != nil {
		t.Errorf("no digests: %d, %v", n, err)
	}
}

func TestRequestSizeLimit(t *testing.T) {
	t.Parallel()
	c := memClient(t, testbackend.New())
	_, err := c.ParseCertificate(make([]byte, wire.MaxRequestData+1))
	want := `backend "mem": ParseCertificate: request carries 67043329 bytes, more than the 64 MiB message limit`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	// Just under the limit passes (the server's MaxRecvMsgSize is raised).
	big := make([]byte, 8<<20)
	big[0] = 1
	if n, err := c.CertLen(big); err != nil || n != 1 {
		// the test backend's certificate ends at the first NUL
		t.Errorf("CertLen(8 MiB) = %d, %v", n, err)
	}
}

func TestClosedClient(t *testing.T) {
	t.Parallel()
	c := memClient(t, testbackend.New())
	d, err := c.NewDigest(core.HashSHA256)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := c.LintKey([]byte("k")); !errors.Is(err, ErrClosed) || err.Error() != `backend "mem": LintKey: backend client is closed` {
		t.Errorf("after Close: %v", err)
	}
	if _, err := d.Final(); err == nil {
		t.Error("Final after Close succeeded")
	}
	if c.PID() != 0 {
		t.Errorf("PID after Close = %d", c.PID())
	}
}
