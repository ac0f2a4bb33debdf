package legacy

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/rpmgen"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// Differences from rpm 4.18 found by the mutation harness (make mutation,
// issue 17) and fixed; each case is one of its mutants, rebuilt here from
// the fixture by locating the entry rather than by a fixed offset.

// sigEntry returns the file offset of the first signature header index
// entry with tag (the lead is 96 bytes, the header intro 16).
func sigEntry(t *testing.T, pkg []byte, tag uint32) int {
	t.Helper()
	il := int(binary.BigEndian.Uint32(pkg[96+8:]))
	for i := range il {
		off := 96 + 16 + 16*i
		if binary.BigEndian.Uint32(pkg[off:]) == tag {
			return off
		}
	}
	t.Fatalf("no signature header entry with tag %d", tag)
	return 0
}

// sigData returns the file offset of the data of the entry at off.
func sigData(pkg []byte, off int) int {
	il := int(binary.BigEndian.Uint32(pkg[96+8:]))
	return 96 + 16 + 16*il + int(binary.BigEndian.Uint32(pkg[off+8:]))
}

// pktBody returns the file offset of the body of the OpenPGP packet at d
// (RFC 4880 section 4.2: old- or new-format header).
func pktBody(t *testing.T, pkg []byte, d int) int {
	t.Helper()
	if pkg[d]&0x40 != 0 {
		switch l := pkg[d+1]; {
		case l < 192:
			return d + 2
		case l < 224:
			return d + 3
		case l == 255:
			return d + 6
		}
		t.Fatalf("partial body length at %d", d)
	}
	return d + 1 + [4]int{1, 2, 4, 0}[pkg[d]&0x03]
}

// verify418 verifies pkg with the legacy backend and rpm 4.18's defaults.
func verify418(t *testing.T, pkg []byte, key string) *core.Result {
	t.Helper()
	b := New()
	kr, imports, err := core.LoadKeyring(b, filepath.Join(testutil.Fixtures(), key))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range imports {
		if !r.OK() {
			t.Fatalf("import %s: %+v", key, r)
		}
	}
	v, err := verify.NewVerifier(b, kr, core.LegacyDefaults())
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.Verify(bytes.NewReader(pkg), "pkg")
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func lines418(r *core.Result) string {
	var b strings.Builder
	for _, l := range r.Lints {
		b.WriteString("lint: " + l.Text + "\n")
	}
	for _, it := range r.Shown() {
		b.WriteString(it.Line(core.ProfileLegacy) + "\n")
	}
	return b.String()
}

func TestRPM418Fidelity(t *testing.T) {
	type seed struct{ file, key string }
	rsa := seed{"rpms/go-legacy-rsa.rpm", "keys/rsa2048.asc"}
	dsa := seed{"rpms/go-legacy-dsa.rpm", "keys/dsa2048.asc"}
	for _, tc := range []struct {
		name   string
		seed   seed
		mutate func(t *testing.T, pkg []byte)
		// The expected output is the unmutated package's with the line
		// drop removed and the line replace[0] replaced by replace[1];
		// lint is the expected warning.
		drop    string
		replace [2]string
		lint    string
		fail    bool
	}{
		{
			// Tag 273 retyped STRING (6) -> INT64 (5): hdrblobGet refuses
			// byte-swappable data, so the digest is absent, not BAD.
			name:   "273-as-int64",
			seed:   dsa,
			mutate: func(t *testing.T, pkg []byte) { pkg[sigEntry(t, pkg, 273)+7] = 5 },
			drop:   "Header SHA256 digest: OK",
		},
		{
			// RPMSIGTAG_SIZE (1000, INT32) retagged 1002: the first 1002
			// entry is an INT32 one, so the legacy signature is absent.
			name:   "1000-as-1002",
			seed:   rsa,
			mutate: func(t *testing.T, pkg []byte) { pkg[sigEntry(t, pkg, 1000)+3] ^= 0x02 },
			drop:   "V4 RSA/SHA256 Signature, key ID 9606154f: OK",
		},
		{
			// The same for the MD5 digest (1000 -> 1004).
			name:   "1000-as-1004",
			seed:   rsa,
			mutate: func(t *testing.T, pkg []byte) { pkg[sigEntry(t, pkg, 1000)+3] ^= 0x04 },
			drop:   "MD5 digest: OK",
		},
		{
			// RPMSIGTAG_PAYLOADSIZE (1007, INT32) retagged 1005: rpm 4.18
			// shows no DSA header+payload signature (before the fix: BAD,
			// "invalid type 4").
			name:   "1007-as-1005",
			seed:   rsa,
			mutate: func(t *testing.T, pkg []byte) { pkg[sigEntry(t, pkg, 1007)+3] ^= 0x02 },
		},
		{
			// The header+payload signature's hash algorithm SHA256 (8) ->
			// SHA3-256 (12): rpm 4.18 has no SHA3 digest, so the
			// signature is NOTFOUND (hidden), not BAD.
			name: "1002-sha3-256",
			seed: rsa,
			mutate: func(t *testing.T, pkg []byte) {
				// A v4 body: version, type, pubkey algo, hash algo.
				body := pktBody(t, pkg, sigData(pkg, sigEntry(t, pkg, 1002)))
				if pkg[body] != 4 || pkg[body+3] != 8 {
					t.Fatalf("unexpected 1002 packet %x", pkg[body:body+4])
				}
				pkg[body+3] = 12
			},
			drop: "V4 RSA/SHA256 Signature, key ID 9606154f: OK",
		},
		{
			// The header signature's version 4 -> 5: pgpPrtSig warns.
			name:    "268-v5",
			seed:    rsa,
			mutate:  func(t *testing.T, pkg []byte) { pkg[pktBody(t, pkg, sigData(pkg, sigEntry(t, pkg, 268)))] = 5 },
			replace: [2]string{"Header V4 RSA/SHA256 Signature, key ID 9606154f: OK", "Header RSA signature: BAD (package tag 268: invalid OpenPGP signature)"},
			lint:    "Unsupported version of signature: V5",
			fail:    true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkg, err := os.ReadFile(filepath.Join(testutil.Fixtures(), tc.seed.file))
			if err != nil {
				t.Fatal(err)
			}
			base := verify418(t, pkg, tc.seed.key)
			if base.Failed || len(base.Lints) > 0 {
				t.Fatalf("the unmutated package: failed %v, lints %v", base.Failed, base.Lints)
			}
			var want strings.Builder
			if tc.lint != "" {
				want.WriteString("lint: " + tc.lint + "\n")
			}
			found := tc.drop == "" && tc.replace[0] == ""
			for _, l := range strings.SplitAfter(lines418(base), "\n") {
				switch strings.TrimSuffix(l, "\n") {
				case "":
					continue
				case tc.drop:
					found = true
					continue
				case tc.replace[0]:
					found = true
					l = tc.replace[1] + "\n"
				}
				want.WriteString(l)
			}
			if !found {
				t.Fatalf("the unmutated package has no line %q%q:\n%s", tc.drop, tc.replace[0], lines418(base))
			}
			tc.mutate(t, pkg)
			res := verify418(t, pkg, tc.seed.key)
			if got := lines418(res); got != want.String() {
				t.Errorf("lines:\n%s\nwant:\n%s", got, want.String())
			}
			if res.Failed != tc.fail {
				t.Errorf("failed = %v, want %v", res.Failed, tc.fail)
			}
		})
	}
}

