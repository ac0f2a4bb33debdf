package legacy

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
)

func TestDescribeInitMergeLint(t *testing.T) {
	b := New()
	d, err := b.Describe()
	if err != nil || d.Name != "internal-legacy" || d.Profile != core.ProfileLegacy || d.FIPS {
		t.Fatalf("Describe = %+v, %v", d, err)
	}
	for _, f := range []core.FIPSMode{"", core.FIPSAuto, core.FIPSOff} {
		if err := b.Init(core.Options{FIPS: f, Policy: []byte("garbage")}); err != nil {
			t.Errorf("Init(FIPS %q) = %v", f, err)
		}
	}
	if err := b.Init(core.Options{FIPS: "require"}); err == nil {
		t.Error("Init(FIPS require) succeeded")
	}
	if err := b.Init(core.Options{FIPS: "maybe"}); err == nil {
		t.Error("Init(FIPS maybe) succeeded")
	}
	if _, err := b.Merge([]byte{1}, []byte{2}); !errors.Is(err, core.ErrNotSupported) {
		t.Errorf("Merge error %v, want ErrNotSupported", err)
	}
	for _, in := range [][]byte{nil, []byte("not a key")} {
		if v, err := b.LintKey(in); err != nil || v.RC != core.RCOK || v.Lint != "" {
			t.Errorf("LintKey = %+v, %v; 4.18's stub always says OK", v, err)
		}
	}
}

func TestDigests(t *testing.T) {
	b := New()
	abc := map[core.HashAlgo]string{
		core.HashMD5:      "900150983cd24fb0d6963f7d28e17f72",
		core.HashSHA1:     "a9993e364706816aba3e25717850c26c9cd0d89d",
		core.HashSHA224:   "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
		core.HashSHA256:   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		core.HashSHA384:   "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
		core.HashSHA512:   "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
		core.HashSHA3_256: "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
		core.HashSHA3_512: "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0",
	}
	for _, algo := range core.RequiredDigests {
		d, err := b.NewDigest(algo)
		if err != nil {
			t.Fatalf("%v: %v", algo, err)
		}
		d.Write([]byte("a"))
		dup, err := d.Dup()
		if err != nil {
			t.Fatal(err)
		}
		d.Write([]byte("bc"))
		dup.Write([]byte("bc"))
		dup.Write([]byte("x")) // must not affect d
		sum, err := d.Final()
		if err != nil || hex.EncodeToString(sum) != abc[algo] {
			t.Errorf("%v(abc) = %x, %v", algo, sum, err)
		}
		if _, err := d.Final(); err == nil {
			t.Errorf("%v: second Final succeeded", algo)
		}
		if _, err := d.Write([]byte("x")); err == nil {
			t.Errorf("%v: Write after Final succeeded", algo)
		}
		dup.Close()
		if err := dup.Close(); err != nil {
			t.Errorf("double Close: %v", err)
		}
	}
	if _, err := b.NewDigest(core.HashRIPEMD160); !errors.Is(err, core.ErrUnsupportedDigest) {
		t.Errorf("RIPEMD160: %v", err)
	}
}

func TestPacketFraming(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		ok   bool
		blen int
	}{
		{"old-1", []byte{0x88, 1, 'x'}, true, 1},
		{"old-2", []byte{0x89, 0, 1, 'x'}, true, 1},
		{"old-4", []byte{0x8a, 0, 0, 0, 1, 'x'}, true, 1},
		{"old-indeterminate", []byte{0x8b, 'x', 'y'}, false, 0},
		{"old-short", []byte{0x88, 2, 'x'}, false, 0},
		{"new-1", []byte{0xc2, 1, 'x'}, true, 1},
		{"new-2", append([]byte{0xc2, 192, 0}, make([]byte, 192)...), true, 192},
		{"new-5", []byte{0xc2, 255, 0, 0, 0, 1, 'x'}, true, 1},
		{"new-partial", []byte{0xc2, 224, 'x'}, false, 0},
		{"new-5-huge", []byte{0xc2, 255, 0xff, 0xff, 0xff, 0xff, 'x'}, false, 0},
		{"not-a-packet", []byte{0x42, 1, 'x'}, false, 0},
		{"one-byte", []byte{0xc2}, false, 0},
	}
	for _, c := range cases {
		p, ok := decodePkt(c.in, 0)
		if ok != c.ok || (ok && (p.blen != c.blen || p.end() > len(c.in))) {
			t.Errorf("%s: ok=%v blen=%d, want ok=%v blen=%d", c.name, ok, p.blen, c.ok, c.blen)
		}
	}
}

