package policyconf

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Format prints the effective policy p (nil means [Default]) as a
// sequoia-policy-config document, like `sequoia-policy-config-check --dump`
// but with every effective value written out rather than the defaults
// commented out. Sections and names come in sequoia's order (hash,
// symmetric, asymmetric, aead, packets); values are "always", "never",
// YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ. A hash whose two
// properties differ is written as name.second_preimage_resistance and
// name.collision_resistance; a versioned packet with per-version cutoffs as
// name.default_disposition plus name.vN. Names that sequoia-policy-config
// 0.8.0 does not know are listed in ignore_invalid, so the output passes its
// checker too. [Parse] of the output gives a policy [Policy.Equal] to p,
// except for per-version packet cutoffs of versions the format cannot name
// (listed in ignore_invalid, as --dump does, and so dropped on reading).
func Format(p *Policy) string {
	p = orDefault(p)
	var b strings.Builder
	if p.Source != "" {
		fmt.Fprintf(&b, "# Effective crypto policy read from %s\n", strconv.Quote(p.Source))
	} else {
		b.WriteString("# Effective crypto policy: built-in defaults\n")
	}

	b.WriteString("\n[" + secHash + "]\n")
	for _, n := range hashNames {
		spr, cr := effective(p.HashSPR, n), effective(p.HashCR, n)
		if sameCutoff(spr, cr) {
			fmt.Fprintf(&b, "%s = %s\n", n, formatCutoff(spr))
		} else {
			fmt.Fprintf(&b, "%s.%s = %s\n", n, keySPR, formatCutoff(spr))
			fmt.Fprintf(&b, "%s.%s = %s\n", n, keyCR, formatCutoff(cr))
		}
	}

	b.WriteString("\n[" + secSymmetric + "]\n")
	for _, n := range symmetricNames {
		fmt.Fprintf(&b, "%s = %s\n", n, formatCutoff(effective(p.Symmetric, n)))
	}

	b.WriteString("\n[" + secAsymmetric + "]\n")
	var newer []string
	for _, n := range asymmetricNames {
		if newAsymmetricNames[n] {
			newer = append(newer, strconv.Quote(n))
		}
	}
	b.WriteString("# Names newer than sequoia-policy-config 0.8.0:\n")
	fmt.Fprintf(&b, "%s = [%s]\n", keyIgnoreInvalid, strings.Join(newer, ", "))
	for _, n := range asymmetricNames {
		fmt.Fprintf(&b, "%s = %s\n", n, formatCutoff(effective(p.Asymmetric, n)))
	}

	b.WriteString("\n[" + secAEAD + "]\n")
	for _, n := range aeadNames {
		fmt.Fprintf(&b, "%s = %s\n", n, formatCutoff(effective(p.AEAD, n)))
	}

	b.WriteString("\n[" + secPackets + "]\n")
	for _, n := range packetNames {
		c := effective(p.Packets, n)
		vs := p.PacketVersions[n]
		if len(vs) == 0 {
			fmt.Fprintf(&b, "%s = %s\n", n, formatCutoff(c))
			continue
		}
		fmt.Fprintf(&b, "%s.%s = %s\n", n, keyDefaultDisposition, formatCutoff(c))
		versions := make([]int, 0, len(vs))
		for v := range vs {
			versions = append(versions, v)
		}
		sort.Ints(versions)
		var unknown []string
		for _, v := range versions {
			fmt.Fprintf(&b, "%s.v%d = %s\n", n, v, formatCutoff(vs[v]))
			if !knownPacketVersion(n, v) {
				unknown = append(unknown, strconv.Quote("v"+strconv.Itoa(v)))
			}
		}
		if len(unknown) > 0 {
			fmt.Fprintf(&b, "%s.%s = [%s]\n", n, keyIgnoreInvalid, strings.Join(unknown, ", "))
		}
	}
	return b.String()
}

// formatCutoff writes a cutoff as --dump does: "always", "never", a bare
// TOML date at midnight UTC, or a bare TOML offset date-time.
func formatCutoff(c *time.Time) string {
	if c == nil {
		return `"always"`
	}
	u := c.UTC()
	if u.Unix() <= 0 {
		return `"never"`
	}
	if u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 {
		return u.Format("2006-01-02")
	}
	return u.Format("2006-01-02T15:04:05Z")
}

// effective returns the cutoff m gives name as the checks see it: a missing
// name is rejected (the epoch), and times are clamped like parsed ones.
func effective(m map[string]*time.Time, name string) *time.Time {
	c, ok := m[name]
	if !ok {
		return neverCutoff()
	}
	if c == nil {
		return nil
	}
	return clampCutoff(*c)
}

func sameCutoff(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// packetCutoff is the effective cutoff of packet name in version v.
func (p *Policy) packetCutoff(name string, v int) *time.Time {
	if vs, ok := p.PacketVersions[name]; ok {
		if c, ok := vs[v]; ok {
			if c == nil {
				return nil
			}
			return clampCutoff(*c)
		}
	}
	return effective(p.Packets, name)
}

// Equal reports whether p and q (nil means [Default]) have the same
// effective cutoffs: every name in either policy's tables, with a missing
// name counting as rejected since the epoch, and every packet version
// 0-255. Cutoffs are compared at OpenPGP timestamp precision (whole seconds,
// clamped). Source is ignored.
func (p *Policy) Equal(q *Policy) bool {
	p, q = orDefault(p), orDefault(q)
	tables := []struct{ a, b map[string]*time.Time }{
		{p.HashCR, q.HashCR}, {p.HashSPR, q.HashSPR}, {p.Asymmetric, q.Asymmetric},
		{p.Symmetric, q.Symmetric}, {p.AEAD, q.AEAD},
	}
	for _, t := range tables {
		for _, names := range []map[string]*time.Time{t.a, t.b} {
			for n := range names {
				if !sameCutoff(effective(t.a, n), effective(t.b, n)) {
					return false
				}
			}
		}
	}
	tags := map[string]bool{}
	for _, m := range []*Policy{p, q} {
		for n := range m.Packets {
			tags[n] = true
		}
		for n := range m.PacketVersions {
			tags[n] = true
		}
	}
	for n := range tags {
		for v := 0; v <= 255; v++ {
			if !sameCutoff(p.packetCutoff(n, v), q.packetCutoff(n, v)) {
				return false
			}
		}
	}
	return true
}

// Clone returns a deep copy of p (nil means [Default]).
func (p *Policy) Clone() *Policy {
	p = orDefault(p)
	cp := func(m map[string]*time.Time) map[string]*time.Time {
		if m == nil {
			return nil
		}
		out := make(map[string]*time.Time, len(m))
		for k, v := range m {
			if v != nil {
				t := *v
				v = &t
			}
			out[k] = v
		}
		return out
	}
	q := &Policy{
		HashCR: cp(p.HashCR), HashSPR: cp(p.HashSPR), Asymmetric: cp(p.Asymmetric),
		Symmetric: cp(p.Symmetric), AEAD: cp(p.AEAD), Packets: cp(p.Packets),
		Source: p.Source,
	}
	if p.PacketVersions != nil {
		q.PacketVersions = make(map[string]map[int]*time.Time, len(p.PacketVersions))
		for n, vs := range p.PacketVersions {
			m := make(map[int]*time.Time, len(vs))
			for v, c := range vs {
				if c != nil {
					t := *c
					c = &t
				}
				m[v] = c
			}
			q.PacketVersions[n] = m
		}
	}
	return q
}
