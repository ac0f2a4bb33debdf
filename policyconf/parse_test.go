package policyconf

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
)

const (
	hashKeys  = "md5, sha1, ripemd160, sha256, sha384, sha512, sha224, sha3-256, sha3-512, default_disposition"
	symKeys   = "idea, tripledes, cast5, blowfish, aes128, aes192, aes256, twofish, camellia128, camellia192, camellia256, default_disposition"
	sections  = "hash_algorithms, asymmetric_algorithms, symmetric_algorithms, aead_algorithms, packets"
	badCutoff = `expected "always", "never" or a date, got `
)

// TestParseErrors covers every error class of policy-format.md 1.5 with
// the exact message.
func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		// Invalid TOML, UTF-8, duplicates.
		{"syntax", "[hash_algorithms", "p.toml: line 1, column 16: invalid TOML: expected ']' to close table name"},
		{"bare word", "[hash_algorithms]\nsha1 = never\n", `p.toml: line 2, column 8: invalid TOML: expected keyword "nan"`},
		{"not utf-8", "[hash_algorithms]\nsha1 = \"\xff\"\n", "p.toml: invalid TOML: the file is not valid UTF-8 (byte offset 26)"},
		{"duplicate key", "[hash_algorithms]\nsha1 = \"never\"\nsha1 = \"always\"\n", "p.toml: line 3, column 1: invalid TOML: key sha1 is already defined"},
		{"scalar and table", "[hash_algorithms]\nsha1 = \"never\"\nsha1.collision_resistance = \"never\"\n", "p.toml: line 3, column 1: invalid TOML: key sha1 is already defined"},
		{"duplicate table", "[hash_algorithms]\nsha1 = \"never\"\n[hash_algorithms]\nmd5 = \"never\"\n", "p.toml: line 3, column 2: invalid TOML: table hash_algorithms already exists"},
		{"impossible date", "[hash_algorithms]\nsha1 = 2023-02-30\n", "p.toml: line 2, column 16: invalid TOML: impossible date"},

		// Unknown sections, keys, sub-keys, versions.
		{"unknown section", "[x]\na = 1\n", "p.toml: x: unknown section; expected one of: " + sections + " (or a name listed in ignore_invalid)"},
		{"top-level value", "x = 1\n", "p.toml: x: unknown section; expected one of: " + sections + " (or a name listed in ignore_invalid)"},
		{"section case", "[HASH_ALGORITHMS]\nsha1 = \"never\"\n", "p.toml: HASH_ALGORITHMS: unknown section; expected one of: " + sections + " (or a name listed in ignore_invalid)"},
		{"several unknown", "[y]\n[x]\n['a b']\n", `p.toml: "a b": unknown section (also unknown: x, y); expected one of: ` + sections + " (or a name listed in ignore_invalid)"},
		{"unknown key", "[hash_algorithms]\nsha1 = \"always\"\nsha99 = \"never\"\n", "p.toml: hash_algorithms.sha99: unknown key; expected one of: " + hashKeys + " (or a name listed in hash_algorithms.ignore_invalid)"},
		{"ignore at wrong level", "ignore_invalid = \"sha99\"\n[hash_algorithms]\nsha99 = \"never\"\n", "p.toml: hash_algorithms.sha99: unknown key; expected one of: " + hashKeys + " (or a name listed in hash_algorithms.ignore_invalid)"},
		{"ignore wrong case", "[hash_algorithms]\nignore_invalid = \"SHA99\"\nsha99 = \"never\"\n", "p.toml: hash_algorithms.sha99: unknown key; expected one of: " + hashKeys + " (or a name listed in hash_algorithms.ignore_invalid)"},
		{"key case", "[hash_algorithms]\nSHA1 = \"never\"\n", "p.toml: hash_algorithms.SHA1: unknown key; expected one of: " + hashKeys + " (or a name listed in hash_algorithms.ignore_invalid)"},
		{"unknown sub-key", "[symmetric_algorithms]\naes128.foo = \"2040-01-01\"\n", "p.toml: symmetric_algorithms.aes128.foo: unknown key; expected one of: default_disposition (or a name listed in symmetric_algorithms.aes128.ignore_invalid)"},
		{"unknown hash property", "[hash_algorithms]\nsha1.preimage_resistance = \"never\"\n", "p.toml: hash_algorithms.sha1.preimage_resistance: unknown key; expected one of: second_preimage_resistance, collision_resistance, default_disposition (or a name listed in hash_algorithms.sha1.ignore_invalid)"},
		{"unknown version", "[packets]\nsignature.v9 = 2010-01-01\nsignature.v4 = 2030-01-01\n", "p.toml: packets.signature.v9: unknown key; expected one of: v3, v4, v5, v6, default_disposition (or a name listed in packets.signature.ignore_invalid)"},
		{"version of unversioned packet", "[packets]\nsed.v1 = \"never\"\n", "p.toml: packets.sed.v1: unknown key; expected one of: default_disposition (or a name listed in packets.sed.ignore_invalid)"},
		{"ignore in section does not reach key tables", "[packets]\nignore_invalid = \"v9\"\nsignature.v9 = \"never\"\n", "p.toml: packets.signature.v9: unknown key; expected one of: v3, v4, v5, v6, default_disposition (or a name listed in packets.signature.ignore_invalid)"},
		{"section not a table", "hash_algorithms = \"never\"\n", `p.toml: hash_algorithms: expected a table, got "never"`},
		{"section not a table (array)", "packets = [1]\n", `p.toml: packets: expected a table, got an array`},

		// Bad values.
		{"integer", "[hash_algorithms]\nsha1 = 42\n", "p.toml: hash_algorithms.sha1: " + badCutoff + "42"},
		{"bool", "[asymmetric_algorithms]\nrsa1024 = true\n", "p.toml: asymmetric_algorithms.rsa1024: " + badCutoff + "true"},
		{"float", "[aead_algorithms]\neax = 1.0\n", "p.toml: aead_algorithms.eax: " + badCutoff + "1.0"},
		{"inf", "[aead_algorithms]\neax = -inf\n", "p.toml: aead_algorithms.eax: " + badCutoff + "-inf"},
		{"array", "[symmetric_algorithms]\naes128 = [\"always\"]\n", "p.toml: symmetric_algorithms.aes128: " + badCutoff + "an array"},
		{"sub-key value", "[hash_algorithms]\nsha1.collision_resistance = 1\n", "p.toml: hash_algorithms.sha1.collision_resistance: " + badCutoff + "1"},
		{"sub-key table", "[hash_algorithms]\nsha1.collision_resistance.x = 1\n", "p.toml: hash_algorithms.sha1.collision_resistance: " + badCutoff + "a table"},
		{"key default_disposition", "[packets]\nsignature.default_disposition = \"sometimes\"\n", `p.toml: packets.signature.default_disposition: ` + badCutoff + `"sometimes"`},
		{"bad date string", "[hash_algorithms]\nsha1 = \"2023-13-01\"\n", `p.toml: hash_algorithms.sha1: ` + badCutoff + `"2023-13-01"`},
		{"word", "[hash_algorithms]\nsha1 = \"yesterday\"\n", `p.toml: hash_algorithms.sha1: ` + badCutoff + `"yesterday"`},
		{"Never", "[hash_algorithms]\nsha1 = \"Never\"\n", `p.toml: hash_algorithms.sha1: ` + badCutoff + `"Never" ("always" and "never" are case-sensitive)`},
		{"ALWAYS", "[packets]\nsed = \"ALWAYS\"\n", `p.toml: packets.sed: ` + badCutoff + `"ALWAYS" ("always" and "never" are case-sensitive)`},
		{"local datetime", "[hash_algorithms]\nsha1 = 2010-01-01T00:00:00\n", "p.toml: hash_algorithms.sha1: " + badCutoff + "local date-time 2010-01-01T00:00:00 (a date-time needs a UTC offset, e.g. 2010-01-01T00:00:00Z)"},
		{"local datetime string", "[hash_algorithms]\nsha1 = \"2010-01-01T00:00:00\"\n", `p.toml: hash_algorithms.sha1: ` + badCutoff + `"2010-01-01T00:00:00" (a date-time needs a UTC offset, e.g. "2010-01-01T00:00:00Z")`},
		{"local time", "[hash_algorithms]\nsha1 = 07:32:00\n", "p.toml: hash_algorithms.sha1: " + badCutoff + "local time 07:32:00"},
		{"offset without colon", "[hash_algorithms]\nsha1 = \"2010-01-01T00:00:00+0200\"\n", `p.toml: hash_algorithms.sha1: ` + badCutoff + `"2010-01-01T00:00:00+0200"`},
		{"trailing space", "[hash_algorithms]\nsha1 = \"2010-01-01 \"\n", `p.toml: hash_algorithms.sha1: ` + badCutoff + `"2010-01-01 "`},

		// Section default_disposition.
		{"section dd always", "[hash_algorithms]\ndefault_disposition = \"always\"\n", `p.toml: hash_algorithms.default_disposition: expected "never" (the only value a section's default_disposition takes), got "always"`},
		{"section dd date", "[packets]\ndefault_disposition = 2020-01-01\n", `p.toml: packets.default_disposition: expected "never" (the only value a section's default_disposition takes), got local date 2020-01-01`},
		{"section dd Never", "[aead_algorithms]\ndefault_disposition = \"Never\"\n", `p.toml: aead_algorithms.default_disposition: expected "never" (the only value a section's default_disposition takes), got "Never"`},
		{"section dd int", "[symmetric_algorithms]\ndefault_disposition = 0\n", `p.toml: symmetric_algorithms.default_disposition: expected "never" (the only value a section's default_disposition takes), got 0`},

		// ignore_invalid types, at every level.
		{"ignore top int", "ignore_invalid = 1\n", "p.toml: ignore_invalid: expected a string or an array of strings, got 1"},
		{"ignore section table", "[hash_algorithms]\nignore_invalid = { a = 1 }\n", "p.toml: hash_algorithms.ignore_invalid: expected a string or an array of strings, got a table"},
		{"ignore key array of int", "[packets]\nsignature.ignore_invalid = [\"v9\", 9]\n", "p.toml: packets.signature.ignore_invalid: expected a string or an array of strings, got an array containing 9"},

		// The first error in the reference's order is reported: sections
		// in the order hash, asymmetric, symmetric, aead, packets.
		{"order", "[packets]\nsed = 1\n[symmetric_algorithms]\nidea = 1\n", "p.toml: symmetric_algorithms.idea: " + badCutoff + "1"},
		{"order in section", "[symmetric_algorithms]\nidea = 1\naes128 = 2\n", "p.toml: symmetric_algorithms.aes128: " + badCutoff + "2"},
		{"unknown before values", "[symmetric_algorithms]\naes128 = 2\nfoo = 1\n", "p.toml: symmetric_algorithms.foo: unknown key; expected one of: " + symKeys + " (or a name listed in symmetric_algorithms.ignore_invalid)"},
		{"quoted key path", "[hash_algorithms]\n\"sha1\\n\" = 1\n", `p.toml: hash_algorithms."sha1\n": unknown key; expected one of: ` + hashKeys + " (or a name listed in hash_algorithms.ignore_invalid)"},
		{"known name in ignore_invalid is still checked", "[hash_algorithms]\nignore_invalid = \"sha3-256\"\nsha3-256 = 5\n", "p.toml: hash_algorithms.sha3-256: " + badCutoff + "5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse("p.toml", []byte(c.in))
			if err == nil {
				t.Fatalf("Parse succeeded, want %q", c.want)
			}
			if p != nil {
				t.Errorf("Parse returned a policy with an error")
			}
			if err.Error() != c.want {
				t.Fatalf("error\n got %q\nwant %q", err, c.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "p.toml" {
				t.Fatalf("error is not a *ParseError naming the file: %#v", err)
			}
			if strings.HasPrefix(pe.Msg, "invalid TOML: ") && pe.Err != nil {
				var de *toml.DecodeError
				if !errors.As(err, &de) {
					t.Errorf("TOML error does not wrap a *toml.DecodeError")
				}
			}
			if Check("p.toml", []byte(c.in)) == nil {
				t.Errorf("Check accepted it")
			}
		})
	}
}

