package rpmgen

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
)

// LeadSize is the size of the RPM lead.
const LeadSize = 96

var leadMagic = []byte{0xed, 0xab, 0xee, 0xdb}

// Lead returns a 96-byte binary-package lead (format 3.0, signature type 5 =
// header-style signature) with the given NEVR name, architecture number and
// OS number (1 = Linux).
func Lead(name string, archnum, osnum uint16) []byte {
	b := make([]byte, LeadSize)
	copy(b, leadMagic)
	b[4], b[5] = 3, 0
	binary.BigEndian.PutUint16(b[6:], 0) // binary package
	binary.BigEndian.PutUint16(b[8:], archnum)
	copy(b[10:75], name) // 66 bytes, always NUL-terminated
	binary.BigEndian.PutUint16(b[76:], osnum)
	binary.BigEndian.PutUint16(b[78:], 5)
	return b
}

// Package is a package split into its four parts.
type Package struct {
	Lead      []byte  // the 96-byte lead
	Signature []Entry // signature-header entries without the region entry
	SigSize   int     // size of the original signature header blob (without padding)
	Header    []byte  // the main header blob, magic through end of store (what header signatures sign)
	Payload   []byte  // everything after the main header
}

// Parse splits a package into lead, signature header entries, main header
// blob and payload.
func Parse(pkg []byte) (*Package, error) {
	if len(pkg) < LeadSize || string(pkg[:4]) != string(leadMagic) {
		return nil, errors.New("rpmgen: no lead magic")
	}
	region, sig, n, err := DecodeHeader(pkg[LeadSize:])
	if err != nil {
		return nil, fmt.Errorf("signature header: %w", err)
	}
	if region != TagHeaderSignatures {
		return nil, fmt.Errorf("rpmgen: signature header region tag %d", region)
	}
	off := LeadSize + n + SigPad(n)
	if off > len(pkg) {
		return nil, errors.New("rpmgen: truncated after signature header")
	}
	_, _, m, err := DecodeHeader(pkg[off:])
	if err != nil {
		return nil, fmt.Errorf("main header: %w", err)
	}
	return &Package{
		Lead:      append([]byte(nil), pkg[:LeadSize]...),
		Signature: sig,
		SigSize:   n,
		Header:    append([]byte(nil), pkg[off:off+m]...),
		Payload:   append([]byte(nil), pkg[off+m:]...),
	}, nil
}

// SigPad is the number of zero bytes rpm writes after a signature header of
// n bytes so that the main header starts on an 8-byte boundary.
func SigPad(n int) int { return (8 - n%8) % 8 }

// Assemble concatenates lead, signature header blob (padded to 8 bytes), main
// header blob and payload.
func Assemble(lead, sigHeader, mainHeader, payload []byte) []byte {
	out := make([]byte, 0, len(lead)+len(sigHeader)+8+len(mainHeader)+len(payload))
	out = append(out, lead...)
	out = append(out, sigHeader...)
	out = append(out, make([]byte, SigPad(len(sigHeader)))...)
	out = append(out, mainHeader...)
	return append(out, payload...)
}

// Bytes re-encodes the package with its current signature entries.
func (p *Package) Bytes() ([]byte, error) {
	sh, err := EncodeHeader(TagHeaderSignatures, p.Signature)
	if err != nil {
		return nil, err
	}
	return Assemble(p.Lead, sh, p.Header, p.Payload), nil
}

// Get returns the signature-header entry with the given tag.
func (p *Package) Get(tag uint32) (Entry, bool) {
	for _, e := range p.Signature {
		if e.Tag == tag {
			return e, true
		}
	}
	return Entry{}, false
}

// HeaderAndPayload returns the bytes covered by header+payload ("Legacy")
// signatures and the MD5 digest.
func (p *Package) HeaderAndPayload() []byte {
	return append(append([]byte(nil), p.Header...), p.Payload...)
}

