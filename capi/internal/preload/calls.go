package preload

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/rpmpgp/rpmpgp/core"
)

// rpmRC values (include/rpm/rpmtypes.h).
const (
	RPMRCOK         = 0
	RPMRCNotFound   = 1
	RPMRCFail       = 2
	RPMRCNotTrusted = 3
	RPMRCNoKey      = 4
)

// RPMRC maps a verdict code to rpm's rpmRC; anything not a verdict is FAIL.
func RPMRC(rc core.RC) int {
	switch rc {
	case core.RCOK:
		return RPMRCOK
	case core.RCNotFound:
		return RPMRCNotFound
	case core.RCNotTrusted:
		return RPMRCNotTrusted
	case core.RCNoKey:
		return RPMRCNoKey
	}
	return RPMRCFail
}

// Parse is pgpPrtParams: pkts must be one signature packet (pkttype 2), one
// certificate (6), or either (0: the first packet's tag decides, as in
// rpm 4.18).
func Parse(pkts []byte, pkttype int) (*core.Params, error) {
	b, err := Get()
	if err != nil {
		return nil, err
	}
	tag := pkttype
	if tag == 0 {
		if tag, err = FirstTag(pkts); err != nil {
			return nil, err
		}
	}
	var r core.ParseResult
	switch tag {
	case TagSignature:
		r, err = b.ParseSignature(pkts)
	case TagPublicKey:
		if wasRejected(pkts) {
			return nil, errors.New("certificate refused by pgpPubKeyLint")
		}
		r, err = b.ParseCertificate(pkts)
	default:
		return nil, fmt.Errorf("packet type %d: only signatures (2) and public keys (6) are parsed", tag)
	}
	if err != nil {
		return nil, err
	}
	if !r.OK() {
		return nil, fmt.Errorf("%s", OneLine(r.Lint))
	}
	return r.Params, nil
}

// Subkeys is pgpPrtParamsSubkeys.
func Subkeys(pkts []byte) ([]*core.Params, error) {
	b, err := Get()
	if err != nil {
		return nil, err
	}
	return b.Subkeys(pkts)
}

// VerifyHash is pgpVerifySignature once rpm's digest context holds the
// signed data and the trailer ([Trailer]) and was finalised into sum. It
// returns an rpmRC and the backend's explanation on one line.
func VerifyHash(key, sig *core.Params, sum []byte) (int, string) {
	b, err := Get()
	if err != nil {
		return RPMRCFail, err.Error()
	}
	v, err := b.VerifyHash(key, sig, sum)
	if err != nil {
		return RPMRCFail, OneLine(err.Error())
	}
	return RPMRC(v.RC), OneLine(v.Lint)
}

// Fingerprint is pgpPubkeyFingerprint.
func Fingerprint(pkt []byte) ([]byte, error) {
	b, err := Get()
	if err != nil {
		return nil, err
	}
	fp, err := b.Fingerprint(pkt)
	rpmWarning(err)
	return fp, err
}

// KeyID is pgpPubkeyKeyID.
func KeyID(pkt []byte) (core.KeyID, error) {
	b, err := Get()
	if err != nil {
		return core.KeyID{}, err
	}
	id, err := b.KeyID(pkt)
	rpmWarning(err)
	return id, err
}

// unsupportedKey is the warning rpm 4.18's getPubkeyFingerprint logs for a
// key packet of another version than 4 (rpmio/rpmpgp_internal.c), which
// the internal-legacy backend returns as its error text.
var unsupportedKey = regexp.MustCompile(`Unsupported version of key: V[0-9]+$`)

// rpmWarning writes, for a legacy-profile backend, the warning rpm 4.18
// itself logs at this point as rpmlog does ("warning: ...").
func rpmWarning(err error) {
	if err == nil || !legacyProfile() {
		return
	}
	if m := unsupportedKey.FindString(err.Error()); m != "" {
		fmt.Fprintf(stderr(), "warning: %s\n", m)
	}
}

// HasUserID reports whether the packets of cert include a user ID packet
// (tag 13). rpm 4.18 keeps the text of the last one, so a certificate whose
// user ID is empty has an empty (not a NULL) pgpDigParamsUserID.
func HasUserID(cert []byte) bool {
	for len(cert) > 0 {
		tag, off, n, err := packetHeader(cert)
		if err != nil {
			return false
		}
		if tag == 13 {
			return true
		}
		cert = cert[off+n:]
	}
	return false
}

// ParseArmor is pgpParsePkts: the armor kind (negative: PGPARMOR_ERR_*,
// 0: none) and, for a kind > 0, the decoded bytes. A call the backend
// cannot answer gives PGPARMOR_ERR_NO_BEGIN_PGP.
func ParseArmor(text []byte) (int, []byte) {
	b, err := Get()
	if err != nil {
		return int(core.ArmorErrNoBeginPGP), nil
	}
	kind, data, err := b.ParseArmor(text)
	if err != nil {
		return int(core.ArmorErrNoBeginPGP), nil
	}
	if kind <= 0 {
		return int(kind), nil
	}
	return int(kind), data
}

// CertLen is pgpPubKeyCertLen.
func CertLen(pkts []byte) (int, error) {
	b, err := Get()
	if err != nil {
		return 0, err
	}
	return b.CertLen(pkts)
}

// Lint is pgpPubKeyLint: an rpmRC and the explanation ("" for none).
//
// rpm 4.18.0's rpmtxnImportPubkey frees an uninitialised keyring when the
// lint is not OK (Debian 12's rpm crashes with SIGSEGV on it), so a
// rejection is not returned to rpm: the explanation is written to stderr
// the way rpm's rpmlog writes an error ("error: ..."), the certificate is
// remembered, and the pgpPrtParams that rpmPubkeyNew calls next on the same
// bytes fails, so rpm refuses the import ("key N import failed") as rpm
// with rpm-sequoia does.
func Lint(cert []byte) (int, string) {
	b, err := Get()
	if err != nil {
		return RPMRCFail, err.Error()
	}
	v, err := b.LintKey(cert)
	if err != nil {
		v = core.Verdict{RC: core.RCFail, Lint: err.Error()}
	}
	if rc := RPMRC(v.RC); rc != RPMRCOK {
		rejected.Store(sha256.Sum256(cert), true)
		lint := v.Lint
		if lint == "" {
			lint = "certificate rejected (" + v.RC.String() + ")"
		}
		fmt.Fprintf(stderr(), "error: %s\n", strings.TrimRight(lint, "\n"))
		return RPMRCOK, ""
	}
	return RPMRCOK, v.Lint
}

// rejected holds the SHA-256 of every certificate Lint refused.
var rejected sync.Map

// wasRejected reports whether Lint refused cert in this process.
func wasRejected(cert []byte) bool {
	_, ok := rejected.Load(sha256.Sum256(cert))
	return ok
}

// WrapArmor is pgpArmorWrap; ok is false when no text can be made.
func WrapArmor(kind int, data []byte) (string, bool) {
	b, err := Get()
	if err != nil {
		return "", false
	}
	s, err := b.WrapArmor(core.ArmorKind(kind), data)
	return s, err == nil
}

// OneLine joins the lines of s with " | " for a one-line trace.
func OneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " | ")), " ")
}
