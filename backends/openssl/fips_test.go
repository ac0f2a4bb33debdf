package openssl

import (
	"errors"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/core"
)

// TestFIPSDecision checks the FIPS refusals without a FIPS provider: the
// table follows OpenSSL 3's providers/common/securitycheck.c for
// verification.
func TestFIPSDecision(t *testing.T) {
	tests := []struct {
		name string
		req  fipsRequest
		want string // "" = allowed; else a substring of the refusal
	}{
		{"MD5 digest", fipsRequest{op: fipsDigest, hash: core.HashMD5}, "MD5 is not approved in FIPS mode"},
		{"SHA-1 digest", fipsRequest{op: fipsDigest, hash: core.HashSHA1}, ""},
		{"SHA-256 digest", fipsRequest{op: fipsDigest, hash: core.HashSHA256}, ""},
		{"SHA3-512 digest", fipsRequest{op: fipsDigest, hash: core.HashSHA3_512}, ""},
		{"RSA-2048 MD5", fipsRequest{op: fipsRSA, hash: core.HashMD5, bits: 2048}, "MD5 is not approved in FIPS mode"},
		{"RSA-2048 SHA-1", fipsRequest{op: fipsRSA, hash: core.HashSHA1, bits: 2048}, ""},
		{"RSA-4096 SHA-512", fipsRequest{op: fipsRSA, hash: core.HashSHA512, bits: 4096}, ""},
		{"RSA-1024 SHA-256", fipsRequest{op: fipsRSA, hash: core.HashSHA256, bits: 1024}, ""},
		{"RSA-1023 SHA-256", fipsRequest{op: fipsRSA, hash: core.HashSHA256, bits: 1023}, "1023-bit RSA keys are not approved in FIPS mode"},
		{"RSA-512", fipsRequest{op: fipsRSA, hash: core.HashSHA256, bits: 512}, "512-bit RSA keys"},
		{"DSA 1024/160", fipsRequest{op: fipsDSA, bits: 1024, qbits: 160}, ""},
		{"DSA 512/160", fipsRequest{op: fipsDSA, bits: 512, qbits: 160}, ""},
		{"DSA 511/160", fipsRequest{op: fipsDSA, bits: 511, qbits: 160}, "DSA with L=511, N=160 is not approved in FIPS mode"},
		{"DSA 1024/224", fipsRequest{op: fipsDSA, bits: 1024, qbits: 224}, "L=1024, N=224"},
		{"DSA 2048/224", fipsRequest{op: fipsDSA, bits: 2048, qbits: 224}, ""},
		{"DSA 2048/256", fipsRequest{op: fipsDSA, bits: 2048, qbits: 256}, ""},
		{"DSA 2048/160", fipsRequest{op: fipsDSA, bits: 2048, qbits: 160}, "L=2048, N=160"},
		{"DSA 3072/256", fipsRequest{op: fipsDSA, bits: 3072, qbits: 256}, ""},
		{"DSA 3072/224", fipsRequest{op: fipsDSA, bits: 3072, qbits: 224}, "L=3072, N=224"},
		{"DSA 4096/256", fipsRequest{op: fipsDSA, bits: 4096, qbits: 256}, "L=4096, N=256"},
		{"DSA 0/0", fipsRequest{op: fipsDSA}, "L=0, N=0"},
		{"ECDSA P-256", fipsRequest{op: fipsECDSA, curve: strict.CurveP256}, ""},
		{"ECDSA P-384", fipsRequest{op: fipsECDSA, curve: strict.CurveP384}, ""},
		{"ECDSA P-521", fipsRequest{op: fipsECDSA, curve: strict.CurveP521}, ""},
		{"ECDSA brainpoolP256r1", fipsRequest{op: fipsECDSA, curve: strict.CurveBrainpoolP256}, "ECDSA on brainpoolP256r1 is not approved in FIPS mode"},
		{"ECDSA brainpoolP384r1", fipsRequest{op: fipsECDSA, curve: strict.CurveBrainpoolP384}, "brainpoolP384r1 is not approved"},
		{"ECDSA brainpoolP512r1", fipsRequest{op: fipsECDSA, curve: strict.CurveBrainpoolP512}, "brainpoolP512r1 is not approved"},
		{"Ed25519", fipsRequest{op: fipsEdDSA, curve: strict.CurveEd25519}, ""},
		{"Ed448", fipsRequest{op: fipsEdDSA, curve: strict.CurveEd448}, ""},
		{"unknown op", fipsRequest{op: 99}, "unknown operation 99 in FIPS mode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := fipsDecision(tt.req)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("allowed, want refusal %q", tt.want)
			}
			if !errors.Is(err, strict.ErrUnsupported) {
				t.Errorf("%v does not wrap strict.ErrUnsupported", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "FIPS") {
				t.Errorf("error %q, want it to contain %q and name FIPS", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "openssl: ") {
				t.Errorf("error %q lacks the openssl: prefix", err)
			}
		})
	}
}

func TestRefusalUnwrap(t *testing.T) {
	cause := errors.New("provider said no")
	err := refuse("Ed448 is not available", cause)
	if !errors.Is(err, strict.ErrUnsupported) || !errors.Is(err, cause) {
		t.Errorf("%v: want both ErrUnsupported and the cause", err)
	}
	if got, want := err.Error(), "openssl: Ed448 is not available: provider said no"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
