package sopv

import (
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp/clearsign"

	"github.com/rpmpgp/rpmpgp/core"
)

// maxNesting bounds compressed packets inside compressed packets.
const maxNesting = 4

// inlineVerify implements "sopv inline-verify [--not-before=DATE]
// [--not-after=DATE] [--verifications-out=VERIFICATIONS] [--] CERTS
// [CERTS...] < INLINESIGNED" (spec "inline-verify: Verify an Inline-Signed
// Message"; sopv-inline-verify(1)). The input is an OpenPGP Signed Message
// (RFC 9580, Section 10.3: one-pass signatures or prefixed signatures
// around one literal data packet, possibly compressed) or a Cleartext
// Signed Message (RFC 9580, Section 7). On success the message content is
// written to standard output and the VERIFICATIONS to --verifications-out;
// without an acceptable signature nothing is written and the exit code is
// NO_SIGNATURE. Each signature is checked by the backend exactly as a
// detached signature over the content.
func (e *Env) inlineVerify(args []string) error {
	opts, pos, w, err := e.verifyOpts(args, "verifications-out")
	if err != nil {
		return err
	}
	if err := requirePositional(pos, 1, "CERTS"); err != nil {
		return err
	}
	certs, err := e.readCerts(pos)
	if err != nil {
		return err
	}
	msg, err := io.ReadAll(io.LimitReader(e.Stdin, maxMessage+1))
	if err != nil {
		return failf(ExitUnspecified, "reading the message: %w", err)
	}
	if len(msg) > maxMessage {
		return failf(ExitUnspecified, "message larger than %d bytes", maxMessage)
	}
	m, err := parseSignedMessage(msg)
	if err != nil {
		return &Error{Code: ExitBadData, Err: err}
	}
	// Open the output before verifying: an existing file is refused
	// whatever the verdict (OUTPUT_EXISTS).
	var vout io.WriteCloser
	if name, ok := opts["verifications-out"]; ok {
		if vout, err = e.createOutput(name); err != nil {
			return err
		}
		defer vout.Close()
	}
	data := func() (io.Reader, error) { return bytes.NewReader(m.signed), nil }
	vs, err := e.checkFiltered(certs, m.sigs, data, w, m.accept)
	if err != nil {
		return err
	}
	if len(vs) > 0 {
		if _, err := e.Stdout.Write(m.content); err != nil {
			return failf(ExitUnspecified, "writing the message: %w", err)
		}
	}
	if vout == nil {
		return e.finish(io.Discard, vs)
	}
	return e.finish(vout, vs)
}

// signedMessage is an inline-signed message taken apart.
type signedMessage struct {
	// content is what inline-verify prints: the literal data, or the
	// cleartext with dash-escaping undone.
	content []byte
	// signed is what the signatures are over (for a cleartext message the
	// canonical text of RFC 9580, Section 7.2).
	signed []byte
	// sigs are the signature packets.
	sigs [][]byte
	// accept rejects a signature the message structure contradicts (a
	// cleartext "Hash:" header naming another algorithm); nil accepts all.
	accept func(*core.Params) error
}

// cleartextBegin starts a Cleartext Signed Message (RFC 9580, Section 7).
var cleartextBegin = []byte("-----BEGIN PGP SIGNED MESSAGE-----")

// parseSignedMessage recognises the two inline forms.
func parseSignedMessage(in []byte) (*signedMessage, error) {
	trimmed := bytes.TrimLeft(in, " \t\r\n")
	if bytes.HasPrefix(trimmed, cleartextBegin) {
		return parseCleartext(trimmed)
	}
	bin, err := dearmor(in, "PGP MESSAGE", maxMessage)
	if err != nil {
		return nil, err
	}
	return parseInline(bin, 0)
}

// parseCleartext takes a Cleartext Signed Message apart with go-crypto's
// clearsign (dash-escaping, the "Hash:" armor headers, trailing whitespace
// and line endings as RFC 9580, Section 7 says); the signature block must
// be the end of the input.
func parseCleartext(in []byte) (*signedMessage, error) {
	b, rest := clearsign.Decode(in)
	if b == nil {
		return nil, errors.New("malformed cleartext signed message")
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, errors.New("data after the cleartext signature block")
	}
	body, err := io.ReadAll(io.LimitReader(b.ArmoredSignature.Body, maxSignatures+1))
	if err != nil {
		return nil, fmt.Errorf("cleartext signature block: %w", err)
	}
	if len(body) > maxSignatures {
		return nil, fmt.Errorf("cleartext signature block larger than %d bytes", maxSignatures)
	}
	sigs, err := signaturePackets(body)
	if err != nil {
		return nil, fmt.Errorf("cleartext signature block: %w", err)
	}
	hashes := b.Headers.Values("Hash")
	m := &signedMessage{content: b.Plaintext, signed: b.Bytes, sigs: sigs}
	if len(hashes) > 0 {
		// RFC 9580, Section 7.1: a signature whose hash algorithm the Hash
		// header does not list is not accepted.
		m.accept = func(p *core.Params) error {
			for _, h := range hashes {
				if strings.EqualFold(h, p.HashAlgo.String()) {
					return nil
				}
			}
			return fmt.Errorf("hash %s is not in the message's Hash header %q", p.HashAlgo, strings.Join(hashes, ","))
		}
	}
	return m, nil
}

