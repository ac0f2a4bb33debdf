package main

import (
	"encoding/binary"
	"fmt"
)

// Region is the part of a package a mutated byte lies in.
type Region string

// Regions of an RPM package (lib/package.c rpmpkgRead: lead, signature
// header, padding to 8 bytes, main header, payload).
const (
	RegionLead     Region = "lead"
	RegionSigIndex Region = "sig-index" // intro and index entries of the signature header
	RegionSigData  Region = "sig-data"  // data store of the signature header, reserved space excepted
	RegionSigSpace Region = "sig-space" // the reserved space (tag 1008 or 999): sampled
	RegionSigPad   Region = "sig-pad"   // padding after the signature header
	RegionMainIdx  Region = "main-index"
	RegionMainData Region = "main-data"
	RegionPayload  Region = "payload" // sampled
)

// covered reports whether the region's bytes are covered by a signature or
// digest a strict verifier checks: the main header (header signature,
// header digests) and the payload (payload digest). The lead and the
// signature header are covered by nothing.
func (r Region) covered() bool {
	return r == RegionMainIdx || r == RegionMainData || r == RegionPayload
}

// Op is one way of mutating a byte.
type Op string

// The mutation operators: every single-bit flip, all bits flipped, zero,
// plus and minus one. Single-bit and +-1 changes turn a tag into its
// neighbour (1000 -> 1002, 1004 -> 1005), a type into the next (STRING 6
// -> INT64 5), a hash algorithm into another (SHA256 8 -> SHA3-256 12).
const (
	OpXor01 Op = "xor01"
	OpXor02 Op = "xor02"
	OpXor04 Op = "xor04"
	OpXor08 Op = "xor08"
	OpXor10 Op = "xor10"
	OpXor20 Op = "xor20"
	OpXor40 Op = "xor40"
	OpXor80 Op = "xor80"
	OpXorFF Op = "xorff"
	OpZero  Op = "zero"
	OpInc   Op = "inc"
	OpDec   Op = "dec"
)

// allOps are tried on the bytes that steer the parser (lead, index
// entries, the signature header's data); a later op giving the same byte
// as an earlier one (or the original byte) is dropped.
var allOps = []Op{OpXor01, OpXor02, OpXor04, OpXor08, OpXor10, OpXor20, OpXor40, OpXor80, OpXorFF, OpZero, OpInc, OpDec}

// dataOps are tried on the main header's data store, the reserved space
// and the payload: bytes that only digests and signatures cover.
var dataOps = []Op{OpXor01, OpXor80, OpXorFF, OpZero, OpInc, OpDec}

func (o Op) apply(b byte) byte {
	switch o {
	case OpXorFF:
		return b ^ 0xff
	case OpZero:
		return 0
	case OpInc:
		return b + 1
	case OpDec:
		return b - 1
	}
	bit, ok := xorBits[o]
	if !ok {
		panic("unknown op " + string(o))
	}
	return b ^ bit
}

var xorBits = map[Op]byte{OpXor01: 0x01, OpXor02: 0x02, OpXor04: 0x04, OpXor08: 0x08, OpXor10: 0x10, OpXor20: 0x20, OpXor40: 0x40, OpXor80: 0x80}

// Mutant is one changed byte of a package.
type Mutant struct {
	Pkg    *Package
	Offset int
	Op     Op
	Value  byte
	Region Region
}

// ID names the mutant in reports and in the exceptions file:
// "<package>@<offset>:<op>".
func (m *Mutant) ID() string { return fmt.Sprintf("%s@%d:%s", m.Pkg.Name, m.Offset, m.Op) }

// Bytes returns the mutated package.
func (m *Mutant) Bytes() []byte {
	b := append([]byte(nil), m.Pkg.Data...)
	b[m.Offset] = m.Value
	return b
}

// layout is the byte ranges of a well-formed package.
type layout struct {
	sigStart, sigIndexEnd, sigEnd, mainStart, mainIndexEnd, mainEnd int
	// space is the data range of the reserved-space entry (empty if none).
	spaceStart, spaceEnd int
}

const (
	leadSize       = 96
	headerIntro    = 16
	indexEntrySize = 16
	// maxIndex bounds the index entries we accept in a seed package.
	maxIndex = 1 << 12
)

