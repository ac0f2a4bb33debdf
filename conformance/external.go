package conformance

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
)

// ExternalOptions configures the external verifiers.
type ExternalOptions struct {
	// Timeout bounds every external call (default 60s).
	Timeout time.Duration
	// At pins the reference time for tools that take one (sqv and sqop get
	// --not-after=At); zero means now. gpgv and rpmkeys have no such option
	// and always use the wall clock; gosop rejects it (exit 37) and checks
	// no times at all.
	At time.Time
	// TempDir is where per-call scratch directories go ("" = os.TempDir()).
	TempDir string
}

func (o ExternalOptions) timeout() time.Duration {
	if o.Timeout <= 0 {
		return 60 * time.Second
	}
	return o.Timeout
}

// notAfter returns the --not-after value for the pinned time, or "".
func (o ExternalOptions) notAfter() string {
	if o.At.IsZero() {
		return ""
	}
	return o.At.UTC().Format(time.RFC3339)
}

// scratch makes a per-call temporary directory.
func (o ExternalOptions) scratch(prefix string) (string, func(), error) {
	d, err := os.MkdirTemp(o.TempDir, "rpmpgp-conf-"+prefix+"-")
	if err != nil {
		return "", nil, err
	}
	return d, func() { os.RemoveAll(d) }, nil
}

// signedInput is what an external OpenPGP tool verifies: a detached
// signature file, the data file and certificate files.
type signedInput struct {
	sig, data string
	certs     []string
	// item is the package item the signature answers for ("" for
	// detached cases).
	item string
}

// openPGPSupports is Supports for the OpenPGP tools: detached rows and
// packages (header-only signature).
func openPGPSupports(c *corpus.Case) bool {
	return c.NotApplicable == "" && (c.Kind == corpus.KindDetached || c.Kind == corpus.KindPackage)
}

// prepareSigned materialises the inputs of c in dir. ok is false (with a
// reason) when the case has nothing the tool can check, such as a package
// without a header-only signature.
func prepareSigned(c *corpus.Case, dir string) (in signedInput, naReason string, err error) {
	in.certs = c.ToolKeyring()
	switch c.Kind {
	case corpus.KindDetached:
		in.sig = c.Input
		in.data, err = dataFile(c.Data, dir)
		return in, "", err
	case corpus.KindPackage:
		hs, ok, err := readHeaderSig(c.Input)
		if err != nil {
			return in, "", fmt.Errorf("extracting header signature: %w", err)
		}
		if !ok {
			return in, "package has no header-only signature (tags 268/267)", nil
		}
		in.item = "HeaderSig@" + strconv.Itoa(hs.tag)
		in.sig, in.data = filepath.Join(dir, "header.sig"), filepath.Join(dir, "header.bin")
		if err := os.WriteFile(in.sig, hs.packet, 0o600); err != nil {
			return in, "", err
		}
		return in, "", os.WriteFile(in.data, hs.signed, 0o600)
	}
	return in, fmt.Sprintf("kind %s not supported", c.Kind), nil
}

var (
	zerosMu    sync.Mutex
	zerosFiles = map[int64]string{}
)

// dataFile returns a path holding d: the file itself, a scratch copy of
// literal bytes, or a shared generated file of zeros (created once per
// process, removed by [CleanupGenerated]).
func dataFile(d *corpus.Data, dir string) (string, error) {
	switch {
	case d == nil:
		return "", fmt.Errorf("no data")
	case d.Path != "":
		return d.Path, nil
	case d.IsZeros:
		zerosMu.Lock()
		defer zerosMu.Unlock()
		if p, ok := zerosFiles[d.Zeros]; ok {
			return p, nil
		}
		f, err := os.CreateTemp("", "rpmpgp-conf-zeros-*")
		if err != nil {
			return "", err
		}
		if err := f.Truncate(d.Zeros); err != nil {
			f.Close()
			os.Remove(f.Name())
			return "", err
		}
		f.Close()
		zerosFiles[d.Zeros] = f.Name()
		return f.Name(), nil
	default:
		p := filepath.Join(dir, "data.bin")
		return p, os.WriteFile(p, d.Bytes, 0o600)
	}
}

// CleanupGenerated removes the generated data files (gen:zeros) created by
// external verifiers; [Run] calls it when it finishes.
func CleanupGenerated() {
	zerosMu.Lock()
	defer zerosMu.Unlock()
	for k, p := range zerosFiles {
		os.Remove(p)
		delete(zerosFiles, k)
	}
}

// toolAvailable reports whether a tool is on PATH.
func toolAvailable(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

// runSigned is the shared body of the OpenPGP tool adapters: prepare the
// inputs, run the tool, map the result.
func runSigned(ctx context.Context, o ExternalOptions, name string, c *corpus.Case,
	argv func(in signedInput, dir string) (args []string, stdin string, err error),
	verdict func(r toolResult) string) Outcome {
	start := time.Now()
	dir, cleanup, err := o.scratch(name)
	if err != nil {
		return errorOutcome("scratch dir: %v", err)
	}
	defer cleanup()
	in, na, err := prepareSigned(c, dir)
	if err != nil {
		return errorOutcome("%v", err)
	}
	if na != "" {
		return Outcome{Verdict: VerdictNA, ExitCode: -1, Detail: na}
	}
	args, stdinPath, err := argv(in, dir)
	if err != nil {
		return errorOutcome("%v", err)
	}
	var stdin io.Reader
	if stdinPath != "" {
		f, err := os.Open(stdinPath)
		if err != nil {
			return errorOutcome("%v", err)
		}
		defer f.Close()
		stdin = f
	}
	r := runTool(ctx, o.timeout(), stdin, nil, args...)
	out := Outcome{ExitCode: r.exit, Detail: r.detail(), Duration: time.Since(start)}
	if r.err != nil {
		out.Verdict = VerdictError
	} else {
		out.Verdict = verdict(r)
	}
	if in.item != "" && out.Verdict != VerdictError {
		out.Items = map[string]string{in.item: out.Verdict}
	}
	return out
}
