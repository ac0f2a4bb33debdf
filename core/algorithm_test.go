package core

import (
	"bytes"
	_ "crypto/md5"
	_ "crypto/sha1"
	_ "crypto/sha256"
	_ "crypto/sha3"
	_ "crypto/sha512"
	"encoding/asn1"
	"slices"
	"testing"
)

// TestHashTable pins every row of the hash table: rpm's names (printed in
// signature descriptions and lints), sizes, and the per-backend columns.
func TestHashTable(t *testing.T) {
	type row struct {
		algo             HashAlgo
		name             string
		size             int
		required, rpm418 bool
		v6Salt           int
		policy, openssl  string
	}
	want := []row{
		{1, "MD5", 16, true, true, 0, "md5", "MD5"},
		{2, "SHA1", 20, true, true, 0, "sha1", "SHA1"},
		{3, "RIPEMD160", 20, false, false, 0, "ripemd160", ""},
		{5, "MD2", 0, false, false, 0, "", ""},
		{6, "TIGER192", 0, false, false, 0, "", ""},
		{7, "HAVAL-5-160", 0, false, false, 0, "", ""},
		{11, "SHA224", 28, true, true, 16, "sha224", "SHA2-224"},
		{8, "SHA256", 32, true, true, 16, "sha256", "SHA2-256"},
		{9, "SHA384", 48, true, true, 24, "sha384", "SHA2-384"},
		{10, "SHA512", 64, true, true, 32, "sha512", "SHA2-512"},
		{12, "SHA3-256", 32, true, false, 16, "sha3-256", "SHA3-256"},
		{14, "SHA3-512", 64, true, false, 32, "sha3-512", "SHA3-512"},
	}
	var got []row
	for _, h := range Hashes(nil) {
		got = append(got, row{h.Algo, h.Name, h.Size, h.Required, h.RPM418, h.V6Salt, h.Policy, h.OpenSSL})
		if h.Algo.String() != h.Name || h.Algo.Size() != h.Size || h.Algo.Info() != h {
			t.Errorf("%d: String %q Size %d Info %+v disagree with the row %+v", h.Algo, h.Algo.String(), h.Algo.Size(), h.Algo.Info(), h)
		}
		// A row with a Go identifier has Go's size for it; the required
		// ones are implemented by the standard library linked above.
		if h.Crypto != 0 && h.Crypto.Size() != h.Size {
			t.Errorf("%v: crypto.Hash %v has size %d, the row %d", h.Algo, h.Crypto, h.Crypto.Size(), h.Size)
		}
		if h.Required && !h.Crypto.Available() {
			t.Errorf("%v: required but Go's %v is not available", h.Algo, h.Crypto)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("hash table:\n got %+v\nwant %+v", got, want)
	}
}

// TestHashDerivedLists checks the lists other packages print.
func TestHashDerivedLists(t *testing.T) {
	if want := []HashAlgo{HashMD5, HashSHA1, HashSHA224, HashSHA256, HashSHA384, HashSHA512, HashSHA3_256, HashSHA3_512}; !slices.Equal(RequiredDigests, want) {
		t.Errorf("RequiredDigests = %v, want %v", RequiredDigests, want)
	}
	var policy []string
	for _, h := range HashesByID(func(h HashInfo) bool { return h.Policy != "" }) {
		policy = append(policy, h.Policy)
	}
	// sequoia-policy-config's HASH_ALGO_MAP, in HashAlgorithm::variants() order.
	if want := []string{"md5", "sha1", "ripemd160", "sha256", "sha384", "sha512", "sha224", "sha3-256", "sha3-512"}; !slices.Equal(policy, want) {
		t.Errorf("policy names = %q, want %q", policy, want)
	}
	if got := HashAlgos(func(h HashInfo) bool { return h.RPM418 }); !slices.Equal(got, []HashAlgo{HashMD5, HashSHA1, HashSHA224, HashSHA256, HashSHA384, HashSHA512}) {
		t.Errorf("rpm 4.18 hashes = %v", got)
	}
}

// TestUnknownAlgorithms checks the names and zero rows of IDs outside the
// tables.
func TestUnknownAlgorithms(t *testing.T) {
	for _, id := range []uint8{0, 4, 13, 15, 100, 255} {
		h := HashAlgo(id)
		if h.String() != "Unknown hash algorithm" || h.Size() != 0 || h.Info() != (HashInfo{Algo: h}) {
			t.Errorf("hash %d: %q, size %d, info %+v", id, h.String(), h.Size(), h.Info())
		}
	}
	for _, id := range []uint8{0, 4, 15, 23, 24, 29, 37, 100, 255} {
		a := PubKeyAlgo(id)
		if a.String() != "Unknown public key algorithm" || a.Info() != (PubKeyInfo{Algo: a, Family: a}) {
			t.Errorf("pubkey %d: %q, info %+v", id, a.String(), a.Info())
		}
	}
}

// TestPubKeyTable pins every row of the public-key table.
func TestPubKeyTable(t *testing.T) {
	type row struct {
		algo           PubKeyAlgo
		name           string
		family         PubKeyAlgo
		strict, rpm418 bool
		by             PolicyKeying
		policy         string
		key, sig       int
	}
	want := []row{
		{1, "RSA", 1, true, true, PolicyBySize, "rsa", 0, 0},
		{2, "RSA(Encrypt-Only)", 1, false, false, PolicyBySize, "rsa", 0, 0},
		{3, "RSA(Sign-Only)", 1, true, false, PolicyBySize, "rsa", 0, 0},
		{16, "Elgamal(Encrypt-Only)", 20, false, false, PolicyBySize, "elgamal", 0, 0},
		{17, "DSA", 17, true, true, PolicyBySize, "dsa", 0, 0},
		{18, "Elliptic Curve", 18, false, false, PolicyByCurve, "", 0, 0},
		{19, "ECDSA", 19, true, false, PolicyByCurve, "", 0, 0},
		{20, "Elgamal", 20, false, false, PolicyBySize, "elgamal", 0, 0},
		{21, "Diffie-Hellman (X9.42)", 21, false, false, PolicyNone, "", 0, 0},
		{22, "EdDSA", 22, true, true, PolicyByCurve, "", 0, 0},
		{25, "X25519", 25, false, false, PolicyFixed, "x25519", 32, 0},
		{26, "X448", 26, false, false, PolicyFixed, "x448", 56, 0},
		{27, "Ed25519", 27, true, false, PolicyFixed, "ed25519", 32, 64},
		{28, "Ed448", 28, true, false, PolicyFixed, "ed448", 57, 114},
		{30, "ML-DSA-65+Ed25519", 30, true, false, PolicyFixed, "mldsa65-ed25519", 1984, 3373},
		{31, "ML-DSA-87+Ed448", 31, true, false, PolicyFixed, "mldsa87-ed448", 2649, 4741},
		{32, "SLH-DSA-SHAKE-128s", 32, false, false, PolicyFixed, "slhdsa128s", 32, 7856},
		{33, "SLH-DSA-SHAKE-128f", 33, false, false, PolicyFixed, "slhdsa128f", 32, 17088},
		{34, "SLH-DSA-SHAKE-256s", 34, false, false, PolicyFixed, "slhdsa256s", 64, 29792},
		{35, "ML-KEM-768+X25519", 35, false, false, PolicyFixed, "mlkem768-x25519", 1216, 0},
		{36, "ML-KEM-1024+X448", 36, false, false, PolicyFixed, "mlkem1024-x448", 1624, 0},
	}
	var got []row
	for _, id := range PubKeyAlgos(nil) {
		a := id.Info()
		got = append(got, row{a.Algo, a.Name, a.Family, a.Strict, a.RPM418, a.PolicyBy, a.Policy, a.KeyBytes, a.SigBytes})
		if id.String() != a.Name {
			t.Errorf("%d: String %q, row name %q", id, id.String(), a.Name)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("public-key table:\n got %+v\nwant %+v", got, want)
	}
}

// TestCurveTable checks every curve's OID against its dotted form (RFC
// 9580, Section 9.2, Table 18; RFC 5639 for Brainpool), encoded by
// encoding/asn1, and the lookups.
func TestCurveTable(t *testing.T) {
	want := []struct {
		name   string
		oid    asn1.ObjectIdentifier
		policy string
	}{
		{"P-256", asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}, "nistp256"},
		{"P-384", asn1.ObjectIdentifier{1, 3, 132, 0, 34}, "nistp384"},
		{"P-521", asn1.ObjectIdentifier{1, 3, 132, 0, 35}, "nistp521"},
		{"brainpoolP256r1", asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 7}, "brainpoolp256"},
		{"brainpoolP384r1", asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 11}, "brainpoolp384"},
		{"brainpoolP512r1", asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 13}, "brainpoolp512"},
		{"Ed25519", asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 15, 1}, ""},
		{"Curve25519", asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 3029, 1, 5, 1}, "cv25519"},
	}
	if len(curveTable) != len(want) {
		t.Fatalf("%d curves, want %d", len(curveTable), len(want))
	}
	for i, w := range want {
		der, err := asn1.Marshal(w.oid)
		if err != nil {
			t.Fatal(err)
		}
		c := curveTable[i]
		if c.Name != w.name || !bytes.Equal(c.OID, der[2:]) || c.Policy != w.policy {
			t.Errorf("row %d = %+v, want %s %x %q", i, c, w.name, der[2:], w.policy)
		}
		if got, ok := CurveByOID(der[2:]); !ok || got.Name != w.name {
			t.Errorf("CurveByOID(%v) = %+v, %v", w.oid, got, ok)
		}
		if got, ok := CurveByName(w.name); !ok || !bytes.Equal(got.OID, c.OID) {
			t.Errorf("CurveByName(%s) = %+v, %v", w.name, got, ok)
		}
	}
	if c, ok := CurveByOID([]byte{0x2b, 0x65, 0x71}); ok { // Ed448's X9 OID: not an OpenPGP curve
		t.Errorf("CurveByOID(1.3.101.113) = %+v", c)
	}
	if c, ok := CurveByName("Ed448"); ok {
		t.Errorf("CurveByName(Ed448) = %+v", c)
	}
}
