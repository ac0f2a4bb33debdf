package conformance

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// The external OpenPGP tools check a package's header-only signature over
// the header bytes. This file extracts both with its own small parser, on
// purpose independent of core/rpm, so an oracle never shares our parsing.

const (
	rpmLeadSize = 96
	// maxHeaderIndex and maxHeaderData bound a header (rpm's hdrblob limits:
	// 0xffff index entries, 256 MiB data) so a hostile file cannot make the
	// harness allocate without limit.
	maxHeaderIndex = 0xffff
	maxHeaderData  = 256 << 20
	rpmTypeBin     = 7
	tagRSAHeader   = 268
	tagDSAHeader   = 267
)

var (
	rpmLeadMagic   = []byte{0xed, 0xab, 0xee, 0xdb}
	rpmHeaderMagic = []byte{0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0}
)

// headerSig is a package's header-only signature and the signed bytes.
type headerSig struct {
	tag    int    // 268 or 267
	packet []byte // the signature packet (sig header tag value)
	signed []byte // rpm_header_magic + the main header's il, dl, index, data
}

// readHeaderSig reads path and returns its header-only signature (tag 268
// preferred, as rpm 4.18 shows it first, then 267). ok is false when the
// package has neither.
func readHeaderSig(path string) (hs headerSig, ok bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return hs, false, err
	}
	defer f.Close()
	lead := make([]byte, rpmLeadSize)
	if _, err := io.ReadFull(f, lead); err != nil {
		return hs, false, fmt.Errorf("reading lead: %w", err)
	}
	if !bytes.Equal(lead[:4], rpmLeadMagic) {
		return hs, false, fmt.Errorf("not an rpm (bad lead magic)")
	}
	sigIndex, sigData, err := readHeaderStruct(f)
	if err != nil {
		return hs, false, fmt.Errorf("signature header: %w", err)
	}
	// The signature header is padded to a multiple of 8 bytes.
	if pad := (8 - (16+len(sigIndex)+len(sigData))%8) % 8; pad > 0 {
		if _, err := io.CopyN(io.Discard, f, int64(pad)); err != nil {
			return hs, false, fmt.Errorf("signature header padding: %w", err)
		}
	}
	for _, tag := range []int{tagRSAHeader, tagDSAHeader} {
		if pkt, found, err := binEntry(sigIndex, sigData, tag); err != nil {
			return hs, false, err
		} else if found {
			hs.tag, hs.packet, ok = tag, pkt, true
			break
		}
	}
	if !ok {
		return hs, false, nil
	}
	index, data, err := readHeaderStruct(f)
	if err != nil {
		return hs, false, fmt.Errorf("main header: %w", err)
	}
	signed := make([]byte, 0, 16+len(index)+len(data))
	signed = append(signed, rpmHeaderMagic...)
	signed = binary.BigEndian.AppendUint32(signed, uint32(len(index)/16))
	signed = binary.BigEndian.AppendUint32(signed, uint32(len(data)))
	signed = append(append(signed, index...), data...)
	hs.signed = signed
	return hs, true, nil
}

// readHeaderStruct reads one header structure (magic, il, dl, index, data).
func readHeaderStruct(r io.Reader) (index, data []byte, err error) {
	intro := make([]byte, 16)
	if _, err := io.ReadFull(r, intro); err != nil {
		return nil, nil, err
	}
	if !bytes.Equal(intro[:3], rpmHeaderMagic[:3]) {
		return nil, nil, fmt.Errorf("bad header magic")
	}
	il, dl := binary.BigEndian.Uint32(intro[8:]), binary.BigEndian.Uint32(intro[12:])
	if il > maxHeaderIndex || dl > maxHeaderData {
		return nil, nil, fmt.Errorf("header too large (%d entries, %d bytes)", il, dl)
	}
	buf := make([]byte, int(il)*16+int(dl))
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, nil, err
	}
	return buf[:il*16], buf[il*16:], nil
}

// binEntry returns the value of a BIN entry with the given tag.
func binEntry(index, data []byte, tag int) ([]byte, bool, error) {
	for i := 0; i+16 <= len(index); i += 16 {
		e := index[i : i+16]
		if int(binary.BigEndian.Uint32(e)) != tag {
			continue
		}
		typ := binary.BigEndian.Uint32(e[4:])
		off, cnt := binary.BigEndian.Uint32(e[8:]), binary.BigEndian.Uint32(e[12:])
		if typ != rpmTypeBin || uint64(off)+uint64(cnt) > uint64(len(data)) {
			return nil, false, fmt.Errorf("signature tag %d: bad entry (type %d, offset %d, count %d)", tag, typ, off, cnt)
		}
		return data[off : off+cnt], true, nil
	}
	return nil, false, nil
}
