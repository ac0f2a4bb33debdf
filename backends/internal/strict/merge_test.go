package strict

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
)

// TestMerge pins pgpPubkeyMerge (merge.go): the union of components and
// signatures, byte-identical output when nothing is new, and refusals.
func TestMerge(t *testing.T) {
	b := newTestBackend(t, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	pk := ed25519Key(t, 4, at)
	sk := ed25519Key(t, 4, at)
	other := ed25519Key(t, 4, at)
	base := makeCert(t, pk, certSpec{flags: 0x03})
	// The same key with a second User ID, and with a signing subkey.
	uid2 := framePacket(13, []byte("Second <second@example.org>"))
	uid2Sig := sign(t, pk, sigSpec{sigType: packet.SigPositiveCert, when: at, hashed: keyFlags(0x03)}, pk.hashed(), uidHashed("Second <second@example.org>"))
	withUID := append(append(append([]byte(nil), base...), uid2...), uid2Sig...)
	withSub := makeCert(t, pk, certSpec{flags: 0x01, sub: sk, subFlags: packet.KeyFlagSign})
	// A revocation signature of the primary, as an update would bring it.
	rev := sign(t, pk, sigSpec{sigType: packet.SigKeyRevocation, when: at.Add(time.Hour), hashed: reason(1)}, pk.hashed())
	revoked := append(append(pk.pub(), rev...), base[len(pk.pub()):]...)
	marker := framePacket(10, []byte("PGP"))

	tests := []struct {
		name string
		a, b []byte
		want []byte // nil: the error
		err  string
	}{
		{"same", base, base, base, ""},
		{"subset", withUID, base, withUID, ""},
		{"new User ID", base, withUID, withUID, ""},
		{"new revocation", base, revoked, append(append(append([]byte(nil), pk.pub()...), rev...), base[len(pk.pub()):]...), ""},
		{"marker dropped, nothing new", base, append(append([]byte(nil), base...), marker...), base, ""},
		{"different keys", base, makeCert(t, other, certSpec{flags: 0x03}), nil,
			fmt.Sprintf("certificates differ: %X != %X", pk.fpr(), other.fpr())},
		{"not a key", framePacket(13, []byte("x")), base, nil, "Not a key"},
		{"two certificates", base, append(append([]byte(nil), base...), base...), nil, "not exactly one certificate"},
		{"too large", make([]byte, MaxCertBytes+1), base, nil, "certificate is larger than 1048576 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := b.Merge(tc.a, tc.b)
			if tc.want == nil {
				if err == nil || err.Error() != tc.err {
					t.Errorf("Merge = %d bytes, %v; want error %q", len(got), err, tc.err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Errorf("Merge = %x, %v\nwant %x", got, err, tc.want)
			}
		})
	}

	// The merged certificate gains the subkey and still verifies: its
	// signing subkey is usable.
	m, err := b.Merge(base, withSub)
	if err != nil {
		t.Fatal(err)
	}
	subs, err := b.Subkeys(m)
	if err != nil || len(subs) != 1 || !bytes.Equal(subs[0].Fingerprint, sk.fpr()) {
		t.Fatalf("Subkeys of the merged certificate: %d, %v", len(subs), err)
	}
	if v, err := b.LintKey(m); err != nil || v.Lint != "" {
		t.Errorf("LintKey of the merged certificate: %q, %v", v.Lint, err)
	}
}
