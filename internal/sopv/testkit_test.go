package sopv

import (
	"bytes"
	"crypto"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	pgppacket "github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// signedAt is the creation time of the test signatures.
var signedAt = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// testKey is a fixture key pair: the secret entity and the certificate
// file of the repository's testdata/keys.
type testKey struct {
	entity   *openpgp.Entity
	certPath string
}

func loadKey(t testing.TB, name string) testKey {
	t.Helper()
	dir := filepath.Join(testutil.Fixtures(), "keys")
	f, err := os.Open(filepath.Join(dir, name+".secret.asc"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	el, err := openpgp.ReadArmoredKeyRing(f)
	if err != nil || len(el) != 1 {
		t.Fatalf("%s: %v (%d entities)", name, err, len(el))
	}
	return testKey{entity: el[0], certPath: filepath.Join(dir, name+".asc")}
}

func signConfig(at time.Time) *pgppacket.Config {
	return &pgppacket.Config{DefaultHash: crypto.SHA256, Time: func() time.Time { return at }}
}

// detach signs data (binary or text mode) and returns the bare packet.
func (k testKey) detach(t testing.TB, data string, text bool, at time.Time) []byte {
	t.Helper()
	var b bytes.Buffer
	sign := openpgp.DetachSign
	if text {
		sign = openpgp.DetachSignText
	}
	if err := sign(&b, k.entity, strings.NewReader(data), signConfig(at)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// inline returns an OpenPGP Signed Message (one-pass signature, literal
// data, signature) over data, compressed with ZLIB when compress is set.
func (k testKey) inline(t testing.TB, data string, compress bool) []byte {
	t.Helper()
	cfg := signConfig(signedAt)
	if compress {
		cfg.DefaultCompressionAlgo = pgppacket.CompressionZLIB
	}
	var b bytes.Buffer
	w, err := openpgp.Sign(&b, k.entity, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// cleartext returns a Cleartext Signed Message over text.
func (k testKey) cleartext(t testing.TB, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := clearsign.Encode(&b, k.entity.PrivateKey, signConfig(signedAt))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// armored wraps binary data in an armor block of type typ.
func armored(t testing.TB, typ string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := armor.Encode(&b, typ, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// fpr is the upper-case hex fingerprint of the primary key.
func (k testKey) fpr() string {
	return strings.ToUpper(hex.EncodeToString(k.entity.PrimaryKey.Fingerprint))
}

// signingFpr is the fingerprint of the key go-crypto signs with.
func (k testKey) signingFpr(t testing.TB) string {
	sk, ok := k.entity.SigningKey(signedAt)
	if !ok {
		t.Fatal("no signing key")
	}
	return strings.ToUpper(hex.EncodeToString(sk.PublicKey.Fingerprint))
}

// writeFile writes data to dir/name and returns the path.
func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
