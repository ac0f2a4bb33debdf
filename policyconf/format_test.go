package policyconf

import (
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

func roundTrip(t *testing.T, p *Policy) {
	t.Helper()
	out := Format(p)
	q, err := Parse("formatted", []byte(out))
	if err != nil {
		t.Fatalf("Parse(Format(p)): %v\n%s", err, out)
	}
	if d := policyDiff(q, orDefault(p)); len(d) > 0 {
		t.Fatalf("round trip differs:\n  %s\n%s", strings.Join(d, "\n  "), out)
	}
	if !q.Equal(p) || !p.Equal(q) {
		t.Fatalf("Equal disagrees with policyDiff")
	}
	// Formatting is stable.
	if again := Format(q); stripHeader(again) != stripHeader(out) {
		t.Fatalf("Format not stable:\n%s\n---\n%s", out, again)
	}
}

func stripHeader(s string) string {
	_, rest, _ := strings.Cut(s, "\n")
	return rest
}

func TestFormatDefault(t *testing.T) {
	out := Format(nil)
	for _, want := range []string{
		"# Effective crypto policy: built-in defaults\n",
		"\n[hash_algorithms]\nmd5.second_preimage_resistance = 2004-02-01\nmd5.collision_resistance = 1997-02-01\n",
		"ripemd160 = 2013-02-01\nsha256 = \"always\"\n",
		"\n[symmetric_algorithms]\nidea = 2025-02-01\ntripledes = 2017-02-01\n",
		"\n[asymmetric_algorithms]\n",
		`ignore_invalid = ["eddsa", "mlkem768-x25519", "mlkem1024-x448", "mldsa65-ed25519", "mldsa87-ed448", "slhdsa128s", "slhdsa128f", "slhdsa256s"]`,
		"dsa2048 = 2030-02-01\n",
		"\n[aead_algorithms]\neax = \"always\"\n",
		"\n[packets]\npkesk = \"always\"\nsignature.default_disposition = \"always\"\nsignature.v3 = \"always\"\nsignature.v5 = \"never\"\nskesk = \"always\"\n",
		"sed = 2004-02-01\n", "aed = \"never\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Format(Default()) lacks %q:\n%s", want, out)
		}
	}
	roundTrip(t, nil)
	roundTrip(t, Default())
}

func TestFormatValues(t *testing.T) {
	p := Default()
	tm := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	p.Symmetric["aes128"] = &tm
	p.Asymmetric["rsa2048"] = date(2031, 1, 2)
	delete(p.AEAD, "ocb") // a missing name is rejected: written as never
	p.Source = "/etc/x\nevil"
	out := Format(p)
	for _, want := range []string{"aes128 = 2030-05-06T07:08:09Z\n", "rsa2048 = 2031-01-02\n", "ocb = \"never\"\n", "# Effective crypto policy read from \"/etc/x\\nevil\"\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("Format lacks %q:\n%s", want, out)
		}
	}
	roundTrip(t, p)
}

func TestFormatPackets(t *testing.T) {
	p := mustParse(t, "[packets]\nsignature.default_disposition = 2030-01-01\nsignature.v3 = 2010-01-01T12:00:00Z\nseip.v1 = \"never\"\n")
	out := Format(p)
	for _, want := range []string{
		"signature.default_disposition = 2030-01-01\nsignature.v3 = 2010-01-01T12:00:00Z\n",
		"seip.default_disposition = \"always\"\nseip.v1 = \"never\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Format lacks %q:\n%s", want, out)
		}
	}
	roundTrip(t, p)
	// A version the format cannot name is listed in ignore_invalid, as
	// --dump does (and so dropped when read back).
	p.PacketVersions["signature"][9] = date(2011, 1, 1)
	out = Format(p)
	if !strings.Contains(out, "signature.v9 = 2011-01-01\nsignature.ignore_invalid = [\"v9\"]\n") {
		t.Errorf("unknown version:\n%s", out)
	}
	if err := Check("f", []byte(out)); err != nil {
		t.Errorf("Format output with an unknown version does not parse: %v", err)
	}
}

