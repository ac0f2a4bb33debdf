package rpm

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/casefile"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// onlyReader hides every method but Read (no Seek, no WriteTo): a pipe.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func corpusRPMs(t *testing.T) (string, []string) {
	t.Helper()
	dir := filepath.Join(testutil.Corpus(t), "rpm-testsuite")
	var files []string
	for _, sub := range []string{"RPMS", "derived"} {
		m, err := filepath.Glob(filepath.Join(dir, sub, "*.rpm"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d corpus packages under %s", len(files), dir)
	}
	return dir, files
}

// unreadableCases returns the inputs of the package cases whose rpm 4.18
// observation is "unreadable" in cases.tsv.
func unreadableCases(t *testing.T, dir string) map[string]bool {
	t.Helper()
	cases, err := casefile.ReadFile(filepath.Join(dir, "cases.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, c := range cases {
		if c.Kind == casefile.KindPackage && strings.HasPrefix(c.Observed418, "unreadable") {
			out[c.Inputs[0]] = true
		}
	}
	return out
}

// TestCorpusPackages: every corpus package parses, except the ones rpm 4.18
// cannot read, which fail with rpm's exact message.
func TestCorpusPackages(t *testing.T) {
	dir, files := corpusRPMs(t)
	unreadable := unreadableCases(t, dir)
	wantErr := map[string]string{
		"derived/hello-2.0-1.x86_64.zero@4750x4-hdrindex.rpm": "tag[13]: BAD, tag 1028 type 0 offset 116 count 5 len 7",
	}
	if len(unreadable) != 1 || !unreadable["derived/hello-2.0-1.x86_64.zero@4750x4-hdrindex.rpm"] {
		t.Fatalf("cases.tsv unreadable cases = %v, want exactly the hdrindex one", unreadable)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		t.Run(rel, func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r := bytes.NewReader(b)
			p, err := Read(onlyReader{r})
			if want, bad := wantErr[rel]; bad {
				if err == nil || err.Error() != want {
					t.Fatalf("Read error = %v, want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if got := int64(len(b)) - int64(r.Len()); got != p.PayloadOffset {
				t.Errorf("consumed %d bytes, PayloadOffset %d", got, p.PayloadOffset)
			}
			if !bytes.Equal(p.HeaderBlob, b[p.HeaderOffset:p.PayloadOffset]) {
				t.Errorf("HeaderBlob is not file[%d:%d]", p.HeaderOffset, p.PayloadOffset)
			}
			if !bytes.Equal(p.SignatureBlob, b[LeadSize:LeadSize+len(p.SignatureBlob)]) {
				t.Errorf("SignatureBlob is not the file bytes")
			}
			name, err := mustGet(t, p.Header, TagName).String()
			if err != nil || !strings.HasPrefix(p.Lead.Name, name+"-") {
				t.Errorf("NAME %q (%v) does not match lead name %q", name, err, p.Lead.Name)
			}
			if p.Signature.RegionTag != TagHeaderSignatures || p.Header.RegionTag != TagHeaderImmutable {
				t.Errorf("region tags %d/%d", p.Signature.RegionTag, p.Header.RegionTag)
			}
		})
	}
}

func mustGet(t *testing.T, h *Header, tag Tag) *Entry {
	t.Helper()
	e, ok := h.Get(tag)
	if !ok {
		t.Fatalf("tag %d missing", tag)
	}
	return e
}

// TestCorpusDigests checks the offsets and blobs against the digests rpm
// stored in the packages: SHA-1/SHA-256 of HeaderBlob (sig tags 269/273),
// MD5 of header+payload (1004), SIZE (1000) and the payload SHA-256 (5092).
// Independent of this parser's arithmetic: a one-byte shift breaks all.
func TestCorpusDigests(t *testing.T) {
	dir := filepath.Join(testutil.Corpus(t), "rpm-testsuite")
	for _, rel := range []string{
		"RPMS/hello-2.0-1.x86_64.rpm",
		"RPMS/hello-2.0-1.x86_64-signed.rpm",
		"RPMS/hello-2.0-1.x86_64-v3-signed.rpm",
		"RPMS/hello-2.0-1.x86_64-signed-mldsa87.rpm",
		"RPMS/hello-2.0-1.i686.rpm",
		"RPMS/hello-1.0-1.i386.rpm",
		"RPMS/hlinktest-1.0-1.noarch.rpm",
		"RPMS/hlinktest-1.0-1.noarch-v3sig.rpm",
		"derived/hello-c.rpm",
	} {
		t.Run(rel, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, rel))
			if err != nil {
				t.Fatal(err)
			}
			p, err := Read(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			if e, ok := p.Signature.Get(SigTagSHA256); ok {
				want, err := e.String()
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(p.HeaderBlob)
				if hex.EncodeToString(sum[:]) != want {
					t.Errorf("SHA256(HeaderBlob) = %x, sig tag 273 = %s", sum, want)
				}
				checked++
			}
			if e, ok := p.Signature.Get(SigTagSHA1); ok {
				want, _ := e.String()
				sum := sha1.Sum(p.HeaderBlob)
				if hex.EncodeToString(sum[:]) != want {
					t.Errorf("SHA1(HeaderBlob) = %x, sig tag 269 = %s", sum, want)
				}
				checked++
			}
			if e, ok := p.Signature.Get(SigTagMD5); ok && !p.IsV6() {
				want, _ := e.Bin()
				sum := md5.Sum(b[p.HeaderOffset:])
				if !bytes.Equal(sum[:], want) {
					t.Errorf("MD5(header+payload) = %x, sig tag 1004 = %x", sum, want)
				}
				checked++
			}
			if e, ok := p.Signature.Get(SigTagSize); ok {
				v, err := e.Uint32s()
				if err != nil || len(v) != 1 || int64(v[0]) != int64(len(b))-p.HeaderOffset {
					t.Errorf("SIZE = %v (%v), header+payload = %d", v, err, int64(len(b))-p.HeaderOffset)
				}
				checked++
			}
			if e, ok := p.Header.Get(TagPayloadSHA256); ok {
				v, err := e.StringArray()
				if err != nil || len(v) != 1 {
					t.Fatalf("PAYLOADSHA256 = %v, %v", v, err)
				}
				sum := sha256.Sum256(b[p.PayloadOffset:])
				if hex.EncodeToString(sum[:]) != v[0] {
					t.Errorf("SHA256(payload) = %x, tag 5092 = %s", sum, v[0])
				}
				checked++
			}
			if checked < 2 {
				t.Errorf("only %d independent checks ran", checked)
			}
		})
	}
}

// TestKnownLayout pins the offsets of one package (computed by hand from the
// file: sig header il 7 dl 4276, padded to 4504; main header il 57 dl 1728).
func TestKnownLayout(t *testing.T) {
	f := filepath.Join(testutil.Corpus(t), "rpm-testsuite", "RPMS", "hello-2.0-1.x86_64.rpm")
	fh, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	p, err := Read(bufio.NewReader(fh))
	if err != nil {
		t.Fatal(err)
	}
	if p.SignatureOffset != 96 || p.HeaderOffset != 4504 || p.PayloadOffset != 7160 {
		t.Errorf("offsets %d/%d/%d, want 96/4504/7160", p.SignatureOffset, p.HeaderOffset, p.PayloadOffset)
	}
	if p.Signature.IL != 7 || p.Signature.DL != 4276 || p.Header.IL != 57 || p.Header.DL != 1728 {
		t.Errorf("il/dl %d/%d %d/%d", p.Signature.IL, p.Signature.DL, p.Header.IL, p.Header.DL)
	}
	if len(p.Header.Entries) != 57 || p.Header.RIL != 57 || p.Header.RDL != 1728 {
		t.Errorf("entries %d ril %d rdl %d", len(p.Header.Entries), p.Header.RIL, p.Header.RDL)
	}
	want := Lead{Major: 3, Minor: 0, Type: 0, Arch: 1, Name: "hello-2.0-1", OS: 1, SigType: 5}
	if p.Lead != want {
		t.Errorf("lead %+v, want %+v", p.Lead, want)
	}
	algo, err := mustGet(t, p.Header, TagPayloadDigestAlgo).Uint32s()
	if err != nil || len(algo) != 1 || algo[0] != 8 {
		t.Errorf("PAYLOADDIGESTALGO = %v, %v; want [8]", algo, err)
	}
	arch, err := mustGet(t, p.Header, TagArch).String()
	if err != nil || arch != "x86_64" {
		t.Errorf("ARCH = %q, %v", arch, err)
	}
	if p.IsV6() {
		t.Error("IsV6 true for a v4 package")
	}
}

func TestV6Packages(t *testing.T) {
	dir := filepath.Join(testutil.Corpus(t), "rpm-testsuite", "RPMS")
	read := func(name string) *Package {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Read(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return p
	}
	v3sig := read("hlinktest-1.0-1.noarch-v3sig.rpm")
	if !v3sig.IsV6() {
		t.Error("hlinktest v3sig: IsV6 false, sig header has 999 and 279")
	}
	if _, ok := v3sig.Header.Get(TagPayloadSHA512); !ok {
		t.Error("hlinktest v3sig: no PAYLOADSHA512")
	}
	sha3, err := mustGet(t, v3sig.Signature, SigTagSHA3_256).String()
	if err != nil || len(sha3) != 64 {
		t.Errorf("SHA3-256 header digest %q, %v", sha3, err)
	}
	ml := read("hello-2.0-1.x86_64-signed-mldsa87.rpm")
	if ml.IsV6() {
		t.Error("mldsa87 package: IsV6 true, but it has no 999")
	}
	sigs, err := mustGet(t, ml.Signature, SigTagOpenPGP).StringArray()
	if err != nil || len(sigs) != 2 {
		t.Fatalf("OPENPGP = %d elements, %v; want 2", len(sigs), err)
	}
	for i, s := range sigs {
		if len(s) < 100 || strings.ContainsAny(s, " \n\x00") {
			t.Errorf("OPENPGP[%d] does not look like base64: %.40q", i, s)
		}
	}
	if _, err := mustGet(t, ml.Signature, SigTagOpenPGP).String(); err == nil {
		t.Error("String() accepted a string array")
	}
}

// TestSyntheticRoundTrip checks the parsed entries of a synthetic package
// field by field, and that r is left at the payload.
func TestSyntheticRoundTrip(t *testing.T) {
	l := defaultPackage()
	r := bytes.NewReader(l.b)
	p, err := Read(onlyReader{r})
	if err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(r)
	if !bytes.Equal(rest, testPayload) {
		t.Errorf("remaining %q, want the payload", rest)
	}
	if p.HeaderOffset != int64(l.main) || p.PayloadOffset != int64(len(l.b)-len(testPayload)) {
		t.Errorf("offsets %d %d", p.HeaderOffset, p.PayloadOffset)
	}
	wantTags := []Tag{63, 100, 1000, 1001, 1002, 1022, 1028, 5008, 5092, 5093}
	if len(p.Header.Entries) != len(wantTags) {
		t.Fatalf("%d entries", len(p.Header.Entries))
	}
	for i, tag := range wantTags {
		if p.Header.Entries[i].Tag != tag {
			t.Errorf("entry %d tag %d, want %d", i, p.Header.Entries[i].Tag, tag)
		}
	}
	fs, err := mustGet(t, p.Header, 1028).Uint32s()
	if err != nil || len(fs) != 2 || fs[0] != 10 || fs[1] != 20 {
		t.Errorf("FILESIZES %v %v", fs, err)
	}
	lf, err := mustGet(t, p.Header, 5008).Uint64s()
	if err != nil || len(lf) != 1 || lf[0] != 7 {
		t.Errorf("LONGFILESIZES %v %v", lf, err)
	}
	i18n, err := mustGet(t, p.Header, TagHeaderI18NTable).Strings()
	if err != nil || len(i18n) != 1 || i18n[0] != "C" {
		t.Errorf("I18NTABLE %v %v", i18n, err)
	}
	md5v, err := mustGet(t, p.Signature, SigTagMD5).Bin()
	if err != nil || !bytes.Equal(md5v, bytes.Repeat([]byte{0xaa}, 16)) {
		t.Errorf("MD5 %x %v", md5v, err)
	}
	region := mustGet(t, p.Header, TagHeaderImmutable)
	if trailer, err := region.Bin(); err != nil || binary.BigEndian.Uint32(trailer) != 63 || int32(binary.BigEndian.Uint32(trailer[8:])) != -160 {
		t.Errorf("region trailer %x %v", trailer, err)
	}
	// Accessors refuse other types.
	if _, err := mustGet(t, p.Header, 1028).Uint64s(); err == nil {
		t.Error("Uint64s on INT32 succeeded")
	}
	if _, err := mustGet(t, p.Header, TagName).Bin(); err == nil {
		t.Error("Bin on STRING succeeded")
	}
	if _, err := mustGet(t, p.Header, TagName).StringArray(); err == nil {
		t.Error("StringArray on STRING succeeded")
	}
	if _, err := mustGet(t, p.Header, TagPayloadDigestAlgo).Uint16s(); err == nil {
		t.Error("Uint16s on INT32 succeeded")
	}
	if _, ok := p.Header.Get(4242); ok {
		t.Error("Get found an absent tag")
	}
}

// TestAcceptedQuirks: inputs rpm 4.18 accepts (measured), so must we.
func TestAcceptedQuirks(t *testing.T) {
	cases := []struct {
		name  string
		build func() []byte
		check func(t *testing.T, p *Package)
	}{
		{"sig trailer HEADERIMAGE fix-up", mutate(func(l *layout) { l.put32(l.trailer(l.sig), 61) }), nil},
		{"sig region smaller than header", mutate(func(l *layout) { l.put32(l.trailer(l.sig)+8, neg(16*5)) }), func(t *testing.T, p *Package) {
			if p.Signature.RIL != 5 || p.Signature.IL != 6 {
				t.Errorf("ril %d il %d", p.Signature.RIL, p.Signature.IL)
			}
		}},
		{"sig header not type-checked", mutate(func(l *layout) { l.put32(l.sigEntry(3, 1), uint32(TypeBin)) }), nil},
		{"string class type mismatch", mutate(func(l *layout) { l.put32(l.mainEntry(2, 1), uint32(TypeI18NString)) }), nil},
		{"unknown tag any type", mutate(func(l *layout) { l.put32(l.mainEntry(6, 0), 4999); l.put32(l.mainEntry(6, 1), uint32(TypeInt16)) }), nil},
		{"unsorted and duplicate tags", mutate(func(l *layout) { l.put32(l.mainEntry(2, 0), 1001) }), func(t *testing.T, p *Package) {
			v, _ := mustGet(t, p.Header, TagVersion).String()
			if v != "test" {
				t.Errorf("Get(VERSION) = %q, want the first entry's %q", v, "test")
			}
		}},
		{"lead major 4, source type", mutate(func(l *layout) { l.b[4] = 4; l.b[7] = 1 }), func(t *testing.T, p *Package) {
			if p.Lead.Major != 4 || p.Lead.Type != 1 {
				t.Errorf("lead %+v", p.Lead)
			}
		}},
		{"main header without region", func() []byte {
			return mkPackage(TagHeaderSignatures, defaultSig(), 0, []item{str(TagName, "x"), item{TagVersion, TypeInt32, 1, []byte{0, 0, 0, 1}}}).b
		}, func(t *testing.T, p *Package) {
			if p.Header.RegionTag != 0 || len(p.Header.Entries) != 2 {
				t.Errorf("region %d entries %d", p.Header.RegionTag, len(p.Header.Entries))
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Read(bytes.NewReader(tc.build()))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if tc.check != nil {
				tc.check(t, p)
			}
		})
	}
}

// TestTruncateEveryOffset: every strict prefix of a package fails, with a
// FormatError, never a panic; the full package parses.
func TestTruncateEveryOffset(t *testing.T) {
	b := defaultPackage().b
	if dir, ok := testutil.CorpusDir(); ok {
		if cb, err := os.ReadFile(filepath.Join(dir, "rpm-testsuite", "RPMS", "hello-2.0-1.x86_64.rpm")); err == nil {
			b = cb
		}
	}
	p, err := Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < int(p.PayloadOffset); n++ {
		_, err := Read(bytes.NewReader(b[:n]))
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Fatalf("prefix %d: error %v, want a FormatError", n, err)
		}
		if n < LeadSize != fe.NotRPM {
			t.Fatalf("prefix %d: NotRPM %v (%q)", n, fe.NotRPM, fe.Msg)
		}
	}
	for n := int(p.PayloadOffset); n <= len(b); n++ {
		if _, err := Read(bytes.NewReader(b[:n])); err != nil {
			t.Fatalf("prefix %d (payload only cut): %v", n, err)
		}
	}
}

// checkInvariants asserts that a successfully parsed package is internally
// consistent: every entry's data inside its store and matching its count.
func checkInvariants(t testing.TB, b []byte, p *Package) {
	t.Helper()
	for _, h := range []*Header{p.Signature, p.Header} {
		if int64(len(h.Store)) != int64(h.DL) || int64(len(h.Raw)) != 16+16*int64(h.IL)+int64(h.DL) {
			t.Fatalf("header sizes raw %d store %d il %d dl %d", len(h.Raw), len(h.Store), h.IL, h.DL)
		}
		if len(h.Entries) != int(h.IL) {
			t.Fatalf("%d entries, il %d", len(h.Entries), h.IL)
		}
		for i, e := range h.Entries {
			if h.RegionTag != 0 && i == 0 {
				if len(e.Data) != 16 {
					t.Fatalf("region entry data %d bytes", len(e.Data))
				}
				continue
			}
			if int64(e.Offset)+int64(len(e.Data)) > int64(h.DL) || len(e.Data) == 0 {
				t.Fatalf("entry %d: offset %d len %d dl %d", i, e.Offset, len(e.Data), h.DL)
			}
			if !bytes.Equal(e.Data, h.Store[e.Offset:int(e.Offset)+len(e.Data)]) {
				t.Fatalf("entry %d data not at its offset", i)
			}
			if sz := typeSizes[e.Type]; sz > 0 && int64(len(e.Data)) != sz*int64(e.Count) {
				t.Fatalf("entry %d: %v count %d len %d", i, e.Type, e.Count, len(e.Data))
			}
			if isStringClass(e.Type) {
				if _, err := e.Strings(); err != nil {
					t.Fatalf("entry %d: %v", i, err)
				}
			}
		}
	}
	if p.PayloadOffset > int64(len(b)) || !bytes.Equal(p.HeaderBlob, b[p.HeaderOffset:p.PayloadOffset]) {
		t.Fatalf("HeaderBlob not at %d..%d", p.HeaderOffset, p.PayloadOffset)
	}
}

// TestRandomCorruption: thousands of deterministic corruptions of header
// bytes never panic, and a successful parse is always consistent.
func TestRandomCorruption(t *testing.T) {
	bases := [][]byte{defaultPackage().b}
	if dir, ok := testutil.CorpusDir(); ok {
		for _, n := range []string{"hello-2.0-1.x86_64.rpm", "hello-2.0-1.x86_64-signed-mldsa87.rpm", "hlinktest-1.0-1.noarch-v3sig.rpm"} {
			if cb, err := os.ReadFile(filepath.Join(dir, "rpm-testsuite", "RPMS", n)); err == nil {
				bases = append(bases, cb)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var ok, failed int
	for i := 0; i < 4000; i++ {
		base := bases[i%len(bases)]
		p0, err := Read(bytes.NewReader(base))
		if err != nil {
			t.Fatal(err)
		}
		b := bytes.Clone(base[:p0.PayloadOffset])
		for range 1 + rng.IntN(4) {
			pos := LeadSize + rng.IntN(int(p0.PayloadOffset)-LeadSize)
			if rng.IntN(2) == 0 { // favour intros and index entries
				pos = LeadSize + rng.IntN(16+16*int(p0.Signature.IL))
				if rng.IntN(2) == 0 {
					pos = int(p0.HeaderOffset) + rng.IntN(16+16*int(p0.Header.IL))
				}
			}
			switch rng.IntN(4) {
			case 0:
				b[pos] = 0
			case 1:
				b[pos] = 0xff
			case 2:
				b[pos] ^= 1 << rng.IntN(8)
			default:
				b[pos] = byte(rng.IntN(256))
			}
		}
		p, err := Read(bytes.NewReader(b))
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Msg == "" {
				t.Fatalf("mutation %d: error %v is not a FormatError with a message", i, err)
			}
			failed++
			continue
		}
		ok++
		checkInvariants(t, b, p)
	}
	if ok < 100 || failed < 1000 {
		t.Errorf("weak mutation mix: %d parsed, %d failed", ok, failed)
	}
}

// TestHugeLengthsFailFast: a header claiming the maximum il/dl with a short
// body fails after reading what is there, without a large allocation.
func TestHugeLengthsFailFast(t *testing.T) {
	cases := []struct {
		name string
		hdr  func(l *layout) int
		il   uint32
		dl   uint32
		want string
	}{
		{"main max", func(l *layout) int { return l.main }, 0xffff, 0x0fffffff, "hdr blob(269484015): BAD, read returned 0"},
		{"sig max", func(l *layout) int { return l.sig }, 32, 64 << 20, "signature hdr blob(67109376): BAD, read returned 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := defaultPackage()
			h := tc.hdr(l)
			l.put32(h+8, tc.il)
			l.put32(h+12, tc.dl)
			var err error
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for range 10 {
				_, err = Read(onlyReader{bytes.NewReader(l.b)})
			}
			runtime.ReadMemStats(&after)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if perRun := (after.TotalAlloc - before.TotalAlloc) / 10; perRun > 256<<10 {
				t.Errorf("allocated %d bytes per Read of a %d-byte input", perRun, len(l.b))
			}
		})
	}
}

// TestOversizedBlobDiscarded: a main header whose blob reaches
// headerMaxbytes is read (rpm reads it before hdrblobInit rejects it) but
// not kept.
func TestOversizedBlobDiscarded(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 257 MiB")
	}
	l := defaultPackage()
	l.put32(l.main+8, 0xffff)
	l.put32(l.main+12, 0x0fffffff)
	body := io.LimitReader(zeroReader{}, 16*0xffff+0x0fffffff)
	r := io.MultiReader(bytes.NewReader(l.b[:l.main+16]), body)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Read(r)
	runtime.ReadMemStats(&after)
	const want = "blob size(269484023): BAD, 8 + 16 * il(65535) + dl(268435455)"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > 4<<20 {
		t.Errorf("allocated %d bytes", a)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// errReader fails with a non-EOF error after n bytes.
type errReader struct {
	b []byte
	n int
}

var errBoom = errors.New("boom")

func (e *errReader) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, errBoom
	}
	k := copy(p, e.b[:min(len(e.b), e.n)])
	e.b, e.n = e.b[k:], e.n-k
	return k, nil
}

func TestIOErrors(t *testing.T) {
	l := defaultPackage()
	for _, tc := range []struct {
		n    int
		want string
	}{
		{10, "read failed: boom"},
		{LeadSize + 3, "signature hdr size(16): BAD, read returned -1"},
		{LeadSize + 20, "signature hdr blob(244): BAD, read returned -1"},
		{l.main - 2, "signature sigh pad(4): BAD, read -1 bytes"},
		{l.main + 20, "hdr blob(228): BAD, read returned -1"},
	} {
		_, err := Read(&errReader{b: l.b, n: tc.n})
		if err == nil || err.Error() != tc.want || !errors.Is(err, errBoom) {
			t.Errorf("after %d bytes: error %v, want %q wrapping the I/O error", tc.n, err, tc.want)
		}
	}
}
