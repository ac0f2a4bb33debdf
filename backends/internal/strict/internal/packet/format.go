package packet

import "time"

// UpperHex is how Sequoia displays fingerprints and key IDs: two
// upper-case hex digits per byte. It runs for every verification (the key
// IDs of its messages); encoded directly, without fmt and an upper-casing
// copy (issue 16).
func UpperHex(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&0x0f]
	}
	return string(out)
}

// SequoiaTime formats a time as Sequoia's error messages do
// ("2022-04-12T00:00:15Z").
func SequoiaTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