func mustParse(t *testing.T, in string) *Policy {
	t.Helper()
	p, err := Parse("p.toml", []byte(in))
	if err != nil {
		t.Fatalf("Parse(%q): %v", in, err)
	}
	return p
}

func cutoffString(c *time.Time) string {
	return strings.Trim(formatCutoff(c), `"`)
}

func TestParseValid(t *testing.T) {
	cases := []struct {
		name, in string
		check    map[string]string // "what" -> expected cutoff
	}{
		{"empty file", "", map[string]string{"hash CR sha1": "2013-02-01", "packet signature v3": "always", "packet signature v5": "never"}},
		{"comments only", "# nothing\n\n", map[string]string{"hash SPR sha1": "2023-02-01"}},
		{"scalar hash sets both", "[hash_algorithms]\nsha1 = \"always\"\n", map[string]string{"hash CR sha1": "always", "hash SPR sha1": "always"}},
		{"one property keeps the other", "[hash_algorithms]\nsha1.collision_resistance = \"never\"\n", map[string]string{"hash CR sha1": "never", "hash SPR sha1": "2023-02-01"}},
		{"key dd sets both then property", "[hash_algorithms]\nsha1.second_preimage_resistance = 2030-01-01\nsha1.default_disposition = \"never\"\n", map[string]string{"hash CR sha1": "never", "hash SPR sha1": "2030-01-01"}},
		{"sub-table header", "[hash_algorithms.sha512]\ncollision_resistance = 2050-01-01\n", map[string]string{"hash CR sha512": "2050-01-01", "hash SPR sha512": "always"}},
		{"dotted from top", "hash_algorithms.sha512.collision_resistance = \"2050-01-01\"\n", map[string]string{"hash CR sha512": "2050-01-01"}},
		{"inline table", "[hash_algorithms]\nsha1 = { collision_resistance = \"never\", second_preimage_resistance = \"always\" }\n", map[string]string{"hash CR sha1": "never", "hash SPR sha1": "always"}},
		{"section dd last", "[hash_algorithms]\nsha512.collision_resistance = 2050-01-01\ndefault_disposition = \"never\"\n", map[string]string{"hash CR sha512": "2050-01-01", "hash SPR sha512": "never", "hash CR sha256": "never"}},
		{"section dd first", "[asymmetric_algorithms]\ndefault_disposition = \"never\"\nrsa1024 = \"always\"\n", map[string]string{"asymmetric rsa1024": "always", "asymmetric rsa4096": "never", "asymmetric eddsa": "never", "asymmetric slhdsa256s": "never"}},
		{"symmetric", "[symmetric_algorithms]\ncast5 = \"always\"\naes128 = \"2040-01-01\"\naes256.default_disposition = 2050-01-01\n", map[string]string{"symmetric cast5": "always", "symmetric aes128": "2040-01-01", "symmetric aes256": "2050-01-01"}},
		{"aead dd", "[aead_algorithms]\nocb.default_disposition = \"always\"\ndefault_disposition = \"never\"\n", map[string]string{"aead ocb": "always", "aead eax": "never", "aead gcm": "never"}},
		{"newer asymmetric names", "[asymmetric_algorithms]\neddsa = \"never\"\nmlkem768-x25519 = \"never\"\nslhdsa128f = 2030-01-01\n", map[string]string{"asymmetric eddsa": "never", "asymmetric mlkem768-x25519": "never", "asymmetric slhdsa128f": "2030-01-01", "asymmetric ed25519": "always"}},

		// Packets.
		{"scalar packet clears versions", "[packets]\nsignature = 2030-01-01\n", map[string]string{"packet signature v3": "2030-01-01", "packet signature v4": "2030-01-01", "packet signature v5": "2030-01-01", "packet signature v0": "2030-01-01"}},
		{"key dd clears versions too", "[packets]\nsignature.default_disposition = \"always\"\n", map[string]string{"packet signature v5": "always", "packet signature v3": "always"}},
		{"per-version keeps others", "[packets]\nsignature.v4 = 2030-01-01\n", map[string]string{"packet signature v3": "always", "packet signature v4": "2030-01-01", "packet signature v5": "never", "packet signature v6": "always"}},
		{"dd then lower version", "[packets]\nsignature.v3 = 2010-01-01\nsignature.default_disposition = 2030-01-01\n", map[string]string{"packet signature v3": "2010-01-01", "packet signature v4": "2030-01-01", "packet signature v5": "2030-01-01"}},
		{"dd then higher version", "[packets]\nsignature.default_disposition = 2030-01-01\nsignature.v3 = 2040-01-01\n", map[string]string{"packet signature v3": "2040-01-01", "packet signature v4": "2030-01-01"}},
		{"ignored unknown version", "[packets]\nsignature.v3 = 2010-01-01\nsignature.v9 = 2010-01-01\nsignature.ignore_invalid = \"v9\"\nsignature.v4 = 2030-01-01\n", map[string]string{"packet signature v3": "2010-01-01", "packet signature v4": "2030-01-01", "packet signature v9": "always"}},
		{"section dd clears every version", "[packets]\nseip = \"always\"\ndefault_disposition = \"never\"\n", map[string]string{"packet seip v1": "always", "packet seip v2": "always", "packet signature v3": "never", "packet signature v4": "never", "packet sed v0": "never"}},
		{"section dd then version", "[packets]\ndefault_disposition = \"never\"\nsignature.v4 = \"always\"\n", map[string]string{"packet signature v4": "always", "packet signature v3": "never"}},
		{"unversioned packet", "[packets]\nsed = \"always\"\naed.v1 = \"always\"\n", map[string]string{"packet sed v0": "always", "packet aed v1": "always", "packet aed v0": "never"}},

		// ignore_invalid.
		{"ignored section", "ignore_invalid = \"x\"\n[hash_algorithms]\nsha1 = \"always\"\n[x]\nblah = 1\n", map[string]string{"hash CR sha1": "always"}},
		{"ignored sections array", "ignore_invalid = [ \"x\", \"y\" ]\n[x]\nblah = 1\n[y]\nblah = 1\n", nil},
		{"ignored key, value unchecked", "[hash_algorithms]\nignore_invalid = \"SHA99\"\nsha1 = \"always\"\nSHA99 = { whatever = [1, 2] }\n", map[string]string{"hash CR sha1": "always"}},
		{"ignored sub-key", "[symmetric_algorithms]\naes256.foo = \"2040-01-01\"\naes256.ignore_invalid = \"foo\"\n", map[string]string{"symmetric aes256": "always"}},
		{"ignored sub-key with dd", "[symmetric_algorithms]\naes256.foo = 1\naes256.default_disposition = \"2050-01-01\"\naes256.ignore_invalid = \"foo\"\n", map[string]string{"symmetric aes256": "2050-01-01"}},
		{"known name in ignore_invalid is applied", "[hash_algorithms]\nignore_invalid = [\"sha3-256\", \"sha3-512\"]\nsha3-256 = \"never\"\n", map[string]string{"hash CR sha3-256": "never", "hash SPR sha3-256": "never"}},
		{"empty ignore_invalid array", "[hash_algorithms]\nignore_invalid = []\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := mustParse(t, c.in)
			for what, want := range c.check {
				if got := lookupWhat(t, p, what); got != want {
					t.Errorf("%s = %s, want %s", what, got, want)
				}
			}
		})
	}
}