// headerSpan returns the index end and total end of the header blob at off.
func headerSpan(data []byte, off int) (indexEnd, end int, err error) {
	if off+headerIntro > len(data) {
		return 0, 0, fmt.Errorf("header at %d: truncated intro", off)
	}
	il := binary.BigEndian.Uint32(data[off+8:])
	dl := binary.BigEndian.Uint32(data[off+12:])
	if il == 0 || il > maxIndex || dl > uint32(len(data)) {
		return 0, 0, fmt.Errorf("header at %d: implausible il=%d dl=%d", off, il, dl)
	}
	indexEnd = off + headerIntro + int(il)*indexEntrySize
	end = indexEnd + int(dl)
	if end > len(data) {
		return 0, 0, fmt.Errorf("header at %d: %d bytes past the end", off, end-len(data))
	}
	return indexEnd, end, nil
}

// parseLayout finds the regions of a (well-formed, unmutated) package.
func parseLayout(data []byte) (layout, error) {
	var l layout
	var err error
	l.sigStart = leadSize
	if l.sigIndexEnd, l.sigEnd, err = headerSpan(data, l.sigStart); err != nil {
		return l, fmt.Errorf("signature header: %w", err)
	}
	l.mainStart = l.sigEnd + (8-(l.sigEnd-l.sigStart)%8)%8
	if l.mainIndexEnd, l.mainEnd, err = headerSpan(data, l.mainStart); err != nil {
		return l, fmt.Errorf("main header: %w", err)
	}
	// The reserved space: RPMSIGTAG_RESERVEDSPACE (1008) or rpm 6's
	// RPMSIGTAG_RESERVED (999), a BIN entry.
	for e := l.sigStart + headerIntro; e < l.sigIndexEnd; e += indexEntrySize {
		tag := binary.BigEndian.Uint32(data[e:])
		if tag != 1008 && tag != 999 {
			continue
		}
		off := int(binary.BigEndian.Uint32(data[e+8:]))
		n := int(binary.BigEndian.Uint32(data[e+12:]))
		start := l.sigIndexEnd + off
		if off < 0 || n < 0 || start+n > l.sigEnd {
			return l, fmt.Errorf("reserved space entry out of range")
		}
		l.spaceStart, l.spaceEnd = start, start+n
	}
	return l, nil
}

// region classifies offset i.
func (l layout) region(i int) Region {
	switch {
	case i < l.sigStart:
		return RegionLead
	case i < l.sigIndexEnd:
		return RegionSigIndex
	case i >= l.spaceStart && i < l.spaceEnd:
		return RegionSigSpace
	case i < l.sigEnd:
		return RegionSigData
	case i < l.mainStart:
		return RegionSigPad
	case i < l.mainIndexEnd:
		return RegionMainIdx
	case i < l.mainEnd:
		return RegionMainData
	}
	return RegionPayload
}

// sampleStride is the distance between sampled bytes of the reserved space
// and of the payload (plus their first and last 8 bytes): their bytes are
// all alike (zeros; compressed data), so every byte would cost time and
// find nothing new.
const sampleStride = 61

// sampled reports whether offset i of a sampled range [start, end) is mutated.
func sampled(i, start, end int) bool {
	return i-start < 8 || end-i <= 8 || (i-start)%sampleStride == 0
}

// Mutants returns every mutant of p: every byte of the lead, the signature
// header (its reserved space sampled) and the main header, plus sampled
// payload bytes, each changed by every op (allOps or dataOps, by region)
// that gives a new byte value.
func (p *Package) Mutants() ([]*Mutant, error) {
	l, err := parseLayout(p.Data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Name, err)
	}
	var out []*Mutant
	for i := range p.Data {
		r := l.region(i)
		switch r {
		case RegionSigSpace:
			if !sampled(i, l.spaceStart, l.spaceEnd) {
				continue
			}
		case RegionPayload:
			if !sampled(i, l.mainEnd, len(p.Data)) {
				continue
			}
		}
		ops := allOps
		switch r {
		case RegionMainData, RegionSigSpace, RegionPayload:
			ops = dataOps
		}
		orig := p.Data[i]
		seen := map[byte]bool{orig: true}
		for _, op := range ops {
			v := op.apply(orig)
			if seen[v] {
				continue
			}
			seen[v] = true
			out = append(out, &Mutant{Pkg: p, Offset: i, Op: op, Value: v, Region: r})
		}
	}
	return out, nil
}
