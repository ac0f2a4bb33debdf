package verify

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/rpm"
)

// vstate is one run of the flow over one package (rpm's rpmvs_s): the
// items of both headers, their digests in progress, and the result they
// end in.
type vstate struct {
	v     *Verifier
	res   *core.Result
	flags core.VSFlags
	items []*item
}

// newVState starts a run of v's flow that fills res.
func newVState(v *Verifier, res *core.Result) *vstate {
	return &vstate{v: v, res: res, flags: v.cfg.Flags}
}

// run is the flow of rpmpkgRead over a package whose headers are read:
// rpmvsInit over the signature header, the header digests, the payload
// digests fished from the main header, the payload (read from payload,
// which must be positioned just after the main header), then rpmvsVerify.
// A failure to read the payload is a *readError; any other error means
// the backend gave no verdict.
func (vs *vstate) run(pkg *rpm.Package, payload io.Reader) error {
	defer vs.closeAll()
	if err := vs.init(pkg); err != nil {
		return err
	}
	if err := vs.hashHeader(pkg); err != nil {
		return err
	}
	if err := vs.appendMain(pkg); err != nil {
		return err
	}
	if vs.needPayload() {
		if err := vs.hashPayload(payload); err != nil {
			return err
		}
	}
	return vs.verify()
}

// profile is whose flow runs: rpm 6's or rpm 4.18's.
func (vs *vstate) profile() core.Profile { return vs.v.cfg.Profile }

