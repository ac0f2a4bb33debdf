package rpm

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// FuzzRead feeds arbitrary bytes to Read: it must never panic, must fail
// with a *FormatError carrying a message, and a successful parse must be
// internally consistent. Seeds: the corpus packages' headers (when the
// corpus is present) and synthetic packages.
func FuzzRead(f *testing.F) {
	f.Add(defaultPackage().b)
	f.Add(mkPackage(TagHeaderSignatures, defaultSig(), 0, []item{str(TagName, "x")}).b)
	f.Add(mkPackage(TagHeaderSignatures, []item{strs(SigTagOpenPGP, "AAAA", "BBBB"), bin(SigTagReserved, []byte{0}), str(SigTagSHA3_256, "ab")}, TagHeaderImmutable, defaultMain()).b)
	for _, c := range msgCases() {
		f.Add(c.build())
	}
	if dir, ok := testutil.CorpusDir(); ok {
		files, _ := filepath.Glob(filepath.Join(dir, "rpm-testsuite", "RPMS", "*.rpm"))
		for _, fn := range files {
			b, err := os.ReadFile(fn)
			if err != nil {
				continue
			}
			if p, err := Read(bytes.NewReader(b)); err == nil {
				b = b[:p.PayloadOffset] // the payload is never read
			}
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Read(bytes.NewReader(b))
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Msg == "" || p != nil {
				t.Fatalf("error %T %v (package %v)", err, err, p != nil)
			}
			return
		}
		checkInvariants(t, b, p)
		_ = p.IsV6()
	})
}
