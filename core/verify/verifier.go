package verify

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/rpm"
)

// Verifier runs rpm's package verification flow (lib/rpmvs.cc,
// lib/rpmchecksig.cc rpmpkgRead) with all crypto in one backend. It is safe
// for concurrent use when its backend is.
type Verifier struct {
	b   core.Backend
	kr  *core.Keyring
	cfg core.VerifyConfig
}

// NewVerifier returns a verifier. The keyring is required (an empty one is
// fine): a nil keyring is an error, never a digest-only success. The zero
// [core.VerifyConfig] is the strictest flow (level all).
func NewVerifier(b core.Backend, kr *core.Keyring, cfg core.VerifyConfig) (*Verifier, error) {
	if b == nil {
		return nil, errors.New("rpmpgp: NewVerifier: nil backend")
	}
	if kr == nil {
		return nil, errors.New("rpmpgp: NewVerifier: nil keyring")
	}
	if !cfg.Profile.Valid() {
		return nil, fmt.Errorf("rpmpgp: NewVerifier: invalid profile %d", uint8(cfg.Profile))
	}
	if !cfg.Level.Valid() {
		return nil, fmt.Errorf("rpmpgp: NewVerifier: invalid level %d", uint8(cfg.Level))
	}
	return &Verifier{b: b, kr: kr, cfg: cfg}, nil
}

// Config returns the verifier's configuration.
func (v *Verifier) Config() core.VerifyConfig { return v.cfg }

// Verify verifies a package read from r (name is used for messages): rpm's
// rpmpkgRead. A package that cannot be read is a failed Result, not an
// error; the error is for a backend that gave no verdict.
func (v *Verifier) Verify(r io.Reader, name string) (*core.Result, error) {
	res := &core.Result{Path: name}
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
	if err := newVState(v, res).run(pkg, br); err != nil {
		var re *readError
		if errors.As(err, &re) {
			res.Failed, res.ReadFailed = true, true
			res.Error = "Fread failed: " + rpm.Strerror(re.err)
			res.Items = nil
			return res, nil
		}
		return nil, err
	}
	return res, nil
}

// readers recycles the 64 KiB read buffers of Verify: allocating and
// clearing one per package costs as much as hashing a small package.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

// readError is a failure to read the payload, told apart from a backend's
// error: rpm reports it as "Fread failed" and gives no item.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }

// payloadReader wraps read errors so they can be told from backend errors.
type payloadReader struct{ r io.Reader }

func (p payloadReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, &readError{err}
	}
	return n, err
}
