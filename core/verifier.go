package core

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/rpmpgp/rpmpgp/core/rpm"
)

// Level is rpm's %_pkgverify_level as a bitmask of item types that must
// positively cover both the header and the payload.
type Level int

// Verify levels (rpmvs.hh RPMSIG_*_TYPE bits).
const (
	LevelNone      Level = 0
	LevelDigest    Level = Level(TypeDigest)
	LevelSignature Level = Level(TypeSignature)
	LevelAll       Level = LevelDigest | LevelSignature
)

// ParseLevel maps rpm's level names (none, digest, signature, all).
func ParseLevel(s string) (Level, error) {
	switch s {
	case "none":
		return LevelNone, nil
	case "digest":
		return LevelDigest, nil
	case "signature":
		return LevelSignature, nil
	case "all":
		return LevelAll, nil
	}
	return 0, fmt.Errorf("invalid verify level %q (want none, digest, signature or all)", s)
}

// String returns rpm's name of the level.
func (l Level) String() string {
	switch l {
	case LevelNone:
		return "none"
	case LevelDigest:
		return "digest"
	case LevelSignature:
		return "signature"
	case LevelAll:
		return "all"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Config selects the flow and its knobs.
type Config struct {
	// Rules picks rpm 6's or rpm 4.18's flow.
	Rules Rules
	// Level is the verify level (%_pkgverify_level).
	Level Level
	// Flags disables items (%_pkgverify_flags plus --nodigest/--nosignature).
	Flags VSFlags
}

// StrictDefaults is rpm 6's default: level all, MD5 and SHA-1 header digests
// off (%_pkgverify_flags 0x20100).
func StrictDefaults() Config {
	return Config{Rules: Rules6, Level: LevelAll, Flags: VSFNoSHA1Header | VSFNoMD5}
}

// LegacyDefaults is rpm 4.18's default: level digest, every item on.
func LegacyDefaults() Config { return Config{Rules: Rules418, Level: LevelDigest} }

// Verifier runs rpm's package verification flow (lib/rpmvs.cc,
// lib/rpmchecksig.cc rpmpkgRead) with all crypto in one backend.
type Verifier struct {
	b   Backend
	kr  *Keyring
	cfg Config
}

// NewVerifier returns a verifier. The keyring is required (an empty one is
// fine): a nil keyring is an error, never a digest-only success.
func NewVerifier(b Backend, kr *Keyring, cfg Config) (*Verifier, error) {
	if b == nil {
		return nil, errors.New("rpmpgp: NewVerifier: nil backend")
	}
	if kr == nil {
		return nil, errors.New("rpmpgp: NewVerifier: nil keyring")
	}
	if cfg.Level < LevelNone || cfg.Level > LevelAll {
		return nil, fmt.Errorf("rpmpgp: NewVerifier: invalid level %d", cfg.Level)
	}
	return &Verifier{b: b, kr: kr, cfg: cfg}, nil
}

// Config returns the verifier's configuration.
func (v *Verifier) Config() Config { return v.cfg }

// Result is the outcome of verifying one package.
type Result struct {
	// Path is the file as given.
	Path string `json:"path"`
	// Items are the checks in rpm's print order; only Shown ones are printed.
	Items []*Item `json:"items"`
	// Failed is rpm's verdict for the package (it counts in the exit status).
	Failed bool `json:"failed"`
	// OpenFailed: the file could not be opened (rpm prints no "<file>:").
	OpenFailed bool `json:"open_failed,omitempty"`
	// ReadFailed: the package could not be read; Error has rpm's message
	// (possibly empty: rpm stays silent for non-packages).
	ReadFailed bool `json:"read_failed,omitempty"`
	// NotRPM: the input is not an RPM package at all (Error is empty).
	NotRPM bool   `json:"not_rpm,omitempty"`
	Error  string `json:"error,omitempty"`
	// Lints are warnings and errors logged while verifying, in order.
	Lints []Lint `json:"lints,omitempty"`
}

// Seen reports which item types were printed and which of those were not
// OK (for rpm's one-line "digests SIGNATURES NOT OK" form).
func (r *Result) Seen() (seen, bad ItemType) {
	for _, it := range r.Items {
		if !it.Shown {
			continue
		}
		seen |= it.Type
		if it.RC != RCOK {
			bad |= it.Type
		}
	}
	return seen, bad
}

// VerifyFile verifies the package at path. A package that cannot be opened or
// read is a failed Result, not an error; the error is for a backend that gave
// no verdict.
func (v *Verifier) VerifyFile(path string) (*Result, error) {
	out := make([]FileResult, 1)
	v.verifyBatch([]string{path}, []int{0}, out)
	return out[0].Result, out[0].Err
}

// FileResult is [Verifier.VerifyFiles]' answer for one path: a Result, or
// the error of a backend that gave no verdict.
type FileResult struct {
	Path   string
	Result *Result
	Err    error
}

// batchSize is the most packages a worker of VerifyFiles hands to a
// [PackageVerifier] at once: enough to spread a round trip's cost, few
// enough to keep every worker busy.
const batchSize = 16

// maxOpenPackages bounds the package files VerifyFiles holds open at once
// (batches of all workers), well below the usual limit of 1024 descriptors.
const maxOpenPackages = 256

// VerifyFiles verifies the packages at paths with jobs workers and returns
// the results in the order of paths. With a [PackageVerifier] backend the
// packages go over in batches, two per job in flight, so that the backend
// process has the next batch while the host takes the answers of the last
// one; otherwise each package is verified by [Verifier.Verify].
func (v *Verifier) VerifyFiles(paths []string, jobs int) []FileResult {
	out := make([]FileResult, len(paths))
	if len(paths) == 0 {
		return out
	}
	if _, ok := v.b.(PackageVerifier); ok {
		jobs *= 2
	}
	jobs = max(1, min(jobs, len(paths), maxOpenPackages))
	size := max(1, min(batchSize, (len(paths)+jobs-1)/jobs, maxOpenPackages/jobs))
	batches := make(chan []int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for b := range batches {
				v.verifyBatch(paths, b, out)
			}
		})
	}
	for start := 0; start < len(paths); start += size {
		b := make([]int, 0, size)
		for i := start; i < min(start+size, len(paths)); i++ {
			b = append(b, i)
		}
		batches <- b
	}
	close(batches)
	wg.Wait()
	return out
}

