package sopv

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestCertKeys computes v4 and v6 fingerprints of primary keys and
// subkeys from certificate packets and compares them with go-crypto's.
func TestCertKeys(t *testing.T) {
	for _, name := range []string{"subkey", "ed25519", "v6-ed25519"} {
		data, err := os.ReadFile(filepath.Join(testutil.Fixtures(), "keys", name+".asc"))
		if err != nil {
			t.Fatal(err)
		}
		el, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		blk, err := armor.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var bin bytes.Buffer
		bin.ReadFrom(blk.Body)
		e := el[0]
		keys := []struct {
			fpr []byte
			id  uint64
		}{{e.PrimaryKey.Fingerprint, e.PrimaryKey.KeyId}}
		for _, s := range e.Subkeys {
			keys = append(keys, struct {
				fpr []byte
				id  uint64
			}{s.PublicKey.Fingerprint, s.PublicKey.KeyId})
		}
		for _, k := range keys {
			var id core.KeyID
			for i := 0; i < 8; i++ {
				id[i] = byte(k.id >> (56 - 8*i))
			}
			primary, key := certKeys(bin.Bytes(), id)
			if !bytes.Equal(primary, e.PrimaryKey.Fingerprint) || !bytes.Equal(key, k.fpr) {
				t.Errorf("%s key %016x: got primary %x key %x, want %x %x", name, k.id, primary, key, e.PrimaryKey.Fingerprint, k.fpr)
			}
		}
	}
}
