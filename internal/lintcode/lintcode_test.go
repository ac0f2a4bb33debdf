package lintcode

import "testing"

// TestLintCode: rpm-sequoia's and rpm 4.18's lint texts (as the backends
// give them for the fixtures) get their stable codes.
func TestLintCode(t *testing.T) {
	t.Parallel()
	tests := []struct{ text, want string }{
		{"Certificate 13747677A581F9A3:\n  Policy rejects 13747677A581F9A3: Policy rejected asymmetric algorithm, because DSA1024 is not considered secure since 2014-02-01T00:00:00Z", "weak-key"},
		{"Certificate 3049FB5AF18F8D59:\n  The certificate is expired: The primary key is not live\n  Subkey 3049FB5AF18F8D59 is expired: The primary key is not live\n  Certificate does not have any usable signing keys", "expired"},
		{"Certificate B273BD1487B774E4:\n  Certificate does not have any usable signing keys", "no-signing-key"},
		{"Certificate C5BCCE0A4B48F4AE:\n  The certificate was revoked: Unspecified reason\n  Certificate does not have any usable signing keys", "revoked"},
		{"Certificate DA730000E3155735:\n  Policy rejects subkey 078CAD15B52FE7A4: No binding signature at time 2026-12-06T11:22:16Z", "no-binding-signature"},
		{"Certificate F7D2B166C2D95221:\n  Policy rejects F7D2B166C2D95221: No binding signature at time 2026-12-06T11:22:16Z, because SHA1 is not considered secure since 2023-02-01T00:00:00Z", "weak-hash"},
		{"Unsupported version of key: V6", "unsupported"},
		{"internal-legacy: first packet is not a v4 RSA, DSA or EdDSA key (rpm 4.18 pgpPubkeyFingerprint fails)", "unsupported"},
		{"Verifying a signature using certificate 01C2 (x):\n  Certificate DA730000E3155735 does not contain key 088D or it is not valid", "invalid-key"},
		{"Verifying a signature using certificate 87C5 (x):\n  Signature 39a4 created at Tue Jan  2 00:00:00 2024 invalid: signature is not alive\n      because: Expired on 2024-01-03T00:00:00Z", "expired"},
		{"Verifying a signature using certificate 87C5 (x):\n  Signature 626e created at Tue Jan  2 00:00:00 2024 invalid: signature relies on legacy cryptography\n      because: SHA1 is not considered secure since 2013-02-01T00:00:00Z", "weak-hash"},
		{"Verifying a signature using certificate 87C5 (x):\n  Signature d93f created at Fri Jan  1 00:00:00 2100 invalid: signature is not alive\n      because: Not live until 2100-01-01T00:00:00Z", "not-yet-valid"},
		{"Verifying a signature using certificate B0EC (x):\n  1. Certificate C5BCCE0A4B48F4AE invalid: certificate is revoked\n  2. Key C5BCCE0A4B48F4AE is invalid: key is revoked", "revoked"},
		{"Verifying a signature using certificate B61D (x):\n  Key B273BD1487B774E4 invalid: not signing capable", "no-signing-key"},
		{"Verifying a signature, but no certificate was provided:\n  Signature 7942 created at Wed Feb  4 11:06:48 2026 invalid: public key algorithm ML-DSA-87+Ed448 is not supported", "unsupported"},
		{"Malformed MPI", "mpi-encoding"},
		{"The certificate is not live: The primary key is not live", "not-yet-valid"},
		{"Subkey 3049FB5AF18F8D59 is expired: The primary key is not live", "expired"},
		{"Certificate does not have any usable signing keys", "no-signing-key"},
		{"something new", "other"},
	}
	for _, tt := range tests {
		if got := Of(tt.text); got != tt.want {
			t.Errorf("Of(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
}