// verifyBatch verifies paths[i] for i in idx into out[i].
func (v *Verifier) verifyBatch(paths []string, idx []int, out []FileResult) {
	var files []*os.File
	var names []string
	var at []int
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for _, i := range idx {
		out[i].Path = paths[i]
		f, err := os.Open(paths[i])
		if err != nil {
			out[i].Result = &Result{Path: paths[i], Failed: true, OpenFailed: true, Error: "open failed: " + strerror(err)}
			continue
		}
		files, names, at = append(files, f), append(names, paths[i]), append(at, i)
	}
	if len(files) == 0 {
		return
	}
	if pv, ok := v.b.(PackageVerifier); ok {
		rs, err := pv.VerifyPackages(files, names, v.kr, v.cfg)
		if err == nil && len(rs) == len(files) {
			for j, r := range rs {
				out[at[j]].Result, out[at[j]].Err = r.Result, r.Err
				if r.Result == nil && r.Err == nil {
					out[at[j]].Err = fmt.Errorf("backend: no result for %s", names[j])
				}
			}
			return
		}
		if err == nil {
			err = fmt.Errorf("backend: %d results for %d packages", len(rs), len(files))
		}
		if !errors.Is(err, ErrNotSupported) {
			for _, i := range at {
				out[i].Err = err
			}
			return
		}
	}
	for j, f := range files {
		out[at[j]].Result, out[at[j]].Err = v.Verify(f, names[j])
	}
}

// strerror renders an OS error the way C's strerror does.
func strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	return err.Error()
}

