package sopv

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
)

// Input bounds. A SIGNATURES input holds a few signature packets (core
// bounds one detached signature to 1 MiB); CERTS files are bounded like
// rpmpgp's key files; an inline-signed message is read into memory.
const (
	maxSignatures = 4 << 20
	maxCerts      = 16 << 20
	maxMessage    = 256 << 20
)

// verification is one VERIFICATIONS line (spec "VERIFICATIONS"):
// the signature's creation time, the fingerprint of the signing key, the
// fingerprint of its certificate's primary key, the signature mode and a
// JSON object naming the CERTS arguments that hold the certificate.
type verification struct {
	created time.Time
	signing []byte
	primary []byte
	mode    string
	signers []string
}

// String renders the line without its newline:
// "2021-06-08T13:25:40Z D1A6... D1A6... mode:binary {"signers":["bob.pgp"]}".
// Fingerprints are upper-case hex, as in the spec's examples.
func (v verification) String() string {
	var b strings.Builder
	b.WriteString(v.created.UTC().Format("2006-01-02T15:04:05Z"))
	b.WriteString(" " + strings.ToUpper(hex.EncodeToString(v.signing)))
	b.WriteString(" " + strings.ToUpper(hex.EncodeToString(v.primary)))
	if v.mode != "" {
		b.WriteString(" mode:" + v.mode)
	}
	if len(v.signers) > 0 {
		js, _ := json.Marshal(struct {
			Signers []string `json:"signers"`
		}{v.signers})
		b.WriteString(" " + string(js))
	}
	return b.String()
}

// sigMode is the VERIFICATIONS mode of a signature type (RFC 9580,
// Section 5.2.1: 0x00 binary, 0x01 canonical text); "" for other types.
func sigMode(sigType int) string {
	switch sigType {
	case 0x00:
		return "binary"
	case 0x01:
		return "text"
	}
	return ""
}

// verifyOpts parses the options of verify and inline-verify: the
// validity window (--not-before, --not-after), --debug, and the
// value-taking options named by extra.
func (e *Env) verifyOpts(args []string, extra ...string) (map[string]string, []string, window, error) {
	spec := optSpec{"not-before": true, "not-after": true}
	for _, name := range extra {
		spec[name] = true
	}
	opts, pos, err := parseOpts(args, spec)
	if err != nil {
		return nil, nil, window{}, err
	}
	e.debug = e.debug || hasOpt(opts, "debug")
	w, err := parseWindow(opts, e.now())
	if err != nil {
		return nil, nil, window{}, err
	}
	return opts, pos, w, nil
}

// verify implements "sopv verify [--not-before=DATE] [--not-after=DATE]
// [--] SIGNATURES CERTS [CERTS...] < DATA" (spec "verify: Verify Detached
// Signatures"; sopv-verify(1)): exit 0 when at least one signature of
// SIGNATURES is valid, made by one of the CERTS and inside the window, with
// one VERIFICATIONS line per such signature; NO_SIGNATURE otherwise.
// Signatures that do not verify, by unknown keys or that the backend cannot
// handle are ignored.
func (e *Env) verify(args []string) error {
	_, pos, w, err := e.verifyOpts(args)
	if err != nil {
		return err
	}
	if err := requirePositional(pos, 1, "SIGNATURES"); err != nil {
		return err
	}
	if err := requirePositional(pos, 2, "CERTS"); err != nil {
		return err
	}
	sigData, err := e.readInput(pos[0], maxSignatures)
	if err != nil {
		return err
	}
	sigs, err := signaturePackets(sigData)
	if err != nil {
		return &Error{Code: ExitBadData, Err: fmt.Errorf("SIGNATURES %s: %w", pos[0], err)}
	}
	certs, err := e.readCerts(pos[1:])
	if err != nil {
		return err
	}
	data, cleanup, err := e.dataSource(e.Stdin, len(sigs))
	if err != nil {
		return err
	}
	defer cleanup()
	vs, err := e.check(certs, sigs, data, w)
	if err != nil {
		return err
	}
	return e.finish(e.Stdout, vs)
}

