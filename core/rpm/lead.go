package rpm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
)

// leadMagic is lib/rpmlead.c:lead_magic (RPMLEAD_MAGIC0..3).
var leadMagic = [4]byte{0xed, 0xab, 0xee, 0xdb}

// sigTypeHeaderSig is RPMSIGTYPE_HEADERSIG (lib/signature.h), the only
// signature type rpm accepts in the lead.
const sigTypeHeaderSig = 5

// Lead is the 96-byte lead that starts every package (lib/rpmlead.c,
// struct rpmlead_s). Only Major and SigType are checked by rpm; the other
// fields are informational and rpm ignores them.
type Lead struct {
	Major   uint8  // format major version: 3 or 4
	Minor   uint8  // format minor version
	Type    uint16 // 0 binary, 1 source
	Arch    uint16 // archnum
	Name    string // NEVR of the package as written by the builder, up to the first NUL (at most 66 bytes)
	OS      uint16 // osnum
	SigType uint16 // signature_type: must be 5 (RPMSIGTYPE_HEADERSIG)
}

// readLead mirrors lib/rpmlead.c:rpmLeadRead and rpmLeadCheck of rpm 4.18.
func readLead(r io.Reader) (Lead, error) {
	var b [LeadSize]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			// rpmLeadRead: short read without Ferror -> RPMRC_NOTFOUND;
			// rpmpkgRead drops the message.
			return Lead{}, &FormatError{Msg: ErrNotRPM.Error(), NotRPM: true, Err: ErrNotRPM}
		}
		// rpmLeadRead: rasprintf(&err, _("read failed: %s (%d)\n"),
		// Fstrerror(fd), errno) (lib/rpmlead.c); e.g. a directory gives
		// "read failed: Is a directory (21)\n".
		return Lead{}, &FormatError{Msg: readFailed(err), Err: err}
	}
	l := Lead{
		Major:   b[4],
		Minor:   b[5],
		Type:    binary.BigEndian.Uint16(b[6:8]),
		Arch:    binary.BigEndian.Uint16(b[8:10]),
		OS:      binary.BigEndian.Uint16(b[76:78]),
		SigType: binary.BigEndian.Uint16(b[78:80]),
	}
	name := b[10:76]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	l.Name = string(name)
	// rpmLeadCheck, in rpm's order: magic, signature type, major version.
	if !bytes.Equal(b[:4], leadMagic[:]) {
		return l, &FormatError{Msg: ErrNotRPM.Error(), NotRPM: true, Err: ErrNotRPM}
	}
	if l.SigType != sigTypeHeaderSig {
		return l, &FormatError{Msg: "illegal signature type"}
	}
	if l.Major < 3 || l.Major > 4 {
		return l, &FormatError{Msg: "unsupported RPM package version"}
	}
	return l, nil
}

// readFailed is rpmLeadRead's message for an I/O error: "read failed:
// <strerror> (<errno>)\n". Without an errno the Go error text stands in.
func readFailed(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return "read failed: " + err.Error()
	}
	return fmt.Sprintf("read failed: %s (%d)\n", Strerror(err), int(errno))
}

// Strerror renders an OS error the way C's strerror does: Go's text for an
// errno is glibc's with a lower-case first letter. Without an errno the Go
// error text stands in.
func Strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if s := errno.Error(); s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	return err.Error()
}
