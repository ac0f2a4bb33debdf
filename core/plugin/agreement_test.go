package plugin

import (
	"bytes"
	"crypto"
	"path/filepath"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/google/go-cmp/cmp"

	"github.com/rpmpgp/rpmpgp/backends/gocrypto"
	"github.com/rpmpgp/rpmpgp/core"
)

// agreementCase is a certificate, data and a detached signature over it.
type agreementCase struct {
	name       string
	cert, sig  []byte
	data       []byte
	tamperData []byte
}

// makeAgreementCases generates keys and signatures with go-crypto.
func makeAgreementCases(t *testing.T) []agreementCase {
	t.Helper()
	now := time.Now().Add(-time.Hour)
	configs := map[string]*packet.Config{
		"ed25519-v4": {Algorithm: packet.PubKeyAlgoEdDSA, DefaultHash: crypto.SHA256, Time: func() time.Time { return now }},
		"rsa2048-v4": {Algorithm: packet.PubKeyAlgoRSA, RSABits: 2048, DefaultHash: crypto.SHA512, Time: func() time.Time { return now }},
		"ed25519-v6": {Algorithm: packet.PubKeyAlgoEd25519, V6Keys: true, DefaultHash: crypto.SHA256, Time: func() time.Time { return now }},
	}
	var cases []agreementCase
	for name, cfg := range configs {
		e, err := openpgp.NewEntity("Agreement Test", "", "agree@example.org", cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var cert bytes.Buffer
		if err := e.Serialize(&cert); err != nil {
			t.Fatal(err)
		}
		data := []byte("rpm header bytes for " + name)
		var sig bytes.Buffer
		if err := openpgp.DetachSign(&sig, e, bytes.NewReader(data), cfg); err != nil {
			t.Fatalf("%s: sign: %v", name, err)
		}
		cases = append(cases, agreementCase{name: name, cert: cert.Bytes(), sig: sig.Bytes(), data: data, tamperData: append([]byte("X"), data...)})
	}
	return cases
}

// verifyWith runs rpm's flow on b: parse both, feed salt+data into a digest
// of the signature's hash, verify with the key and with no key.
func verifyWith(t *testing.T, b core.Backend, c agreementCase, data []byte) []any {
	t.Helper()
	var out []any
	sig, err := b.ParseSignature(c.sig)
	out = append(out, sig, err)
	cert, err := b.ParseCertificate(c.cert)
	out = append(out, cert, err)
	if !sig.OK() || !cert.OK() {
		return out
	}
	d, err := b.NewDigest(sig.Params.HashAlgo)
	if err != nil {
		return append(out, err)
	}
	defer d.Close()
	d.Write(sig.Params.Salt)
	d.Write(data)
	for _, key := range []*core.Params{cert.Params, nil} {
		v, err := b.VerifySignature(key, sig.Params, d)
		out = append(out, v, err)
	}
	return out
}

// TestGocryptoInAndOutOfProcessAgree builds rpmpgp-backend-gocrypto and
// compares its answers with gocrypto.New() in process.
func TestGocryptoInAndOutOfProcessAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("builds rpmpgp-backend-gocrypto")
	}
	dir := t.TempDir()
	if err := goBuild(filepath.Join(dir, BinaryPrefix+"gocrypto"), "../../backends/gocrypto/cmd/rpmpgp-backend-gocrypto"); err != nil {
		t.Fatal(err)
	}
	remote, err := Open("gocrypto", LoadConfig{Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	local := gocrypto.New()
	opts := core.Options{Time: time.Now()}
	if err := local.Init(opts); err != nil {
		t.Fatal(err)
	}
	if err := remote.Init(opts); err != nil {
		t.Fatal(err)
	}
	errText := cmp.Comparer(func(a, b error) bool {
		if a == nil || b == nil {
			return a == b
		}
		return bytes.HasSuffix([]byte(a.Error()), []byte(b.Error())) || bytes.HasSuffix([]byte(b.Error()), []byte(a.Error()))
	})
	for _, c := range makeAgreementCases(t) {
		t.Run(c.name, func(t *testing.T) {
			for _, data := range [][]byte{c.data, c.tamperData} {
				got, want := verifyWith(t, remote, c, data), verifyWith(t, local, c, data)
				if diff := cmp.Diff(want, got, errText); diff != "" {
					t.Errorf("verification (-in process +out of process):\n%s", diff)
				}
			}
			results := func(b core.Backend) []any {
				lint, lerr := b.LintKey(c.cert)
				fp, ferr := b.Fingerprint(c.cert)
				id, ierr := b.KeyID(c.cert)
				n, nerr := b.CertLen(append(bytes.Clone(c.cert), c.cert...))
				subs, serr := b.Subkeys(c.cert)
				m, merr := b.Merge(c.cert, c.cert)
				armor, aerr := b.WrapArmor(core.ArmorSignature, c.sig)
				kind, dearmored, perr := b.ParseArmor([]byte(armor))
				return []any{lint, lerr, fp, ferr, id, ierr, n, nerr, subs, serr, m, merr, armor, aerr, kind, dearmored, perr}
			}
			if diff := cmp.Diff(results(local), results(remote), errText); diff != "" {
				t.Errorf("key tools (-in process +out of process):\n%s", diff)
			}
		})
	}
	ld, _ := local.Describe()
	rd, err := remote.Describe()
	if err != nil {
		t.Fatal(err)
	}
	ld.Protocol, ld.Path = ProtocolVersion, filepath.Join(dir, BinaryPrefix+"gocrypto")
	if diff := cmp.Diff(ld, rd); diff != "" {
		t.Errorf("Describe (-in process +out of process):\n%s", diff)
	}
}