// TestRPM418OriginPackage: an invalid hex digest in the main header is
// reported with rpm's origin "package" (the header's region covers every
// entry: lib/rpmvs.c rpmvsAppend), not "header".
func TestRPM418OriginPackage(t *testing.T) {
	pkg, err := os.ReadFile(filepath.Join(testutil.Fixtures(), "rpms", "go-legacy-rsa.rpm"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := rpmgen.Parse(pkg)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(p.Payload)
	at := bytes.Index(pkg, []byte(hex.EncodeToString(sum[:])))
	if at < 0 {
		t.Fatal("payload digest not found in the main header")
	}
	pkg[at] = 'x'
	res := verify418(t, pkg, "keys/rsa2048.asc")
	const want = "Payload SHA256 digest: BAD (package: tag 5092: invalid hex)"
	if !strings.Contains(lines418(res), want+"\n") || !res.Failed {
		t.Errorf("failed %v, lines:\n%s\nwant the line %q", res.Failed, lines418(res), want)
	}
}

// TestKeyIDUnsupportedVersion: a key packet of another version than 4
// fails pgpPubkeyKeyID with rpm 4.18's own warning text (getPubkeyFingerprint
// logs it); a v4 key of an unknown algorithm fails silently in rpm, with
// our explanation.
func TestKeyIDUnsupportedVersion(t *testing.T) {
	b := New()
	_, err := b.KeyID([]byte{0xc6, 8, 3, 1, 2, 3, 4, 0, 0, 1})
	if err == nil || err.Error() != "Unsupported version of key: V3" {
		t.Errorf("v3 key: %v, want rpm's warning text", err)
	}
	_, err = b.KeyID([]byte{0xc6, 8, 4, 1, 2, 3, 4, 99, 0, 1})
	if err != errNotAKey {
		t.Errorf("v4 key of algorithm 99: %v, want %v", err, errNotAKey)
	}
}