// parseInline takes an OpenPGP Signed Message apart (RFC 9580, Section
// 10.3): optional Marker/Padding packets and either one Compressed Data
// packet holding the message or [Signature...] [One-Pass Signature...]
// Literal [Signature...], with as many trailing signatures as one-pass
// signatures. Anything else (encrypted data, two literal packets, a bare
// literal packet) is BAD_DATA.
func parseInline(bin []byte, depth int) (*signedMessage, error) {
	pkts, err := splitPackets(bin)
	if err != nil {
		return nil, err
	}
	var rest []packet
	for _, p := range pkts {
		if p.tag != tagMarker && p.tag != tagPadding {
			rest = append(rest, p)
		}
	}
	if len(rest) == 1 && rest[0].tag == tagCompressed {
		if depth >= maxNesting {
			return nil, fmt.Errorf("compressed data nested more than %d deep", maxNesting)
		}
		inner, err := decompress(rest[0].body)
		if err != nil {
			return nil, err
		}
		return parseInline(inner, depth+1)
	}
	m := &signedMessage{}
	i := 0
	for ; i < len(rest) && rest[i].tag == tagSignature; i++ {
		m.sigs = append(m.sigs, rest[i].raw)
	}
	ops := 0
	for ; i < len(rest) && rest[i].tag == tagOnePassSig; i++ {
		ops++
	}
	if i >= len(rest) || rest[i].tag != tagLiteral {
		return nil, errors.New("not a signed message: no literal data packet where one is expected")
	}
	content, err := literalContent(rest[i].body)
	if err != nil {
		return nil, err
	}
	m.content, m.signed = content, content
	trailing := 0
	for i++; i < len(rest) && rest[i].tag == tagSignature; i++ {
		m.sigs = append(m.sigs, rest[i].raw)
		trailing++
	}
	if i < len(rest) {
		return nil, fmt.Errorf("not a signed message: unexpected packet with tag %d", rest[i].tag)
	}
	if trailing != ops {
		return nil, fmt.Errorf("malformed signed message: %d one-pass signatures, %d signatures after the literal data", ops, trailing)
	}
	if len(m.sigs) == 0 {
		return nil, errors.New("not a signed message: no signature")
	}
	return m, nil
}

// literalContent returns the data of a Literal Data packet body (RFC 9580,
// Section 5.9: format, file name length, file name, date, data).
func literalContent(body []byte) ([]byte, error) {
	if len(body) < 2 || len(body) < 2+int(body[1])+4 {
		return nil, errors.New("truncated literal data packet")
	}
	return body[2+int(body[1])+4:], nil
}

// decompress inflates a Compressed Data packet body (RFC 9580, Section 5.6:
// 0 uncompressed, 1 ZIP, 2 ZLIB, 3 BZip2), bounded by maxMessage.
func decompress(body []byte) ([]byte, error) {
	if len(body) == 0 {
		return nil, errors.New("empty compressed data packet")
	}
	var r io.Reader
	src := bytes.NewReader(body[1:])
	switch body[0] {
	case 0:
		r = src
	case 1:
		r = flate.NewReader(src)
	case 2:
		zr, err := zlib.NewReader(src)
		if err != nil {
			return nil, fmt.Errorf("compressed data: %w", err)
		}
		r = zr
	case 3:
		r = bzip2.NewReader(src)
	default:
		return nil, fmt.Errorf("unknown compression algorithm %d", body[0])
	}
	out, err := io.ReadAll(io.LimitReader(r, maxMessage+1))
	if err != nil {
		return nil, fmt.Errorf("compressed data: %w", err)
	}
	if len(out) > maxMessage {
		return nil, fmt.Errorf("compressed data larger than %d bytes", maxMessage)
	}
	return out, nil
}
