//go:build cgo

package openssl

import (
	"os/exec"
	"strings"
	"testing"
)

// allowedImports are the only packages with "crypto" in their path that
// the verification path may link, each with the reason it does no crypto.
var allowedImports = map[string]string{
	// Only the crypto.Hash identifiers of core's algorithm table
	// (core/algorithm.go); the implementations register themselves from
	// packages the path does not import.
	"crypto": "hash identifiers only",
	// ASCII armor (base64 and a CRC-24 checksum, RFC 9580 section 6) and
	// its error types: an encoding, not cryptography.
	"github.com/ProtonMail/go-crypto/openpgp/armor":  "armor decoding",
	"github.com/ProtonMail/go-crypto/openpgp/errors": "error types of the armor decoder",
}

// TestVerificationPathImports is the static half of the proof that in FIPS
// mode nothing but OpenSSL's FIPS provider does crypto: the openssl
// backend's package and everything it imports (the strict semantics, core,
// the policy parser; not the plugin transport of the binary) link no Go
// crypto implementation (crypto/sha256, crypto/rsa, crypto/internal/fips140,
// golang.org/x/crypto, go-crypto, circl...). Every digest and signature
// therefore goes through package ossl, whose library context in FIPS mode
// is checked by TestFIPSProviders and TestFIPSServedByFIPS.
func TestVerificationPathImports(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "github.com/rpmpgp/rpmpgp/backends/openssl")
	cmd.Env = append(cmd.Environ(), "CGO_ENABLED=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 20 {
		t.Fatalf("go list -deps gave %d packages: %q", len(deps), out)
	}
	seen := false
	for _, p := range deps {
		if p == "github.com/rpmpgp/rpmpgp/backends/internal/strict" {
			seen = true
		}
		if !strings.Contains(p, "crypto") && !strings.Contains(p, "circl") {
			continue
		}
		if _, ok := allowedImports[p]; !ok {
			t.Errorf("the openssl backend's verification path imports %s", p)
		}
	}
	if !seen {
		t.Error("backends/internal/strict is not among the dependencies: the list is not the verification path")
	}
}