// Verify verifies a package read from r (name is used for messages).
func (v *Verifier) Verify(r io.Reader, name string) (*Result, error) {
	res := &Result{Path: name}
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	defer func() {
		br.Reset(nil)
		readers.Put(br)
	}()
	pkg, err := rpm.Read(br)
	if err != nil {
		res.Failed, res.ReadFailed = true, true
		var fe *rpm.FormatError
		if errors.As(err, &fe) {
			res.Error = fe.Msg
			if fe.NotRPM {
				// rpmpkgRead drops the lead's message ("Avoid message
				// spew on manifests"): rpm prints no error line.
				res.Error, res.NotRPM = "", true
			}
		} else {
			res.Error = err.Error()
		}
		return res, nil
	}
	vs := &vstate{v: v, res: res, flags: v.cfg.Flags}
	defer vs.closeAll()
	if err := vs.init(pkg); err != nil {
		return nil, err
	}
	if err := vs.hashHeader(pkg); err != nil {
		return nil, err
	}
	if err := vs.appendMain(pkg); err != nil {
		return nil, err
	}
	if vs.needPayload() {
		if err := vs.hashPayload(br); err != nil {
			var re *readError
			if errors.As(err, &re) {
				res.Failed, res.ReadFailed = true, true
				res.Error = "Fread failed: " + strerror(re.err)
				res.Items = nil
				return res, nil
			}
			return nil, err
		}
	}
	if err := vs.verify(); err != nil {
		return nil, err
	}
	return res, nil
}

// readers recycles the 64 KiB read buffers of Verify: allocating and
// clearing one per package costs as much as hashing a small package.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }

// vstate is one run of the flow (rpm's rpmvs_s).
type vstate struct {
	v     *Verifier
	res   *Result
	flags VSFlags
	items []*Item
}

func (vs *vstate) rules() Rules { return vs.v.cfg.Rules }

func (vs *vstate) specs() []itemSpec {
	if vs.rules() == Rules418 {
		return specs418
	}
	return specs6
}

func (vs *vstate) closeAll() {
	for _, it := range vs.items {
		if it.ctx != nil {
			_ = it.ctx.Close()
			it.ctx = nil
		}
	}
}

// disabled is rpmsinfoDisabled.
func (vs *vstate) disabled(s *itemSpec) bool {
	return s.other || vs.flags&s.disabler != 0
}

// init is rpmvsInit over the signature header.
func (vs *vstate) init(pkg *rpm.Package) error {
	ignoreLegacy := false
	if vs.rules() == Rules6 {
		// "Heuristics for rpm v6 and newer": RESERVED and SHA3_256 present.
		_, r := pkg.Signature.Get(rpm.SigTagReserved)
		_, s := pkg.Signature.Get(rpm.SigTagSHA3_256)
		ignoreLegacy = r && s
	}
	specs := vs.specs()
	for i := range specs {
		s := &specs[i]
		if !s.sigh || s.other {
			continue
		}
		if ignoreLegacy && s.tag >= 1000 { // HEADER_TAGBASE
			continue
		}
		if err := vs.append(pkg.Signature, s, "package"); err != nil {
			return err
		}
	}
	return nil
}

// appendMain fishes the payload digests from the main header.
func (vs *vstate) appendMain(pkg *rpm.Package) error {
	specs := vs.specs()
	for i := range specs {
		s := &specs[i]
		if s.sigh {
			continue
		}
		if err := vs.append(pkg.Header, s, "header"); err != nil {
			return err
		}
	}
	return nil
}

// append is rpmvsAppend: one item per array element, or one NOTFOUND item.
func (vs *vstate) append(h *rpm.Header, s *itemSpec, origin string) error {
	if vs.rules() == Rules6 && vs.disabled(s) {
		return nil
	}
	e, ok := h.Get(s.tag)
	if !ok || (vs.rules() == Rules418 && vs.disabled(s)) {
		vs.items = append(vs.items, vs.newItem(s, 0, 1))
		return nil
	}
	n := 1
	if e.Type == rpm.TypeStringArray || e.Type == rpm.TypeI18NString {
		n = int(e.Count)
	}
	var elems []string
	if e.Type == rpm.TypeStringArray {
		var err error
		if elems, err = e.StringArray(); err != nil {
			n = 1
			elems = nil
		}
	}
	for i := 0; i < n; i++ {
		it := vs.newItem(s, i, n)
		if err := vs.initItem(it, s, e, elems, origin); err != nil {
			return err
		}
		if it.RC == RCOK && s.tag == rpm.SigTagOpenPGP {
			// "Don't bother with v3/v4 sigs when v6 sigs exist"
			vs.flags |= VSFNoDSAHeader | VSFNoRSAHeader | VSFNoDSA | VSFNoRSA
		}
		vs.items = append(vs.items, it)
	}
	return nil
}

func (vs *vstate) newItem(s *itemSpec, idx, count int) *Item {
	return s.item(idx, count)
}

