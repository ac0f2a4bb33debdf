package strict

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
)

// This file formats explanations exactly as rpm-sequoia 1.10.2 does
// (src/lib.rs: _pgpVerifySignature2, _pgpPrtParams2, error_chain and
// _pgpPubKeyLint), so that users see the same text whichever strict backend
// they run.

// errorChain returns the messages of err and its causes, with consecutive
// duplicates removed (rpm-sequoia error_chain: "Compress them").
func errorChain(err error) []string {
	var out []string
	for e := err; e != nil; e = errors.Unwrap(e) {
		msg := e.Error()
		if le, ok := e.(*packet.ContextError); ok {
			msg = le.Msg
		} else if u := errors.Unwrap(e); u != nil {
			// fmt.Errorf("...: %w") embeds the cause; keep only the prefix.
			msg = strings.TrimSuffix(msg, ": "+u.Error())
		}
		if len(out) > 0 && out[len(out)-1] == msg {
			continue
		}
		out = append(out, msg)
	}
	return out
}

// formatLints renders lints under header as rpm-sequoia does: each lint on
// its own line indented by two spaces, numbered "1. " only when there are
// at least two, each cause on a following line as "      because: ".
// It returns "" when there are no lints.
func formatLints(header string, lints []error) string {
	if len(lints) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(header)
	const sep = "\n  "
	for i, l := range lints {
		for j, c := range errorChain(l) {
			b.WriteString(sep)
			if j == 0 {
				if len(lints) > 1 {
					fmt.Fprintf(&b, "%d. ", i+1)
				}
			} else {
				b.WriteString("    because: ")
			}
			b.WriteString(c)
		}
	}
	return b.String()
}

// verifyHeader is the first line of a pgpVerifySignature2 explanation.
func verifyHeader(fpr []byte, firstUID string, haveKey bool) string {
	if !haveKey {
		return "Verifying a signature, but no certificate was provided:"
	}
	if firstUID == "" {
		firstUID = "<unknown>"
	}
	return fmt.Sprintf("Verifying a signature using certificate %s (%s):", packet.UpperHex(fpr), firstUID)
}

// parseHeader is the first line of a pgpPrtParams2 explanation.
const parseHeader = "Parsing an OpenPGP packet:"

// formatKeyLint renders pgpPubKeyLint's explanation: "Certificate <KEYID>:"
// then the lines joined by "\n  " without numbering; causes are joined
// inline by ", because " (rpm-sequoia 4a6e83c, issue #110).
func formatKeyLint(keyID string, lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return fmt.Sprintf("Certificate %s:\n  %s", keyID, strings.Join(lines, "\n  "))
}

// inlineChain joins an error and its causes with ", because ".
func inlineChain(err error) string {
	return strings.Join(errorChain(err), ", because ")
}

// chronoC formats a time as chrono's "%c" in UTC ("Thu Apr  6 13:02:33 2017"),
// which rpm-sequoia uses to name a signature.
func chronoC(t time.Time) string { return t.UTC().Format("Mon Jan _2 15:04:05 2006") }