// specs is the item table of the profile's rpm.
func (vs *vstate) specs() []itemSpec {
	if vs.profile() == core.ProfileLegacy {
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
	if vs.profile() == core.ProfileStrict {
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
		if err := vs.append(pkg.Signature, s, pkg.Signature.Origin()); err != nil {
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
		if err := vs.append(pkg.Header, s, pkg.Header.Origin()); err != nil {
			return err
		}
	}
	return nil
}

// append is rpmvsAppend: one item per array element, or one NOTFOUND item.
func (vs *vstate) append(h *rpm.Header, s *itemSpec, origin string) error {
	if vs.profile() == core.ProfileStrict && vs.disabled(s) {
		return nil
	}
	e, ok := h.Get(s.tag)
	// hdrblobGet fails for a byte-swappable type, and rpmvsAppend then
	// appends the item as if the tag were absent (lib/rpmvs.c rpmvsAppend:
	// "if (... rc == RPMRC_OK) ... else rpmsinfoInit(vi, ti, NULL, ...)").
	ok = ok && e.Type.Unswapped()
	if !ok || (vs.profile() == core.ProfileLegacy && vs.disabled(s)) {
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
		if it.RC == core.RCOK && s.tag == rpm.SigTagOpenPGP {
			// "Don't bother with v3/v4 sigs when v6 sigs exist"
			vs.flags |= core.VSFNoDSAHeader | core.VSFNoRSAHeader | core.VSFNoDSA | core.VSFNoRSA
		}
		vs.items = append(vs.items, it)
	}
	return nil
}

func (vs *vstate) newItem(s *itemSpec, idx, count int) *item {
	return &item{Item: s.item(idx, count), wrapped: !s.sigh, strength: s.typ, disabler: s.disabler}
}

// initItem is rpmsinfoInit: type, count and size checks, then the signature
// parse or the expected digest.
func (vs *vstate) initItem(it *item, s *itemSpec, e *rpm.Entry, elems []string, origin string) error {
	it.RC = core.RCFail
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
	case core.TypeSignature:
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
			if pr.Params != nil && pr.Lint != "" {
				// A parser warning (rpm 4.18's pgpPrtSig logs
				// "Unsupported version of signature: V%d"): on stderr,
				// and the item is BAD.
				vs.lint(it, false, pr.Lint)
				it.Msg = fmt.Sprintf("%s tag %d: invalid OpenPGP signature", origin, e.Tag)
				return nil
			}
			if pr.Lint != "" && vs.profile() == core.ProfileStrict {
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
	case core.TypeDigest:
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
	it.RC = core.RCOK
	return nil
}

func isHex(b []byte) bool {
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
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

func (vs *vstate) lint(it *item, isErr bool, text string) {
	l := core.Lint{Error: isErr, Text: text}
	it.Lints = append(it.Lints, l)
	vs.res.Lints = append(vs.res.Lints, l)
}

// initRange is rpmvsInitRange: start a digest for every ready item covering
// rng (items already started keep their state), salting v6 signatures.
func (vs *vstate) initRange(rng core.Range) error {
	for _, it := range vs.items {
		if it.Range&rng == 0 || it.RC != core.RCOK || it.ctx != nil {
			continue
		}
		if vs.profile() == core.ProfileLegacy && !it.HashAlgo.Info().RPM418 {
			// rpm 4.18's rpmDigestBundleAddID fails for a hash outside
			// MD5, SHA-1 and SHA-2 (rpmio/digest_libgcrypt.c
			// hashalgo2gcryalgo; Debian's build uses libgcrypt), and
			// rpmvsFiniRange makes the item NOTFOUND ("Handle unsupported
			// digests the same as disabled ones"): rpm 4.18 hides a
			// signature made with SHA3-256 instead of failing it.
			continue
		}
		d, err := vs.v.b.NewDigest(it.HashAlgo)
		if err != nil {
			// rpmDigestBundleAddID failure: handled like a disabled digest
			// at rpmvsFiniRange.
			continue
		}
		if it.Type == core.TypeSignature && it.Sig != nil && len(it.Sig.Salt) > 0 {
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
func (vs *vstate) finiRange(rng core.Range) {
	for _, it := range vs.items {
		if it.Range == rng && it.RC == core.RCOK && it.ctx == nil {
			it.RC = core.RCNotFound
		}
	}
}

func (vs *vstate) ctxs(rng core.Range) []core.Digest {
	var ds []core.Digest
	for _, it := range vs.items {
		if it.Range&rng != 0 && it.RC == core.RCOK && it.ctx != nil {
			ds = append(ds, it.ctx)
		}
	}
	return ds
}

func (vs *vstate) hashHeader(pkg *rpm.Package) error {
	if err := vs.initRange(core.RangeHeader); err != nil {
		return err
	}
	if _, err := core.UpdateDigests(vs.v.b, vs.ctxs(core.RangeHeader), bytes.NewReader(pkg.HeaderBlob)); err != nil {
		return fmt.Errorf("backend: hashing header: %w", err)
	}
	vs.finiRange(core.RangeHeader)
	return nil
}

// needPayload is rpmvsRange & RPMSIG_PAYLOAD.
func (vs *vstate) needPayload() bool {
	for _, it := range vs.items {
		if vs.flags&it.disabler != 0 {
			continue
		}
		if it.Range&core.RangePayload != 0 {
			return true
		}
	}
	return false
}

func (vs *vstate) hashPayload(r io.Reader) error {
	if err := vs.initRange(core.RangePayload); err != nil {
		return err
	}
	if _, err := core.UpdateDigests(vs.v.b, vs.ctxs(core.RangePayload), payloadReader{r}); err != nil {
		var re *readError
		if errors.As(err, &re) {
			return re
		}
		return fmt.Errorf("backend: hashing payload: %w", err)
	}
	vs.finiRange(core.RangePayload)
	vs.finiRange(core.RangeBoth)
	return nil
}

// sortAlgo is the public-key algorithm rpm 6 sorts an item by: the parsed
// signature's, else the table's (RSA for 268/1002, DSA for 267/1005).
func sortAlgo(it *item) core.PubKeyAlgo {
	if it.Sig != nil {
		return it.Sig.PubKeyAlgo
	}
	return it.SigAlgo
}

// less is sinfoCmp; rpm 4.18's comparator compares sigalgo and hashalgo of
// the same element (a bug that makes them no-ops), reproduced here.
func (vs *vstate) less(a, b *item) bool {
	if a.Range != b.Range {
		return a.Range < b.Range
	}
	if a.Type != b.Type {
		return a.Type > b.Type // signatures before digests
	}
	if vs.profile() == core.ProfileStrict {
		// "strongest (in the "newer is better" sense) algos first"
		// (lib/rpmvs.cc sinfoCmp). Since rpm PR #4277 (fixing rpm issue
		// #4048) rpmsinfoInit records a parsed signature's public-key
		// algorithm, so OPENPGP (278) elements sort by it too: a v6
		// ML-DSA-87+Ed448 signature (31) before a v4 RSA one (1).
		if sa, sb := sortAlgo(a), sortAlgo(b); sa != sb {
			return sa > sb
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

func (vs *vstate) getAlt(it *item) *item {
	for _, alt := range vs.items {
		if alt.id != it.id && alt.disabler == it.disabler {
			return alt
		}
	}
	return nil
}

// verify is rpmvsVerify.
func (vs *vstate) verify() error {
	// less is a strict weak order (fields compared in turn), so the stable
	// order is unique; slices.SortStableFunc reaches it without
	// sort.SliceStable's reflection-built swapper.
	slices.SortStableFunc(vs.items, func(a, b *item) int {
		switch {
		case vs.less(a, b):
			return -1
		case vs.less(b, a):
			return 1
		}
		return 0
	})
	rules6 := vs.profile() == core.ProfileStrict
	// level is rpm's bitmask of the item types that must cover the package.
	level := vs.v.cfg.Level.Types()
	var verified [3]core.Range
	var rng core.Range
	if rules6 && level != 0 {
		rng = core.RangeBoth
	}
	for _, it := range vs.items {
		if it.wrapped && verified[core.TypeSignature]&core.RangeHeader != 0 {
			// Digests in a signed header are signature strength.
			it.strength = core.TypeSignature
		}
		if it.ctx == nil && it.RC == core.RCOK {
			// "Ready" but never hashed: fail closed, as rpm treats a
			// digest it could not compute (rpmvsFiniRange: NOTFOUND).
			it.RC = core.RCNotFound
		}
		if it.ctx != nil && it.RC == core.RCOK {
			if err := vs.verifyItem(it); err != nil {
				return err
			}
			if it.RC == core.RCOK {
				verified[it.Type] |= it.Range
				verified[it.strength] |= it.Range
			}
		}
		rng |= it.Range
	}
	// "Unconditionally reject partially signed packages"
	if verified[core.TypeSignature] != 0 {
		level |= core.TypeSignature
	}
	failed := false
	for _, it := range vs.items {
		strength := it.Type | it.strength
		if it.RC == core.RCFail && (!rules6 || it.Type == core.TypeDigest) {
			// Ignore a failure if an alternative exists and verifies ok.
			if alt := vs.getAlt(it); alt != nil && alt.RC == core.RCOK {
				it.RC = core.RCNotFound
			}
		}
		var required core.Range
		if strength&level&core.TypeDigest != 0 {
			required |= rng &^ verified[core.TypeDigest] & it.Range
		}
		if strength&level&core.TypeSignature != 0 {
			required |= rng &^ verified[core.TypeSignature] & it.Range
		}
		if required == 0 && it.RC == core.RCNotFound {
			continue
		}
		it.Shown = true
		if rules6 {
			if it.RC == core.RCFail || it.RC == core.RCNoKey || it.RC == core.RCInvalid {
				failed = true
			}
		} else if it.RC != core.RCOK {
			failed = true
		}
	}
	if rules6 {
		if level&core.TypeDigest != 0 && verified[core.TypeDigest] != rng {
			failed = true
		}
		if level&core.TypeSignature != 0 && verified[core.TypeSignature] != rng {
			failed = true
		}
	}
	if vs.items != nil {
		vs.res.Items = make([]*core.Item, len(vs.items))
		for i, it := range vs.items {
			vs.res.Items[i] = it.Item
		}
	}
	vs.res.Failed = failed
	return nil
}