// finish writes the VERIFICATIONS and returns NO_SIGNATURE when there are
// none.
func (e *Env) finish(out io.Writer, vs []verification) error {
	var b bytes.Buffer
	for _, v := range vs {
		b.WriteString(v.String() + "\n")
	}
	if _, err := out.Write(b.Bytes()); err != nil {
		return failf(ExitUnspecified, "writing VERIFICATIONS: %w", err)
	}
	if len(vs) == 0 {
		return failf(ExitNoSignature, "no acceptable signature found")
	}
	return nil
}

// signaturePackets returns the signature packets of a SIGNATURES input
// (binary or armored; spec: "a series of OpenPGP Signature packets").
// Marker and padding packets are skipped (RFC 9580, Sections 5.8 and
// 5.14); any other packet, or none at all, is BAD_DATA.
func signaturePackets(in []byte) ([][]byte, error) {
	bin, err := dearmor(in, "", maxSignatures)
	if err != nil {
		return nil, err
	}
	pkts, err := splitPackets(bin)
	if err != nil {
		return nil, err
	}
	var sigs [][]byte
	for i, p := range pkts {
		switch p.tag {
		case tagSignature:
			sigs = append(sigs, p.raw)
		case tagMarker, tagPadding:
		default:
			return nil, fmt.Errorf("packet %d has tag %d, not a signature", i+1, p.tag)
		}
	}
	if len(sigs) == 0 {
		return nil, fmt.Errorf("no signature packet")
	}
	return sigs, nil
}

// readCerts reads the CERTS arguments. The backend parses them (armored or
// binary, several certificates per input, as rpmpgp's key files);
// a certificate it refuses simply verifies nothing.
func (e *Env) readCerts(args []string) ([]core.KeyFile, error) {
	files := make([]core.KeyFile, 0, len(args))
	for _, a := range args {
		data, err := e.readInput(a, maxCerts)
		if err != nil {
			return nil, err
		}
		files = append(files, core.KeyFile{Source: a, Data: data})
	}
	return files, nil
}

// dataSource returns a function giving a fresh reader over DATA for each
// of n signatures: stdin itself for one signature, else a temporary copy.
func (e *Env) dataSource(in io.Reader, n int) (func() (io.Reader, error), func(), error) {
	if n <= 1 {
		used := false
		return func() (io.Reader, error) {
			if used {
				return nil, fmt.Errorf("DATA already read")
			}
			used = true
			return in, nil
		}, func() {}, nil
	}
	f, err := os.CreateTemp(e.TempDir, "rpmpgp-sopv-data-*")
	if err != nil {
		return nil, nil, failf(ExitUnspecified, "copying DATA: %w", err)
	}
	cleanup := func() {
		f.Close()
		os.Remove(f.Name())
	}
	if _, err := io.Copy(f, in); err != nil {
		cleanup()
		return nil, nil, failf(ExitUnspecified, "copying DATA: %w", err)
	}
	return func() (io.Reader, error) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		return f, nil
	}, cleanup, nil
}

// check opens the backend with certs and verifies every signature over
// the data; it returns the VERIFICATIONS of the good signatures in the
// window, in input order.
func (e *Env) check(certs []core.KeyFile, sigs [][]byte, data func() (io.Reader, error), w window) ([]verification, error) {
	return e.checkFiltered(certs, sigs, data, w, nil)
}

