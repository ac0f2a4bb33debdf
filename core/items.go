package core

import "fmt"

// ItemType is rpm's RPMSIG_*_TYPE: what an item verifies.
type ItemType int

// Item types (lib/rpmvs.hh).
const (
	TypeDigest    ItemType = 1
	TypeSignature ItemType = 2
)

// Range is rpm's RPMSIG_HEADER / RPMSIG_PAYLOAD bitmask: what an item covers.
type Range int

// Ranges; RangeHeader|RangePayload is rpm's "Legacy" range.
const (
	RangeHeader  Range = 1
	RangePayload Range = 2
	RangeBoth    Range = RangeHeader | RangePayload
)

// Item is one signature or digest check of a package (rpm's rpmsinfo_s).
type Item struct {
	// Tag is the header tag the item was read from; Index its element in a
	// string array; Count the array's length (1 for other types).
	Tag   uint32 `json:"tag"`
	Index int    `json:"index"`
	Count int    `json:"count"`
	// Type, Range and Alt are what the item is (a digest or a signature, over
	// what, an ALT payload digest).
	Type  ItemType `json:"type"`
	Range Range    `json:"range"`
	Alt   bool     `json:"alt,omitempty"`
	// HashAlgo is the digest's or signature's hash; SigAlgo the table's
	// public-key algorithm for unparsed signature slots.
	HashAlgo HashAlgo   `json:"hash_algo"`
	SigAlgo  PubKeyAlgo `json:"sig_algo"`
	// Sig is the parsed signature (nil when absent or unparsable).
	Sig *Params `json:"-"`
	// RC is the item's verdict; Msg rpm's message in parentheses.
	RC  RC     `json:"-"`
	Msg string `json:"msg,omitempty"`
	// KeyFingerprint is the primary fingerprint of the last key tried.
	KeyFingerprint []byte `json:"key_fingerprint,omitempty"`
	// Lints are the backend's explanations collected while verifying.
	Lints []Lint `json:"lints,omitempty"`
	// Shown reports whether rpm prints the item (NOTFOUND items only when
	// required by the verify level).
	Shown bool `json:"shown"`
}

// Lint is one explanation from the backend and how rpm logs it.
type Lint struct {
	// Error is true when rpm logs it as "error:" (the candidate failed);
	// false for "warning:".
	Error bool   `json:"error"`
	Text  string `json:"text"`
}

// Name returns the item's name in the cases.tsv grammar
// (rpm-testsuite/CASES-FORMAT.md): "HeaderSig@268", "HeaderSig@278#2",
// "LegacySig@1002", "HeaderSHA256", "PayloadSHA256ALT", "MD5".
func (it *Item) Name() string {
	switch it.Type {
	case TypeSignature:
		prefix := "HeaderSig"
		if it.Range == RangeBoth {
			prefix = "LegacySig"
		}
		n := fmt.Sprintf("%s@%d", prefix, it.Tag)
		if it.Count > 1 {
			n += fmt.Sprintf("#%d", it.Index+1)
		}
		return n
	case TypeDigest:
		if it.Range == RangeBoth {
			return it.HashAlgo.String()
		}
		n := "Header"
		if it.Range == RangePayload {
			n = "Payload"
		}
		n += it.HashAlgo.String()
		if it.Alt {
			n += "ALT"
		}
		return n
	}
	return "unknown"
}