// Resign rebuilds the signature header of pkg: every OpenPGP signature tag
// (267, 268, 278, 1002, 1005) is dropped, then the given entries are added
// (replacing entries of the same tag), and, if the package has a
// RESERVEDSPACE (1008) entry and no entry for it was given, that entry is
// resized so the signature header keeps its original size, as rpmsign does.
// Resign(unsigned, Bin(SigTagRSA, pkt)) therefore reproduces what
// `rpmsign --addsign` writes for a v4 RSA signature packet pkt.
func Resign(pkg []byte, entries ...Entry) ([]byte, error) {
	p, err := Parse(pkg)
	if err != nil {
		return nil, err
	}
	return p.Resign(entries...)
}

// Resign is the method form of the package-level Resign.
func (p *Package) Resign(entries ...Entry) ([]byte, error) {
	drop := map[uint32]bool{}
	for _, t := range SignatureTags {
		drop[t] = true
	}
	given := map[uint32]bool{}
	for _, e := range entries {
		drop[e.Tag] = true
		given[e.Tag] = true
	}
	var es []Entry
	hasReserved := false
	for _, e := range p.Signature {
		if e.Tag == SigTagReservedSpace && !given[SigTagReservedSpace] {
			hasReserved = true
			continue
		}
		if !drop[e.Tag] {
			es = append(es, e)
		}
	}
	es = append(es, entries...)
	if hasReserved {
		probe, err := EncodeHeader(TagHeaderSignatures, append(append([]Entry(nil), es...), Bin(SigTagReservedSpace, nil)))
		if err != nil {
			return nil, err
		}
		if n := p.SigSize - len(probe); n > 0 {
			es = append(es, Bin(SigTagReservedSpace, make([]byte, n)))
		}
	}
	sh, err := EncodeHeader(TagHeaderSignatures, es)
	if err != nil {
		return nil, err
	}
	return Assemble(p.Lead, sh, p.Header, p.Payload), nil
}

// ReplaceSignatureHeader rebuilds pkg with a signature header made of exactly
// the given entries (nothing kept, no RESERVEDSPACE adjustment).
func ReplaceSignatureHeader(pkg []byte, entries ...Entry) ([]byte, error) {
	p, err := Parse(pkg)
	if err != nil {
		return nil, err
	}
	sh, err := EncodeHeader(TagHeaderSignatures, entries)
	if err != nil {
		return nil, err
	}
	return Assemble(p.Lead, sh, p.Header, p.Payload), nil
}

// SHA1Entry returns the SHA1 (269) entry for a main header blob.
func SHA1Entry(header []byte) Entry {
	s := sha1.Sum(header)
	return String(SigTagSHA1, hex.EncodeToString(s[:]))
}

// SHA256Entry returns the SHA256 (273) entry for a main header blob.
func SHA256Entry(header []byte) Entry {
	s := sha256.Sum256(header)
	return String(SigTagSHA256, hex.EncodeToString(s[:]))
}

// SHA3_256Entry returns the rpm 6 SHA3-256 (279) entry for a main header blob.
func SHA3_256Entry(header []byte) Entry {
	s := sha3.Sum256(header)
	return String(SigTagSHA3_256, hex.EncodeToString(s[:]))
}

// MD5Entry returns the MD5 (1004) entry over header+payload.
func MD5Entry(header, payload []byte) Entry {
	h := md5.New()
	h.Write(header)
	h.Write(payload)
	return Bin(SigTagMD5, h.Sum(nil))
}

// SizeEntry returns the SIZE (1000) entry: header+payload size.
func SizeEntry(header, payload []byte) Entry {
	return Int32(SigTagSize, uint32(len(header)+len(payload)))
}

// OpenPGPEntry returns the rpm 6 OPENPGP (278) entry: a string array with one
// base64-encoded signature packet per element.
func OpenPGPEntry(packets ...[]byte) Entry {
	ss := make([]string, len(packets))
	for i, p := range packets {
		ss[i] = base64.StdEncoding.EncodeToString(p)
	}
	return StringArray(SigTagOpenPGP, ss...)
}

// DigestEntries returns fresh 269, 273, 1000 and 1004 entries for the
// package's current header and payload (what rpmbuild computes).
func (p *Package) DigestEntries() []Entry {
	return []Entry{SHA1Entry(p.Header), SHA256Entry(p.Header), SizeEntry(p.Header, p.Payload), MD5Entry(p.Header, p.Payload)}
}