// checkFiltered is check with a last word on each good signature: accept
// (nil: none) may refuse it.
func (e *Env) checkFiltered(certs []core.KeyFile, sigs [][]byte, data func() (io.Reader, error), w window, accept func(*core.Params) error) ([]verification, error) {
	sess, err := e.Backend.Open(certs)
	if err != nil {
		return nil, failf(ExitUnspecified, "backend: %w", err)
	}
	if sess.Close != nil {
		defer sess.Close()
	}
	for _, r := range sess.Imports {
		if !r.OK() {
			e.debugf("%s: certificate %d not used: %s %s", r.Source, r.Index, r.Err, strings.ReplaceAll(r.Lint, "\n", " "))
		}
	}
	var out []verification
	var malformed error
	for i, sig := range sigs {
		typ := signatureType(sig)
		if typ >= 0 && typ != sigTypeBinary && typ != sigTypeText {
			e.debugf("signature %d: type 0x%02x does not sign data", i+1, typ)
			continue
		}
		r, err := data()
		if err != nil {
			return nil, failf(ExitUnspecified, "reading DATA: %w", err)
		}
		if typ == sigTypeText {
			r = newTextReader(r)
		}
		res, err := sess.Verifier.VerifyDetached(sig, r)
		if err != nil {
			return nil, failf(ExitUnspecified, "signature %d: %w", i+1, err)
		}
		for _, l := range res.Lints {
			e.debugf("signature %d: %s", i+1, strings.ReplaceAll(l.Text, "\n", " "))
		}
		if res.ParseFailed && malformed == nil {
			malformed = failf(ExitBadData, "signature %d is malformed: %s", i+1, lintText(res.Lints))
		}
		if res.RC != core.RCOK || res.Sig == nil {
			e.debugf("signature %d: %s", i+1, res.Verdict)
			continue
		}
		created := time.Unix(int64(res.Sig.CreationTime), 0).UTC()
		if !w.contains(created) {
			e.debugf("signature %d: made %s, outside --not-before/--not-after", i+1, created.Format(time.RFC3339))
			continue
		}
		if accept != nil {
			if err := accept(res.Sig); err != nil {
				e.debugf("signature %d: %v", i+1, err)
				continue
			}
		}
		signing, primary, sources := signingKey(sess.Keyring, res.Sig, res.KeyFingerprint)
		if signing == nil {
			// The verdict names a certificate the keyring cannot show:
			// fail closed rather than print a line without its key.
			return nil, failf(ExitUnspecified, "signature %d: verified by key ID %s, which is not in the keyring", i+1, res.Sig.KeyID)
		}
		out = append(out, verification{created: created, signing: signing, primary: primary, mode: sigMode(res.Sig.SigType), signers: sources})
	}
	if len(out) == 0 && malformed != nil {
		// No good signature and one the backend could not parse: BAD_DATA
		// says more than NO_SIGNATURE (as sqop answers).
		return nil, malformed
	}
	return out, nil
}

// lintText joins the backend's explanations on one line.
func lintText(lints []core.Lint) string {
	var parts []string
	for _, l := range lints {
		parts = append(parts, strings.ReplaceAll(l.Text, "\n", " "))
	}
	if len(parts) == 0 {
		return "the backend cannot parse it"
	}
	return strings.Join(parts, "; ")
}

// signingKey finds the key that made sig in the keyring: the entries with
// the signature's issuer key ID and algorithm (core/verify's keyringVerify
// tries exactly these candidates) whose certificate has the primary
// fingerprint the verdict named. It returns the signing key's and the
// primary key's fingerprints and the CERTS inputs holding that
// certificate. A backend that keeps no fingerprints (internal-legacy, like
// rpm 4.18) names no primary: the first candidate is the signer, and the
// fingerprints are computed from its certificate packets.
func signingKey(kr *core.Keyring, sig *core.Params, primary []byte) (signing, prim []byte, sources []string) {
	for _, c := range kr.Lookup(sig.KeyID) {
		if c.Key.PubKeyAlgo != sig.PubKeyAlgo {
			continue
		}
		kfpr, pfpr := c.Key.Fingerprint, c.Primary.Fingerprint
		if len(kfpr) == 0 || len(pfpr) == 0 {
			pfpr, kfpr = certKeys(c.Primary.Packet, sig.KeyID)
		}
		if len(primary) > 0 && !bytes.Equal(pfpr, primary) {
			continue
		}
		if signing == nil {
			if len(kfpr) == 0 || len(pfpr) == 0 {
				continue
			}
			signing, prim = kfpr, pfpr
		}
		if bytes.Equal(pfpr, prim) && !slices.Contains(sources, c.Source) {
			sources = append(sources, c.Source)
		}
	}
	return signing, prim, sources
}