// lookupWhat reads "hash CR sha1", "asymmetric rsa1024", "packet signature v3".
func lookupWhat(t *testing.T, p *Policy, what string) string {
	t.Helper()
	f := strings.Fields(what)
	switch f[0] {
	case "hash":
		if f[1] == "CR" {
			return cutoffString(effective(p.HashCR, f[2]))
		}
		return cutoffString(effective(p.HashSPR, f[2]))
	case "asymmetric":
		return cutoffString(effective(p.Asymmetric, f[1]))
	case "symmetric":
		return cutoffString(effective(p.Symmetric, f[1]))
	case "aead":
		return cutoffString(effective(p.AEAD, f[1]))
	case "packet":
		var v int
		if _, err := fmt.Sscanf(f[2], "v%d", &v); err != nil {
			t.Fatal(err)
		}
		return cutoffString(p.packetCutoff(f[1], v))
	}
	t.Fatalf("bad what %q", what)
	return ""
}

func TestScalarPacketClearsBuiltinVersions(t *testing.T) {
	p := mustParse(t, "[packets]\nsignature = 2030-01-01\n")
	if _, ok := p.PacketVersions["signature"]; ok {
		t.Errorf("PacketVersions[signature] = %v, want it removed", p.PacketVersions["signature"])
	}
	at := time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := p.CheckPacket("signature", 5, at); err != nil {
		t.Errorf("v5 signature rejected in 2029: %v", err)
	}
	if err := p.CheckPacket("signature", 3, at.AddDate(2, 0, 0)); err == nil {
		t.Errorf("v3 signature accepted in 2031")
	}
}