// initItem is rpmsinfoInit: type, count and size checks, then the signature
// parse or the expected digest.
func (vs *vstate) initItem(it *Item, s *itemSpec, e *rpm.Entry, elems []string, origin string) error {
	it.RC = RCFail
	if s.tagType != 0 && e.Type != s.tagType {
		it.Msg = fmt.Sprintf("%s tag %d: invalid type %d", origin, e.Tag, e.Type)
		return nil
	}
	if s.tagCount != 0 && e.Count != s.tagCount {
		it.Msg = fmt.Sprintf("%s: tag %d: invalid count %d", origin, e.Tag, e.Count)
		return nil
	}
	var data []byte
	var size uint32
	switch e.Type {
	case rpm.TypeString:
		str, err := e.String()
		if err == nil {
			data = []byte(str)
		}
		size = uint32(len(data)) + 1
	case rpm.TypeStringArray:
		if it.Index < len(elems) {
			data = []byte(elems[it.Index])
		}
	case rpm.TypeBin:
		b, err := e.Bin()
		if err == nil {
			data = b
		}
		size = uint32(len(data))
	}
	// "MD5 has data length of 16, everything else is (much) larger"
	if it.HashAlgo != 0 && len(data) < 16 {
		it.Msg = fmt.Sprintf("%s tag %d: invalid data (%d)", origin, e.Tag, len(data))
		return nil
	}
	if s.tagSize != 0 && size != 0 && size != s.tagSize {
		it.Msg = fmt.Sprintf("%s tag %d: invalid size %d", origin, e.Tag, size)
		return nil
	}
	switch it.Type {
	case TypeSignature:
		pkt := data
		if e.Type == rpm.TypeStringArray {
			dec, err := decodeBase64(data)
			if err != nil {
				it.Msg = fmt.Sprintf("%s tag %d: invalid base64", origin, e.Tag)
				return nil
			}
			pkt = dec
		}
		pr, err := vs.v.b.ParseSignature(pkt)
		if err != nil {
			return fmt.Errorf("backend: parsing signature (tag %d): %w", e.Tag, err)
		}
		if !pr.OK() {
			if pr.Lint != "" && vs.rules() == Rules6 {
				it.Msg = fmt.Sprintf("%s tag %d: invalid OpenPGP signature: %s", origin, e.Tag, pr.Lint)
			} else {
				it.Msg = fmt.Sprintf("%s tag %d: invalid OpenPGP signature", origin, e.Tag)
			}
			return nil
		}
		if pr.Lint != "" {
			vs.lint(it, false, pr.Lint)
		}
		it.Sig = pr.Params
		it.HashAlgo = pr.Params.HashAlgo
	case TypeDigest:
		if e.Type == rpm.TypeBin {
			it.expected = hex.EncodeToString(data)
		} else {
			if len(data) < 40 || len(data)%2 != 0 || !isHex(data) {
				it.Msg = fmt.Sprintf("%s: tag %d: invalid hex", origin, e.Tag)
				return nil
			}
			it.expected = string(data)
		}
	}
	if it.HashAlgo != 0 {
		it.id = uint32(e.Tag)<<16 | uint32(it.Index)
	}
	it.RC = RCOK
	return nil
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !strings.ContainsRune("0123456789abcdefABCDEF", rune(c)) {
			return false
		}
	}
	return true
}

// decodeBase64 mirrors rpmBase64Decode: whitespace is ignored.
func decodeBase64(b []byte) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, string(b))
	return base64.StdEncoding.DecodeString(clean)
}

func (vs *vstate) lint(it *Item, isErr bool, text string) {
	l := Lint{Error: isErr, Text: text}
	it.Lints = append(it.Lints, l)
	vs.res.Lints = append(vs.res.Lints, l)
}

// initRange is rpmvsInitRange: start a digest for every ready item covering
// rng (items already started keep their state), salting v6 signatures.
func (vs *vstate) initRange(rng Range) error {
	for _, it := range vs.items {
		if it.Range&rng == 0 || it.RC != RCOK || it.ctx != nil {
			continue
		}
		d, err := vs.v.b.NewDigest(it.HashAlgo)
		if err != nil {
			// rpmDigestBundleAddID failure: handled like a disabled digest
			// at rpmvsFiniRange.
			continue
		}
		if it.Type == TypeSignature && it.Sig != nil && len(it.Sig.Salt) > 0 {
			if _, err := d.Write(it.Sig.Salt); err != nil {
				_ = d.Close()
				return fmt.Errorf("backend: salting digest: %w", err)
			}
		}
		it.ctx = d
	}
	return nil
}

