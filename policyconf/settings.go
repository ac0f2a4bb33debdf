package policyconf

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Setting is one effective value of a policy: a "key = value" line of
// [Format]'s output (ignore_invalid lists aside).
type Setting struct {
	// Section is the policy file section ("hash_algorithms", "packets").
	Section string `json:"section"`
	// Key is the key in the section: "sha256",
	// "sha1.collision_resistance", "signature.default_disposition",
	// "signature.v3".
	Key string `json:"key"`
	// Value is the cutoff as the file writes it, unquoted: "always",
	// "never", YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ.
	Value string `json:"value"`
}

// Settings returns every effective value of p (nil means [Default]) in
// [Format]'s order and spelling.
func Settings(p *Policy) []Setting {
	p = orDefault(p)
	var out []Setting
	add := func(sec, key string, c *time.Time) {
		out = append(out, Setting{Section: sec, Key: key, Value: strings.Trim(formatCutoff(c), `"`)})
	}
	for _, n := range hashNames {
		spr, cr := effective(p.HashSPR, n), effective(p.HashCR, n)
		if sameCutoff(spr, cr) {
			add(secHash, n, spr)
		} else {
			add(secHash, n+"."+keySPR, spr)
			add(secHash, n+"."+keyCR, cr)
		}
	}
	for _, n := range symmetricNames {
		add(secSymmetric, n, effective(p.Symmetric, n))
	}
	for _, n := range asymmetricNames {
		add(secAsymmetric, n, effective(p.Asymmetric, n))
	}
	for _, n := range aeadNames {
		add(secAEAD, n, effective(p.AEAD, n))
	}
	for _, n := range packetNames {
		c := effective(p.Packets, n)
		vs := p.PacketVersions[n]
		if len(vs) == 0 {
			add(secPackets, n, c)
			continue
		}
		add(secPackets, n+"."+keyDefaultDisposition, c)
		versions := make([]int, 0, len(vs))
		for v := range vs {
			versions = append(versions, v)
		}
		sort.Ints(versions)
		for _, v := range versions {
			add(secPackets, n+".v"+strconv.Itoa(v), vs[v])
		}
	}
	return out
}

// KindName is the stable name of a source kind in rpmpgp's JSON:
// "defaults", "file", "env-file", "env-empty", "explicit".
func (k SourceKind) KindName() string {
	switch k {
	case SourceFile:
		return "file"
	case SourceEnvFile:
		return "env-file"
	case SourceEnvEmpty:
		return "env-empty"
	case SourceExplicit:
		return "explicit"
	}
	return "defaults"
}

// Schema names the shape of `rpmpgp policy --output json`; the JSON
// Schema is docs/schema/rpmpgp-policy-v1.json.
const Schema = "rpmpgp-policy/v1"

// Document is the one object `rpmpgp policy --output json` writes.
type Document struct {
	Schema   string         `json:"schema"`
	Source   DocumentSource `json:"source"`
	Settings []Setting      `json:"settings"`
}

// DocumentSource says where the policy came from.
type DocumentSource struct {
	// Kind is [SourceKind.KindName].
	Kind string `json:"kind"`
	Var  string `json:"var,omitempty"`
	Path string `json:"path,omitempty"`
	// Text is [Source.String], as the text output's "# source:" line.
	Text string `json:"text"`
}

// NewDocument describes policy p read from src.
func NewDocument(p *Policy, src Source) Document {
	return Document{
		Schema:   Schema,
		Source:   DocumentSource{Kind: src.Kind.KindName(), Var: src.Var, Path: src.Path, Text: src.String()},
		Settings: Settings(p),
	}
}
