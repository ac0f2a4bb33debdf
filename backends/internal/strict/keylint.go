package strict

import (
	"errors"
	"fmt"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
	"github.com/rpmpgp/rpmpgp/core"
)

// revocationReasons are Sequoia's Display names of reasons for revocation
// (RFC 9580, Section 5.2.3.31).
var revocationReasons = map[byte]string{
	0:  "Unspecified reason",
	1:  "Key is superseded",
	2:  "Key material has been compromised",
	3:  "Key is retired and no longer used",
	32: "User ID information is no longer valid",
}

func revocationLine(prefix string, r *packet.Signature) string {
	if !r.HasReason {
		return prefix + "unspecified reason"
	}
	reason, ok := revocationReasons[r.Reason]
	if !ok {
		reason = fmt.Sprintf("Unknown reason (%d)", r.Reason)
	}
	l := prefix + reason
	if r.ReasonMsg != "" {
		l += ", " + r.ReasonMsg
	}
	return l
}

// LintKey mirrors pgpPubKeyLint as rpm-sequoia 1.10.2 implements it
// (_pgpPubKeyLint): the certificate under the policy now; if the policy
// rejects it, FAIL — or NOTTRUSTED when the NullPolicy accepts it (legacy
// algorithms, rpm-sequoia 5a576b2); otherwise OK, with lines about
// revocation, expiry and every key that cannot be used for signing.
func (b *Backend) LintKey(data []byte) (core.Verdict, error) {
	if n, err := certLength(data); err == nil {
		data = data[:n]
	}
	c, err := b.cert(data)
	if err != nil {
		// pgpPubKeyLint on something that is not a usable certificate is a
		// verdict (RPMRC_FAIL), not a missing verdict.
		return core.Verdict{RC: core.RCFail, Lint: "Not an OpenPGP certificate: " + err.Error()}, nil
	}
	pol, now := b.settings()
	std := evalPolicy{p: pol, now: now}
	keyID := packet.UpperHex(c.primary.keyID[:])
	var lines []string
	vc, err := c.withPolicy(std, now)
	if err != nil {
		lines = append(lines, fmt.Sprintf("Policy rejects %s: %s", keyID, inlineChain(err)))
		rc := core.RCFail
		if _, nerr := c.withPolicy(evalPolicy{null: true}, now); nerr == nil {
			rc = core.RCNotTrusted
		}
		return core.Verdict{RC: rc, Lint: formatKeyLint(keyID, lines)}, nil
	}
	for _, r := range vc.primary.revs {
		lines = append(lines, revocationLine("The certificate was revoked: ", r))
	}
	if err := vc.alive(); err != nil {
		if e, ok := vc.primary.expiration(); ok {
			lines = append(lines, expiryLine("The certificate", e, now, err))
		}
	}
	haveSigning := false
	keys := append([]*publicKey{c.primary}, subkeyKeys(c)...)
	for i, k := range keys {
		id := packet.UpperHex(k.keyID[:])
		var ka *validKey
		if i == 0 {
			ka = vc.primary
		} else if ka, err = c.subkeys[i-1].withPolicy(std, now, vc.primary); err != nil {
			lines = append(lines, fmt.Sprintf("Policy rejects subkey %s: %s", id, inlineChain(err)))
			continue
		}
		if !ka.forSigning() {
			continue // non-signing keys are silently ignored
		}
		if len(ka.revs) > 0 {
			for _, r := range ka.revs {
				lines = append(lines, revocationLine(fmt.Sprintf("Subkey %s was revoked: ", id), r))
			}
			continue
		}
		if err := ka.alive(); err != nil {
			if e, ok := ka.expiration(); ok {
				lines = append(lines, expiryLine("Subkey "+id, e, now, err))
			}
			continue
		}
		if err := supportedAlgo(b.cfg.Primitives, k); err != nil {
			l := fmt.Sprintf("Subkey %s is not supported (no support for %v)", id, k.algo)
			if !errors.Is(err, errNoSupport) {
				l += ", because " + inlineChain(err) // the primitives' reason
			}
			lines = append(lines, l)
			continue
		}
		haveSigning = true
	}
	if !haveSigning {
		lines = append(lines, "Certificate does not have any usable signing keys")
	}
	return core.Verdict{RC: core.RCOK, Lint: formatKeyLint(keyID, lines)}, nil
}

// expiryLine words an aliveness failure as rpm-sequoia: "is expired" when
// the expiration time has passed (on the wall clock, as rpm-sequoia's
// SystemTime::now(); here the reference time), "is not live" otherwise.
func expiryLine(what string, exp, now time.Time, err error) string {
	if !exp.After(now) {
		return fmt.Sprintf("%s is expired: %s", what, err.Error())
	}
	return fmt.Sprintf("%s is not live: %s", what, err.Error())
}

func subkeyKeys(c *cert) []*publicKey {
	out := make([]*publicKey, 0, len(c.subkeys))
	for _, sb := range c.subkeys {
		out = append(out, sb.key)
	}
	return out
}