// finiRange is rpmvsFiniRange: items of exactly rng without a digest become
// NOTFOUND ("Handle unsupported digests the same as disabled ones").
func (vs *vstate) finiRange(rng Range) {
	for _, it := range vs.items {
		if it.Range == rng && it.RC == RCOK && it.ctx == nil {
			it.RC = RCNotFound
		}
	}
}

func (vs *vstate) ctxs(rng Range) []Digest {
	var ds []Digest
	for _, it := range vs.items {
		if it.Range&rng != 0 && it.RC == RCOK && it.ctx != nil {
			ds = append(ds, it.ctx)
		}
	}
	return ds
}

func (vs *vstate) hashHeader(pkg *rpm.Package) error {
	if err := vs.initRange(RangeHeader); err != nil {
		return err
	}
	if _, err := UpdateDigests(vs.v.b, vs.ctxs(RangeHeader), bytes.NewReader(pkg.HeaderBlob)); err != nil {
		return fmt.Errorf("backend: hashing header: %w", err)
	}
	vs.finiRange(RangeHeader)
	return nil
}

// needPayload is rpmvsRange & RPMSIG_PAYLOAD.
func (vs *vstate) needPayload() bool {
	for _, it := range vs.items {
		if vs.flags&it.disabler != 0 {
			continue
		}
		if it.Range&RangePayload != 0 {
			return true
		}
	}
	return false
}

// payloadReader wraps read errors so they can be told from backend errors.
type payloadReader struct{ r io.Reader }

func (p payloadReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, &readError{err}
	}
	return n, err
}

func (vs *vstate) hashPayload(r io.Reader) error {
	if err := vs.initRange(RangePayload); err != nil {
		return err
	}
	if _, err := UpdateDigests(vs.v.b, vs.ctxs(RangePayload), payloadReader{r}); err != nil {
		var re *readError
		if errors.As(err, &re) {
			return re
		}
		return fmt.Errorf("backend: hashing payload: %w", err)
	}
	vs.finiRange(RangePayload)
	vs.finiRange(RangeBoth)
	return nil
}

// less is sinfoCmp; rpm 4.18's comparator compares sigalgo and hashalgo of
// the same element (a bug that makes them no-ops), reproduced here.
func (vs *vstate) less(a, b *Item) bool {
	if a.Range != b.Range {
		return a.Range < b.Range
	}
	if a.Type != b.Type {
		return a.Type > b.Type // signatures before digests
	}
	if vs.rules() == Rules6 {
		if a.SigAlgo != b.SigAlgo {
			return a.SigAlgo > b.SigAlgo
		}
		if a.HashAlgo != b.HashAlgo {
			return a.HashAlgo > b.HashAlgo
		}
	}
	if a.id != b.id {
		return a.id > b.id
	}
	return a.disabler > b.disabler
}

func (vs *vstate) getAlt(it *Item) *Item {
	for _, alt := range vs.items {
		if alt.id != it.id && alt.disabler == it.disabler {
			return alt
		}
	}
	return nil
}