// TestSizeCap checks RPM_MAX_OPENPGP_BYTES: 65535 bytes parse, 65536 do not.
func TestSizeCap(t *testing.T) {
	m := getMaterial(t)
	cert := buildCert(t, m.rsa1024, certOpts{uids: []string{"cap <cap@example.org>"}})
	pad := func(total int) []byte {
		n := total - len(cert) - 6 // 6-byte new-format header with 5-byte length
		return append(append([]byte{}, cert...), newPacket(60, make([]byte, n))...)
	}
	b := New()
	for _, c := range []struct {
		size int
		ok   bool
	}{{65535, true}, {65536, false}} {
		in := pad(c.size)
		if len(in) != c.size {
			t.Fatalf("built %d bytes, want %d", len(in), c.size)
		}
		pr, err := b.ParseCertificate(in)
		if err != nil || pr.OK() != c.ok {
			t.Errorf("%d bytes: ok=%v err=%v, want ok=%v", c.size, pr.OK(), err, c.ok)
		}
	}
}

func TestArmor(t *testing.T) {
	b := New()
	w, err := b.WrapArmor(core.ArmorPubKey, []byte("hi"))
	if err != nil {
		t.Fatal(err)
	}
	// pgpArmorWrap's exact format; CRC24("hi") = 0x526e1c, computed
	// independently.
	want := "-----BEGIN PGP PUBLIC KEY BLOCK-----\nVersion: rpm-4.18.0\n\naGk=\n=Um4c\n-----END PGP PUBLIC KEY BLOCK-----\n"
	if w != want {
		t.Errorf("WrapArmor:\n%s\nwant\n%s", w, want)
	}
	// No data: no base64 line at all, CRC24 of nothing is its initial value.
	if w, err := b.WrapArmor(core.ArmorSignature, nil); err != nil || w != "-----BEGIN PGP SIGNATURE-----\nVersion: rpm-4.18.0\n\n=twTO\n-----END PGP SIGNATURE-----\n" {
		t.Errorf("WrapArmor(nil) = %q, %v", w, err)
	}
	long := bytes.Repeat([]byte{0xa5}, 100)
	wl, _ := b.WrapArmor(core.ArmorSignature, long)
	if !strings.HasPrefix(wl, "-----BEGIN PGP SIGNATURE-----\n") || strings.Count(wl, "\n") != 8 {
		t.Errorf("long armor:\n%s", wl)
	}
	good := w
	body := "aGk=\n"
	noCRC := strings.Replace(good, strings.Split(good, "\n")[4]+"\n", "", 1)
	badCRC := strings.Replace(good, "\n=", "\n=AAAA\n#", 1)
	cases := []struct {
		name string
		text string
		kind core.ArmorKind
		data string
	}{
		{"good", good, core.ArmorPubKey, "hi"},
		{"crlf", strings.ReplaceAll(good, "\n", "\r\n"), core.ArmorPubKey, "hi"},
		{"no-eol-at-eof", strings.TrimSuffix(good, "\n"), core.ArmorPubKey, "hi"},
		{"after-signature-block", "-----BEGIN PGP SIGNATURE-----\n\nxx\n=AAAA\n-----END PGP SIGNATURE-----\n" + good, core.ArmorPubKey, "hi"},
		{"signature-only", strings.ReplaceAll(good, "PUBLIC KEY BLOCK", "SIGNATURE"), core.ArmorNone, ""},
		{"secret-key", strings.ReplaceAll(good, "PUBLIC KEY BLOCK", "PRIVATE KEY BLOCK"), core.ArmorNone, ""},
		{"unknown-type", strings.ReplaceAll(good, "PUBLIC KEY BLOCK", "FOO"), core.ArmorErrUnknownArmorType, ""},
		{"no-crc", noCRC, core.ArmorNone, ""},
		{"bad-crc", strings.Replace(good, "\n=", "\n=AAAA\n-----END PGP PUBLIC KEY BLOCK-----\n#", 1), core.ArmorErrCRCCheck, ""},
		{"crc-not-followed-by-end", badCRC, core.ArmorErrNoEndPGP, ""},
		{"crc-undecodable", strings.Replace(good, "\n=", "\n=A*\n-----END PGP PUBLIC KEY BLOCK-----\n#", 1), core.ArmorErrCRCDecode, ""},
		{"body-undecodable", strings.Replace(good, body, "a*k=\n", 1), core.ArmorErrBodyDecode, ""},
		{"unknown-header", strings.Replace(good, "Version: rpm-4.18.0", "Foo: bar", 1), core.ArmorNone, ""},
		{"empty", "", core.ArmorErrNoBeginPGP, ""},
		{"nul-truncates", "\x00" + good, core.ArmorErrNoBeginPGP, ""},
		{"binary", "\x99\x01\x0d", core.ArmorNone, ""},
	}
	o := getOracle(t)
	agreed := 0
	for _, c := range cases {
		kind, data, err := b.ParseArmor([]byte(c.text))
		if err != nil || kind != c.kind || string(data) != c.data {
			t.Errorf("%s: kind %d data %q err %v; want kind %d data %q", c.name, kind, data, err, c.kind, c.data)
		}
		if !o.ok {
			continue
		}
		res := o.run(t, map[string]string{"op": "armor", "text": hex.EncodeToString([]byte(c.text))})
		ok, _ := res["kind"].(float64)
		od, _ := res["data"].(string)
		if res["crash"] != nil || rpmArmorKind(int(ok)) != kind || od != hex.EncodeToString(data) {
			t.Errorf("%s: librpmio pgpParsePkts kind %v data %q, backend kind %d", c.name, res["kind"], od, kind)
			continue
		}
		agreed++
	}
	if o.ok {
		t.Logf("librpmio pgpParsePkts agreed on %d/%d armor cases", agreed, len(cases))
	}
}

