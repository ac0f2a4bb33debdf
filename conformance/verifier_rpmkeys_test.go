package conformance

import (
	"reflect"
	"testing"
)

func TestParseRPMKeysOutput(t *testing.T) {
	out := `x.rpm:
    Header V4 RSA/SHA256 Signature, key ID 1964c5fc: OK
    Header SHA256 digest: OK
    Header SHA1 digest: BAD (Expected 1 != 2)
    Payload SHA256 digest: OK
    Payload SHA256 ALT digest: NOTFOUND
    V4 RSA/SHA256 Signature, key ID 1964c5fc: NOKEY
    Header V4 EdDSA/SHA512 Signature, key ID 11450b6c: NOKEY
    DSA signature: NOTFOUND
    MD5 digest: OK
    Mystery line: OK
`
	items, unknown := ParseRPMKeysOutput(out)
	want := map[string]string{"HeaderSig@268": "OK", "HeaderSHA256": "OK", "HeaderSHA1": "BAD", "PayloadSHA256": "OK",
		"PayloadSHA256ALT": "NOTFOUND", "LegacySig@1002": "NOKEY", "HeaderSig@267": "NOKEY", "LegacySig@1005": "NOTFOUND", "MD5": "OK"}
	if !reflect.DeepEqual(items, want) {
		t.Errorf("items %v\nwant %v", items, want)
	}
	if !reflect.DeepEqual(unknown, []string{"unrecognised rpmkeys line: Mystery line: OK"}) {
		t.Errorf("unknown %q", unknown)
	}
}
