package keylint

import (
	"slices"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestJudge: the verdict of an explanation that came with RPMRC_OK, on
// rpm-sequoia's pgpPubKeyLint texts.
func TestJudge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want core.RC
	}{
		{"", core.RCOK},
		{"Certificate DA730000E3155735:\n  Policy rejects subkey 078CAD15B52FE7A4: No binding signature at time 2026-12-06T11:22:16Z", core.RCOK},
		{"Certificate 3049FB5AF18F8D59:\n  The certificate is expired: The primary key is not live\n  Subkey 3049FB5AF18F8D59 is expired: The primary key is not live\n  Certificate does not have any usable signing keys", core.RCNotTrusted},
		{"Certificate C5BCCE0A4B48F4AE:\n  The certificate was revoked: Unspecified reason", core.RCNotTrusted},
		{"Certificate 1111111111111111:\n  The certificate is not live: Not live until 2100-01-01T00:00:00Z", core.RCNotTrusted},
		{"Certificate B273BD1487B774E4:\n  Certificate does not have any usable signing keys", core.RCFail},
		{"Certificate 2222222222222222:\n  Subkey 3333333333333333 is expired: Expired on 2021-01-01T00:00:00Z\n  Certificate does not have any usable signing keys", core.RCNotTrusted},
		{"Certificate 2222222222222222:\n  Subkey 3333333333333333 was revoked: Key is superseded", core.RCOK},
		{"Certificate 2222222222222222:\n  Subkey 3333333333333333 is not supported (no support for X448)\n  Certificate does not have any usable signing keys", core.RCFail},
	}
	for _, tt := range tests {
		if got := judge(tt.text); got != tt.want {
			t.Errorf("judge(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestLines: the header goes, the indent goes, rpm 4.18's one-line texts
// stay whole.
func TestLines(t *testing.T) {
	t.Parallel()
	got := Lines("Certificate B273BD1487B774E4:\n  The certificate was revoked: x\n  Certificate does not have any usable signing keys")
	want := []string{"The certificate was revoked: x", "Certificate does not have any usable signing keys"}
	if !slices.Equal(got, want) {
		t.Errorf("Lines = %q, want %q", got, want)
	}
	if got := Lines("Unsupported version of key: V6"); !slices.Equal(got, []string{"Unsupported version of key: V6"}) {
		t.Errorf("Lines(one) = %q", got)
	}
	if got := Lines(""); got != nil {
		t.Errorf("Lines(\"\") = %q", got)
	}
	r := Report{Explanation: "Certificate B273BD1487B774E4:\n  Certificate does not have any usable signing keys"}
	if l := r.Lints(); len(l) != 1 || l[0].Code != "no-signing-key" {
		t.Errorf("Lints = %+v", l)
	}
}