func TestVerifyRequests(t *testing.T) {
	m := getMaterial(t)
	b := New()
	data := []byte("x")
	sig := sigV4(t, m.rsa1024, data, sigOpts{created: 5})
	pr, _ := b.ParseSignature(sig)
	if !pr.OK() || pr.Params.KeyID != core.KeyID(m.rsa1024.keyID()) || pr.Params.CreationTime != 5 ||
		pr.Params.HashAlgo != core.HashSHA256 || pr.Params.PubKeyAlgo != core.PubKeyRSA || pr.Params.SigType != 0 {
		t.Fatalf("ParseSignature = %+v", pr)
	}
	d, _ := b.NewDigest(core.HashSHA256)
	d.Write(data)
	if _, err := b.VerifySignature(nil, nil, d); err == nil {
		t.Error("nil signature accepted")
	}
	other, _ := b.NewDigest(core.HashSHA1)
	if _, err := b.VerifySignature(nil, pr.Params, other); err == nil {
		t.Error("digest of the wrong algorithm accepted")
	}
	kp, _ := b.ParseCertificate(buildCert(t, m.rsa1024, certOpts{uids: []string{"u"}}))
	v, err := b.VerifySignature(kp.Params, pr.Params, d)
	if err != nil || v.RC != core.RCOK {
		t.Fatalf("verify = %v, %v", v, err)
	}
	// d is unchanged: verifying again gives the same answer.
	v, err = b.VerifySignature(kp.Params, pr.Params, d)
	if err != nil || v.RC != core.RCOK {
		t.Fatalf("second verify = %v, %v", v, err)
	}
	// Params fields are not trusted: the verdict comes from Packet.
	forged := *pr.Params
	forged.HashPrefix = [2]byte{}
	forged.KeyID = core.KeyID{}
	if v, err := b.VerifySignature(kp.Params, &forged, d); err != nil || v.RC != core.RCOK {
		t.Errorf("verify with edited params = %v, %v", v, err)
	}
	broken := *pr.Params
	broken.Packet = broken.Packet[:len(broken.Packet)-1]
	if _, err := b.VerifySignature(kp.Params, &broken, d); err == nil {
		t.Error("unparseable signature packet accepted")
	}
	badKey := *kp.Params
	badKey.Packet = []byte{1, 2, 3}
	if _, err := b.VerifySignature(&badKey, pr.Params, d); err == nil {
		t.Error("unparseable key accepted")
	}
}

// rpmArmorKind maps rpm 4.18's numeric pgpArmor (include/rpm/rpmpgp.h) to
// core's names. Note: core numbers ArmorErrCRCCheck -2 and
// ArmorErrUnknownArmorType -7, the reverse of rpm's values (-7 and -2).
func rpmArmorKind(v int) core.ArmorKind {
	switch v {
	case -7:
		return core.ArmorErrCRCCheck
	case -2:
		return core.ArmorErrUnknownArmorType
	}
	return core.ArmorKind(v)
}
