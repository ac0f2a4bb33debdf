package strict

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
)

// component groups a certificate's packets for merging: the primary key
// section, or one User ID / attribute / subkey with its signatures.
type component struct {
	head []byte   // the packet that opens the component (raw bytes)
	id   string   // identity: tag + body of the head packet
	sigs [][]byte // raw signature packets
}

// splitComponents frames a certificate into components, bounded like
// parseCert.
func splitComponents(data []byte) ([]*component, error) {
	var out []*component
	off := 0
	for n := 0; off < len(data); n++ {
		if n > maxCertPackets {
			return nil, fmt.Errorf("certificate has more than %d packets", maxCertPackets)
		}
		p, used, err := packet.ReadPacket(data[off:])
		if err != nil {
			return nil, err
		}
		off += used
		switch {
		case p.Tag == packet.TagSignature:
			if len(out) == 0 {
				return nil, errors.New("certificate starts with a signature")
			}
			c := out[len(out)-1]
			c.sigs = append(c.sigs, p.Raw)
		case p.Tag == packet.TagPublicKey || p.Tag == packet.TagSecretKey || p.Tag == packet.TagUserID ||
			p.Tag == packet.TagUserAttribute || p.Tag == packet.TagPublicSubkey || p.Tag == packet.TagSecretSubkey:
			if (p.Tag == packet.TagPublicKey || p.Tag == packet.TagSecretKey) != (len(out) == 0) {
				return nil, errors.New("not exactly one certificate")
			}
			out = append(out, &component{head: p.Raw, id: string(append([]byte{p.Tag}, p.Body...))})
		default:
			// Marker, trust, padding and unknown packets are dropped.
		}
	}
	if len(out) == 0 {
		return nil, errors.New("No certificate found")
	}
	return out, nil
}

// Merge mirrors pgpPubkeyMerge (rpm-sequoia: Cert::merge_public): both
// certificates must have the same fingerprint; the result holds every
// component and signature of either. When b adds nothing the result is a
// byte-identical copy of a (rpm compares bytes to detect updates).
func (b *Backend) Merge(a, bb []byte) ([]byte, error) {
	if len(a) > MaxCertBytes || len(bb) > MaxCertBytes {
		return nil, fmt.Errorf("certificate is larger than %d bytes", MaxCertBytes)
	}
	fa, err := b.Fingerprint(a)
	if err != nil {
		return nil, err
	}
	fb, err := b.Fingerprint(bb)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(fa, fb) {
		return nil, fmt.Errorf("certificates differ: %X != %X", fa, fb)
	}
	ca, err := splitComponents(a)
	if err != nil {
		return nil, err
	}
	cb, err := splitComponents(bb)
	if err != nil {
		return nil, err
	}
	byID := map[string]*component{}
	for _, c := range ca {
		byID[c.id] = c
	}
	changed := false
	for _, c := range cb {
		have, ok := byID[c.id]
		if !ok {
			ca = append(ca, c)
			byID[c.id] = c
			changed = true
			continue
		}
		for _, s := range c.sigs {
			dup := false
			for _, t := range have.sigs {
				if bytes.Equal(s, t) {
					dup = true
					break
				}
			}
			if !dup {
				have.sigs = append(have.sigs, s)
				changed = true
			}
		}
	}
	if !changed {
		return append([]byte(nil), a...), nil
	}
	var out []byte
	for _, c := range ca {
		out = append(out, c.head...)
		for _, s := range c.sigs {
			out = append(out, s...)
		}
	}
	if len(out) > MaxCertBytes {
		return nil, fmt.Errorf("merged certificate is larger than %d bytes", MaxCertBytes)
	}
	return out, nil
}