// verify is rpmvsVerify.
func (vs *vstate) verify() error {
	sort.SliceStable(vs.items, func(i, j int) bool { return vs.less(vs.items[i], vs.items[j]) })
	rules6 := vs.rules() == Rules6
	level := vs.v.cfg.Level
	var verified [3]Range
	var rng Range
	if rules6 && level != 0 {
		rng = RangeBoth
	}
	for _, it := range vs.items {
		if it.wrapped && verified[TypeSignature]&RangeHeader != 0 {
			// Digests in a signed header are signature strength.
			it.strength = TypeSignature
		}
		if it.ctx == nil && it.RC == RCOK {
			// "Ready" but never hashed: fail closed, as rpm treats a
			// digest it could not compute (rpmvsFiniRange: NOTFOUND).
			it.RC = RCNotFound
		}
		if it.ctx != nil && it.RC == RCOK {
			if err := vs.verifyItem(it); err != nil {
				return err
			}
			if it.RC == RCOK {
				verified[it.Type] |= it.Range
				verified[it.strength] |= it.Range
			}
		}
		rng |= it.Range
	}
	// "Unconditionally reject partially signed packages"
	if verified[TypeSignature] != 0 {
		level |= LevelSignature
	}
	failed := false
	for _, it := range vs.items {
		strength := it.Type | it.strength
		if it.RC == RCFail && (!rules6 || it.Type == TypeDigest) {
			// Ignore a failure if an alternative exists and verifies ok.
			if alt := vs.getAlt(it); alt != nil && alt.RC == RCOK {
				it.RC = RCNotFound
			}
		}
		var required Range
		if Level(strength)&level&LevelDigest != 0 {
			required |= rng &^ verified[TypeDigest] & it.Range
		}
		if Level(strength)&level&LevelSignature != 0 {
			required |= rng &^ verified[TypeSignature] & it.Range
		}
		if required == 0 && it.RC == RCNotFound {
			continue
		}
		it.Shown = true
		if rules6 {
			if it.RC == RCFail || it.RC == RCNoKey || it.RC == RCInvalid {
				failed = true
			}
		} else if it.RC != RCOK {
			failed = true
		}
	}
	if rules6 {
		if level&LevelDigest != 0 && verified[TypeDigest] != rng {
			failed = true
		}
		if level&LevelSignature != 0 && verified[TypeSignature] != rng {
			failed = true
		}
	}
	vs.res.Items = vs.items
	vs.res.Failed = failed
	return nil
}

// verifyItem is rpmVerifySignature.
func (vs *vstate) verifyItem(it *Item) error {
	defer func() {
		if it.ctx != nil {
			_ = it.ctx.Close()
			it.ctx = nil
		}
	}()
	switch it.Type {
	case TypeDigest:
		sum, err := it.ctx.Final()
		it.ctx = nil
		if err != nil {
			return fmt.Errorf("backend: finishing %v digest: %w", it.HashAlgo, err)
		}
		got := hex.EncodeToString(sum)
		if len(sum) > 0 && strings.EqualFold(it.expected, got) {
			it.RC = RCOK
		} else {
			it.RC = RCFail
			it.Msg = fmt.Sprintf("Expected %s != %s", it.expected, got)
		}
		return nil
	case TypeSignature:
		// verifySignature: only binary document signatures sign packages.
		if it.Sig.SigType != 0x00 {
			it.RC = RCFail
			return nil
		}
		return vs.keyringVerify(it)
	}
	it.RC = RCFail
	return nil
}

// keyringVerify is rpmKeyringVerifySig2 (rpm 6: every key and subkey with
// the signature's key ID and algorithm is tried until one verifies; rpm 4.18:
// the first such key only), then the key-less sanity check.
func (vs *vstate) keyringVerify(it *Item) error {
	type attempt struct {
		rc   RC
		lint string
	}
	var results []attempt
	var last *KeyEntry
	rc := RCFail
	cands := vs.v.kr.Lookup(it.Sig.KeyID)
	if vs.rules() == Rules418 && len(cands) > 1 {
		// rpm 4.18 findbySig: the first key with the key ID only; when its
		// algorithm differs the signature is verified without a key.
		cands = cands[:1]
	}
	for i := range cands {
		c := &cands[i]
		if c.Key.PubKeyAlgo != it.Sig.PubKeyAlgo {
			continue
		}
		last = c
		vd, err := vs.v.b.VerifySignature(c.Key, it.Sig, it.ctx)
		if err != nil {
			return fmt.Errorf("backend: verifying signature: %w", err)
		}
		rc = vd.RC
		if rc == RCOK {
			results = results[:0]
		}
		results = append(results, attempt{rc, vd.Lint})
		if rc == RCOK {
			break
		}
	}
	if len(results) == 0 {
		last = nil
		vd, err := vs.v.b.VerifySignature(nil, it.Sig, it.ctx)
		if err != nil {
			return fmt.Errorf("backend: verifying signature: %w", err)
		}
		rc = vd.RC
		if rc == RCOK {
			// rpm asserts this cannot happen; fail closed.
			rc = RCFail
		}
		results = append(results, attempt{rc, vd.Lint})
	}
	if rc == RCInvalid {
		rc = RCFail
	}
	for _, a := range results {
		if a.lint != "" {
			vs.lint(it, a.rc != RCOK, a.lint)
		}
	}
	it.RC = rc
	if last != nil {
		it.KeyFingerprint = last.Primary.Fingerprint
	}
	return nil
}