// TestRoundTripRandom mutates the default policy at random (like the
// reference's quickcheck test) and checks that Format/Parse keep it.
func TestRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	cutoff := func() *time.Time {
		switch rng.Intn(3) {
		case 0:
			return nil
		case 1:
			return neverCutoff()
		}
		// Any second in 1970..2106, as OpenPGP timestamps.
		c := time.Unix(rng.Int63n(maxTimestamp)+1, 0).UTC()
		return &c
	}
	pick := func(names []string) string { return names[rng.Intn(len(names))] }
	for i := 0; i < 300; i++ {
		p := Default()
		for n := rng.Intn(40); n > 0; n-- {
			switch rng.Intn(6) {
			case 0:
				p.HashCR[pick(hashNames)] = cutoff()
			case 1:
				p.HashSPR[pick(hashNames)] = cutoff()
			case 2:
				p.Asymmetric[pick(asymmetricNames)] = cutoff()
			case 3:
				p.Symmetric[pick(symmetricNames)] = cutoff()
			case 4:
				p.AEAD[pick(aeadNames)] = cutoff()
			case 5:
				tag := pick(packetNames)
				if vs := packetVersions[tag]; len(vs) > 0 && rng.Intn(2) == 0 {
					if p.PacketVersions[tag] == nil {
						p.PacketVersions[tag] = map[int]*time.Time{}
					}
					p.PacketVersions[tag][vs[rng.Intn(len(vs))]] = cutoff()
				} else {
					p.Packets[tag] = cutoff()
					delete(p.PacketVersions, tag)
				}
			}
		}
		roundTrip(t, p)
	}
}

func TestEqualAndClone(t *testing.T) {
	a := Default()
	b := a.Clone()
	if !a.Equal(b) {
		t.Fatal("clone differs")
	}
	b.PacketVersions["signature"][3] = neverCutoff()
	if a.Equal(b) || a.PacketVersions["signature"][3] != nil {
		t.Fatal("clone shares maps, or Equal misses a packet version")
	}
	c := Default()
	*c.HashCR["md5"] = c.HashCR["md5"].Add(time.Second) // Default() returns fresh times
	if c.Equal(Default()) || Default().HashCR["md5"].Equal(*c.HashCR["md5"]) {
		t.Fatal("Equal misses a changed cutoff, or Default shares times")
	}
	// A missing name equals an explicit "never".
	d, e := Default(), Default()
	delete(d.Asymmetric, "eddsa")
	e.Asymmetric["eddsa"] = neverCutoff()
	if !d.Equal(e) {
		t.Fatal("missing name should equal never")
	}
	// Sub-second differences vanish at timestamp precision.
	f := Default()
	x := f.HashCR["md5"].Add(500 * time.Millisecond)
	f.HashCR["md5"] = &x
	if !f.Equal(Default()) {
		t.Fatal("sub-second difference counted")
	}
	var nilp *Policy
	if !nilp.Equal(Default()) || !nilp.Clone().Equal(nil) {
		t.Fatal("nil policy is not the default")
	}
}

// FuzzParse checks that Parse never panics, that every error is a
// *ParseError naming the file, and that every accepted file survives a
// Format/Parse round trip.
func FuzzParse(f *testing.F) {
	if dir, ok := policiesDirNoSkip(); ok {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if data, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && !e.IsDir() {
				f.Add(data)
			}
		}
	}
	for _, s := range []string{
		"", "[hash_algorithms]\nsha1 = \"never\"\n", "[packets]\nsignature = 2030-01-01\nsignature.v3 = 1",
		"[packets]\nsignature.default_disposition = 2030-01-01\nsignature.v3 = 2010-01-01T00:00:00+02:00\n",
		"ignore_invalid = [\"x\"]\n[x]\ny = 1\n", "[asymmetric_algorithms]\ndefault_disposition = \"never\"\neddsa = 2106-02-07T06:28:16Z\n",
		"[symmetric_algorithms]\naes128 = \"+99999-1-1\"\n", "[aead_algorithms]\neax = 1979-05-27T07:32:00\n",
		Format(Default()),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.toml", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "fuzz.toml: ") || p != nil {
				t.Fatalf("bad error %T %v (policy %v)", err, err, p)
			}
			return
		}
		out := Format(p)
		q, err := Parse("formatted", []byte(out))
		if err != nil {
			t.Fatalf("Parse(Format(p)): %v\n%s", err, out)
		}
		if !q.Equal(p) {
			t.Fatalf("round trip differs:\n  %s", strings.Join(policyDiff(q, p), "\n  "))
		}
	})
}

// policiesDirNoSkip is testutil.PoliciesDir without the skip (fuzz seeds
// are optional).
func policiesDirNoSkip() (string, bool) {
	dir := os.Getenv("RPMPGP_POLICIES")
	if dir == "" {
		dir = filepath.Join(testutil.RepoRoot(), "..", "shared", "policies")
	}
	st, err := os.Stat(dir)
	return dir, err == nil && st.IsDir()
}
