package corpus

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Kind is what a case exercises. The first five are the cases.tsv kinds;
// cert, inline and cleartext come from the openpgp-vectors manifests.
type Kind string

// Case kinds.
const (
	KindPackage     Kind = "package"     // an .rpm verified like rpmkeys -Kv
	KindKey         Kind = "key"         // a key imported like rpmkeys --import
	KindFingerprint Kind = "fingerprint" // pgpPubkeyFingerprint on raw bytes
	KindSigParse    Kind = "sigparse"    // pgpPrtParams on a bare signature packet
	KindDetached    Kind = "detached"    // a detached signature over data
	KindCert        Kind = "cert"        // is the certificate usable for verifying
	KindInline      Kind = "inline"      // an OpenPGP signed message (not applicable)
	KindCleartext   Kind = "cleartext"   // a cleartext-signed message (not applicable)
)

// Source names used in [Case.Source]. Vector cases use
// "openpgp-vectors/<folder>".
const (
	SourceFixtures     = "fixtures"
	SourceRPMTestsuite = "rpm-testsuite"
	SourceVectors      = "openpgp-vectors"
	SourceDir          = "dir"
)

// Expected verdicts of openpgp-vectors rows (MANIFEST.tsv "expected").
const (
	ExpectValid           = "valid"
	ExpectInvalid         = "invalid"
	ExpectRejectMalformed = "reject-malformed"
	ExpectLegacyWeak      = "legacy-weak"
)

// Data is the signed data of a detached case: a file, literal bytes, or a
// run of zero bytes generated on demand. Exactly one form is set.
type Data struct {
	// Path is an absolute file path.
	Path string `json:"path,omitempty"`
	// Bytes are literal data (cases.tsv "hex:"), lower-case hex in JSON.
	Bytes HexBytes `json:"hex,omitempty"`
	// Zeros is the length of generated zero data (MANIFEST "gen:zeros:N");
	// IsZeros tells it apart from an empty literal.
	Zeros   int64 `json:"zeros,omitempty"`
	IsZeros bool  `json:"-"`
}

// HexBytes are bytes that JSON carries as lower-case hex, like every
// fingerprint and key ID of rpmpgp's JSON (encoding/json would write
// base64 for a []byte).
type HexBytes []byte

// MarshalText implements [encoding.TextMarshaler].
func (h HexBytes) MarshalText() ([]byte, error) {
	return []byte(hex.EncodeToString(h)), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (h *HexBytes) UnmarshalText(text []byte) error {
	b, err := hex.DecodeString(string(text))
	if err != nil {
		return fmt.Errorf("hex data: %w", err)
	}
	*h = b
	return nil
}

// String renders the data reference as the corpus writes it.
func (d Data) String() string {
	switch {
	case d.Path != "":
		return d.Path
	case d.IsZeros:
		return fmt.Sprintf("gen:zeros:%d", d.Zeros)
	default:
		return "hex:" + hex.EncodeToString(d.Bytes)
	}
}

// Open returns a reader over the data; the caller closes it.
func (d Data) Open() (io.ReadCloser, error) {
	switch {
	case d.Path != "":
		return os.Open(d.Path)
	case d.IsZeros:
		return io.NopCloser(io.LimitReader(zeroReader{}, d.Zeros)), nil
	default:
		return io.NopCloser(bytes.NewReader(d.Bytes)), nil
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// parseData reads a data reference: "hex:...", "gen:zeros:N" or a path
// relative to dir.
func parseData(dir, s string) (Data, error) {
	switch {
	case strings.HasPrefix(s, "hex:"):
		b, err := hex.DecodeString(s[len("hex:"):])
		if err != nil {
			return Data{}, fmt.Errorf("bad hex data %q: %w", s, err)
		}
		return Data{Bytes: b}, nil
	case strings.HasPrefix(s, "gen:zeros:"):
		n, err := strconv.ParseInt(s[len("gen:zeros:"):], 10, 64)
		if err != nil || n < 0 {
			return Data{}, fmt.Errorf("bad generated data %q", s)
		}
		return Data{Zeros: n, IsZeros: true}, nil
	case s == "" || s == "-":
		return Data{}, fmt.Errorf("missing data")
	default:
		return Data{Path: joinPath(dir, s)}, nil
	}
}

// Case is one conformance case from any corpus.
type Case struct {
	// ID is the case_id, unique within its source.
	ID string `json:"id"`
	// Source is where the case comes from (see the Source constants).
	Source string `json:"source"`
	// Kind is what the case exercises.
	Kind Kind `json:"kind"`
	// Line is the 1-based line of the case in File.
	File string `json:"file"`
	Line int    `json:"line"`

	// Input is the main input file: the package (package), the key file
	// (key), the raw bytes (fingerprint, sigparse), or the signature
	// (detached, inline, cleartext). Empty for cert rows.
	Input string `json:"input,omitempty"`
	// Data is the signed data of detached cases.
	Data *Data `json:"data,omitempty"`
	// Keyring lists key or certificate files to load first, in order.
	Keyring []string `json:"keyring,omitempty"`
	// CheckSigKeys says Keyring is loaded like `rpmpgp checksig --keyring`
	// (armored or binary, several certificates per file) rather than like
	// `rpmkeys --import` (armored only): set for package-directory cases.
	CheckSigKeys bool `json:"checksig_keys,omitempty"`
	// Certs, when set, is Keyring split into one armored certificate per
	// file: what the external tools get (see [Case.ToolKeyring]); scratch
	// files of the run, so not in reports.
	Certs []string `json:"-"`

	// ExpectStrict, ExpectLegacy and ObservedRPM418 are the cases.tsv
	// columns, verbatim ("" when the source has none).
	ExpectStrict   string `json:"expect_strict,omitempty"`
	ExpectLegacy   string `json:"expect_legacy,omitempty"`
	ObservedRPM418 string `json:"observed_rpm418,omitempty"`

	// Expected is the openpgp-vectors "expected" class (valid, invalid,
	// reject-malformed, legacy-weak); UpstreamSays is the upstream assertion.
	Expected     string `json:"expected,omitempty"`
	UpstreamSays string `json:"upstream_says,omitempty"`
	// Observed maps verifier names of the manifest's "observed" column
	// (sqv, sqop, gosop, gpgv, gocrypto) to recorded exit codes.
	Observed map[string]int `json:"observed,omitempty"`

	// Notes is the row's notes column.
	Notes string `json:"notes,omitempty"`
	// NotApplicable is non-empty when the harness cannot run this case at
	// all (inline and cleartext rows); it says why.
	NotApplicable string `json:"not_applicable,omitempty"`
}

// Key is the case's identity in the registry and reports: "source:id".
func (c *Case) Key() string { return c.Source + ":" + c.ID }

// ToolKeyring returns the certificate files an external tool gets: Certs
// when the keyring was split, else Keyring.
func (c *Case) ToolKeyring() []string {
	if c.Certs != nil {
		return c.Certs
	}
	return c.Keyring
}

// HasExpectation reports whether the case states any expected verdict.
func (c *Case) HasExpectation() bool {
	return c.ExpectStrict != "" || c.ExpectLegacy != "" || c.Expected != ""
}
