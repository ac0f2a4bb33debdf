package rpm

import "io"

// Package is the parsed container of an RPM package up to its payload.
type Package struct {
	Lead      Lead
	Signature *Header // signature header (region tag 62, or none in legacy packages)
	Header    *Header // main header (region tag 63, or none in legacy packages)
	// HeaderBlob is the exact file bytes of the main header from its 8-byte
	// magic through the end of its data store: what Header-range signatures
	// and digests cover (rpm feeds rpm_header_magic and then the blob;
	// rpm 4.18 requires the region to span the whole main header, so blob
	// and region are the same bytes). Same slice as Header.Raw.
	HeaderBlob []byte
	// SignatureBlob is the exact file bytes of the signature header from its
	// magic through the end of its data store (without the padding). Same
	// slice as Signature.Raw.
	SignatureBlob []byte
	// SignatureOffset is the file offset of the signature header magic (96).
	SignatureOffset int64
	// HeaderOffset is the file offset of the main header magic.
	HeaderOffset int64
	// PayloadOffset is the file offset of the first payload byte.
	PayloadOffset int64
}

// Read reads the lead, the signature header (and its 8-byte alignment
// padding) and the main header from r, leaving r positioned at the first
// payload byte. It never reads the payload, reads r strictly sequentially
// (no seeking) and holds at most the bytes of the two headers, which it
// accumulates only as they arrive.
//
// The sequence is lib/package.c:rpmpkgRead of rpm 4.18: rpmLeadRead,
// hdrblobRead(sig, exact_size 0, RPMTAG_HEADERSIGNATURES),
// hdrblobRead(main, exact_size 1, RPMTAG_HEADERIMMUTABLE). A malformed
// package gives a *[FormatError] carrying rpm's message; an input that is
// not a package at all gives one with NotRPM set (wrapping [ErrNotRPM]).
func Read(r io.Reader) (*Package, error) {
	lead, err := readLead(r)
	if err != nil {
		return nil, err
	}
	p := &Package{Lead: lead, SignatureOffset: LeadSize}
	sig, err := readHeader(r, TagHeaderSignatures)
	if err != nil {
		return nil, err
	}
	p.Signature = sig
	p.SignatureBlob = sig.Raw
	sigLen := int64(len(sig.Raw))
	p.HeaderOffset = p.SignatureOffset + sigLen + (8-sigLen%8)%8

	hdr, err := readHeader(r, TagHeaderImmutable)
	if err != nil {
		return nil, err
	}
	p.Header = hdr
	p.HeaderBlob = hdr.Raw
	p.PayloadOffset = p.HeaderOffset + int64(len(hdr.Raw))
	return p, nil
}

// IsV6 reports whether the package is in rpm v6 format by rpm's own
// heuristic (lib/rpmvs.cc:rpmvsInit, "Heuristics for rpm v6 and newer"): the
// signature header has both RPMSIGTAG_RESERVED (999) and RPMSIGTAG_SHA3_256
// (279). rpm 6 then ignores every signature-header tag >= 1000
// (HEADER_TAGBASE). rpm 4.18 has no such rule.
func (p *Package) IsV6() bool {
	return p != nil && p.Signature.Has(SigTagReserved) && p.Signature.Has(SigTagSHA3_256)
}
