package core

// RC is a verification result code, mirroring rpm's rpmRC
// (include/rpm/rpmtypes.h) with one difference: the zero value is
// [RCInvalid], so an unfilled verdict can never read as OK.
type RC uint8

// Result codes. The names follow rpm; String returns what rpmSigString prints.
const (
	// RCInvalid is the zero value: no verdict was reached. Treated as failure.
	RCInvalid RC = iota
	// RCOK mirrors RPMRC_OK.
	RCOK
	// RCNotFound mirrors RPMRC_NOTFOUND: the item is absent.
	RCNotFound
	// RCFail mirrors RPMRC_FAIL, printed "BAD".
	RCFail
	// RCNotTrusted mirrors RPMRC_NOTTRUSTED: mathematically valid, but the
	// key or algorithm is not trusted (policy, expiry, revocation).
	RCNotTrusted
	// RCNoKey mirrors RPMRC_NOKEY: the issuer's key is not in the keyring.
	RCNoKey
)

// String returns rpm's rpmSigString text for the code.
func (rc RC) String() string {
	switch rc {
	case RCOK:
		return "OK"
	case RCNotFound:
		return "NOTFOUND"
	case RCFail:
		return "BAD"
	case RCNotTrusted:
		return "NOTTRUSTED"
	case RCNoKey:
		return "NOKEY"
	}
	return "UNKNOWN"
}

// ParseRC maps rpmSigString text back to a code; unknown text gives RCInvalid.
func ParseRC(s string) RC {
	for rc := RCOK; rc <= RCNoKey; rc++ {
		if rc.String() == s {
			return rc
		}
	}
	return RCInvalid
}

// Verdict is the answer of pgpVerifySignature2 or pgpPubKeyLint: a result code
// and the backend's explanation, formatted as the backend's RPM counterpart
// formats it (rpm-sequoia: a header line, numbered lints, "because:" chains).
type Verdict struct {
	RC   RC
	Lint string
}

// ParseResult is the answer of pgpPrtParams2: the parsed packet, or nil with
// an explanation of why it did not parse. A non-empty Lint next to non-nil
// Params is a warning; next to Params of kind KindInvalid it is a warning
// the parser logged while failing (rpm 4.18: "Unsupported version of
// signature: V5"), printed on stderr.
type ParseResult struct {
	Params *Params
	Lint   string
}

// OK reports whether the packet parsed.
func (r ParseResult) OK() bool { return r.Params != nil && r.Params.Kind != KindInvalid }