func TestParseDoesNotTouchDefaults(t *testing.T) {
	before := Format(Default())
	_, _ = Parse("p.toml", []byte("[hash_algorithms]\ndefault_disposition = \"never\"\n[packets]\nsed = 1\n"))
	_ = mustParse(t, "[packets]\ndefault_disposition = \"never\"\n")
	if after := Format(Default()); after != before {
		t.Errorf("Default() changed after Parse")
	}
}

// TestCutoffForms covers every way of writing a cutoff, and clamping.
func TestCutoffForms(t *testing.T) {
	cases := []struct {
		value string // TOML value text
		want  string // "always", "never", or RFC 3339 UTC
	}{
		{`"always"`, "always"},
		{`"never"`, "never"},
		{`2010-01-01T00:00:00Z`, "2010-01-01T00:00:00Z"},
		{`2010-01-01T00:00:00+02:00`, "2009-12-31T22:00:00Z"},
		{`2010-01-01 12:00:00-01:30`, "2010-01-01T13:30:00Z"},
		{`2010-01-01T00:00:00.999Z`, "2010-01-01T00:00:00Z"},
		{`"2010-01-01T00:00:00Z"`, "2010-01-01T00:00:00Z"},
		{`"2010-01-01t00:00:00z"`, "2010-01-01T00:00:00Z"},
		{`"2010-01-01 00:00:00+02:00"`, "2009-12-31T22:00:00Z"},
		{`"2010-01-01T00:00:00` + "\u2212" + `01:00"`, "2010-01-01T01:00:00Z"},
		{`"2010-01-01T00:00:00.123456789123Z"`, "2010-01-01T00:00:00Z"},
		{`"2016-12-31T23:59:60Z"`, "2017-01-01T00:00:00Z"},
		{`2023-02-01`, "2023-02-01T00:00:00Z"},
		{`"2023-02-01"`, "2023-02-01T00:00:00Z"},
		{`"2023-2-1"`, "2023-02-01T00:00:00Z"},
		{`" 2023- 2- 1"`, "2023-02-01T00:00:00Z"},
		{`"+2023-02-01"`, "2023-02-01T00:00:00Z"},
		// Clamping.
		{`1970-01-01`, "never"},
		{`1969-12-31T23:59:59Z`, "never"},
		{`1900-01-01`, "never"},
		{`"-0001-01-01"`, "never"},
		{`"1970-01-01T00:00:01Z"`, "1970-01-01T00:00:01Z"},
		{`2106-02-07T06:28:15Z`, "2106-02-07T06:28:15Z"},
		{`2106-02-07T06:28:15.9Z`, "2106-02-07T06:28:15Z"},
		{`2106-02-07T06:28:16Z`, "always"},
		{`2106-02-08`, "always"},
		{`9999-12-31`, "always"},
		{`"+20000-01-01"`, "always"},
		{`"2105-01-01"`, "2105-01-01T00:00:00Z"},
	}
	for _, c := range cases {
		in := "[symmetric_algorithms]\naes128 = " + c.value + "\n"
		p, err := Parse("p.toml", []byte(in))
		if err != nil {
			t.Errorf("%s: %v", c.value, err)
			continue
		}
		got := "always"
		if cut := p.Symmetric["aes128"]; cut != nil {
			if cut.Unix() == 0 {
				got = "never"
			} else {
				got = cut.UTC().Format(time.RFC3339)
			}
			if cut.Location() != time.UTC || cut.Nanosecond() != 0 {
				t.Errorf("%s: cutoff %v is not whole-second UTC", c.value, cut)
			}
		}
		if got != c.want {
			t.Errorf("%s: got %s, want %s", c.value, got, c.want)
		}
	}
	for _, bad := range []string{
		"", "Always", "2023-02-30", "2023-13-01", "2023-00-01", "2023-02-01T24:00:00Z",
		"2023-02-01T00:60:00Z", "2023-02-01T00:00:61Z", "2023-02-01T00:00:00+24:00",
		"2023-02-01T00:00:00+01:60", "2023-02-01T00:00:00+0100", "2023-02-01T00:00:00",
		"2023-02-01T00:00Z", "2023-02-01T00:00:00.Z", "2023-02-01X00:00:00Z", "23-02-01T00:00:00Z",
		"2023/02/01", "20230201", "2023-02-01 ", "2023-02-001", "12023-02-01", "+262144-01-01",
		"2023-02-01T00:00:00 Z", "-", "+", "2023-", "2023-02-",
	} {
		if c, ok := ParseCutoff(bad); ok {
			t.Errorf("ParseCutoff(%q) = %v, want an error", bad, c)
		}
	}
}

func TestParseErrorFields(t *testing.T) {
	_, err := Parse("/etc/x.config", []byte("[packets]\nsignature.v3 = 1\n"))
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("%T", err)
	}
	if pe.File != "/etc/x.config" || pe.Path != "packets.signature.v3" || pe.Line != 0 {
		t.Errorf("fields: %+v", pe)
	}
	_, err = Parse("f", []byte("a = \n"))
	if !errors.As(err, &pe) || pe.Line != 1 || pe.Column == 0 || pe.Err == nil || errors.Unwrap(err) != pe.Err {
		t.Errorf("TOML error fields: %+v", pe)
	}
}
