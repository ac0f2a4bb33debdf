package verify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rpmpgp/rpmpgp/core"
)

// testFiles writes the packages of the file tests into a directory: a
// package signed by key1, an unsigned one, a file that is no package, and
// a truncated package. missing names no file.
func testFiles(t *testing.T) (dir string, signed, unsigned, notRPM, truncated, missing string) {
	t.Helper()
	dir = t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := buildPackage(t, headerSig(id1, core.PubKeyRSA, core.HashSHA256))
	signed = write("signed.rpm", good)
	unsigned = write("unsigned.rpm", buildPackage(t))
	notRPM = write("notes.txt", []byte("not a package\n"))
	truncated = write("truncated.rpm", good[:200])
	return dir, signed, unsigned, notRPM, truncated, filepath.Join(dir, "missing.rpm")
}

// brief is a result in one line: verdict, read state, error and items.
func brief(r FileResult) string {
	if r.Err != nil {
		return "error: " + r.Err.Error()
	}
	res := r.Result
	return fmt.Sprintf("failed=%v open=%v read=%v notrpm=%v error=%q items=%s", res.Failed, res.OpenFailed, res.ReadFailed, res.NotRPM, res.Error, res.CaseItems())
}

// TestVerifyFiles: results come back in the order of the paths whatever
// the number of workers; a file that cannot be opened or read is a failed
// result with rpm's message, never an error.
func TestVerifyFiles(t *testing.T) {
	t.Parallel()
	_, signed, unsigned, notRPM, truncated, missing := testFiles(t)
	paths := []string{signed, missing, unsigned, notRPM, truncated, signed}
	want := []string{
		"failed=false open=false read=false notrpm=false error=\"\" items=HeaderSig@268=OK,HeaderSHA256=OK,PayloadSHA256=OK",
		"failed=true open=true read=false notrpm=false error=\"open failed: No such file or directory\" items=unreadable",
		"failed=true open=false read=false notrpm=false error=\"\" items=HeaderSig@267=NOTFOUND,HeaderSig@268=NOTFOUND,HeaderSig@278=NOTFOUND,HeaderSHA256=OK,PayloadSHA256=OK,LegacySig@1005=NOTFOUND,LegacySig@1002=NOTFOUND",
		"failed=true open=false read=true notrpm=true error=\"\" items=unreadable",
		"failed=true open=false read=true notrpm=false error=\"signature hdr blob(4388): BAD, read returned 0\" items=unreadable",
		"failed=false open=false read=false notrpm=false error=\"\" items=HeaderSig@268=OK,HeaderSHA256=OK,PayloadSHA256=OK",
	}
	b := &fakeBackend{}
	v, err := NewVerifier(b, core.NewKeyringFrom(b, []core.KeyringCert{key1}), core.StrictDefaults())
	if err != nil {
		t.Fatal(err)
	}
	for _, jobs := range []int{0, 1, 2, 16} {
		var got []string
		for i, r := range v.VerifyFiles(paths, jobs) {
			if r.Path != paths[i] {
				t.Errorf("jobs %d: result %d is for %s, want %s", jobs, i, r.Path, paths[i])
			}
			got = append(got, brief(r))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("jobs %d (-want +got):\n%s", jobs, diff)
		}
	}
	if got := v.VerifyFiles(nil, 4); len(got) != 0 {
		t.Errorf("no paths: %d results", len(got))
	}
	r, err := v.VerifyFile(missing)
	if got := brief(FileResult{Result: r, Err: err}); got != want[1] {
		t.Errorf("VerifyFile(missing) = %s", got)
	}
}

// batchBackend is a fakeBackend that also declares a package batch path
// ([core.Capabilities.Packages]) with a scripted answer.
type batchBackend struct {
	*fakeBackend
	answer func(files []*os.File, names []string) ([]core.PackageResult, error)
	calls  atomic.Int32
}

func (b *batchBackend) Capabilities() core.Capabilities { return core.Capabilities{Packages: b} }

func (b *batchBackend) VerifyPackages(files []*os.File, names []string, kr *core.Keyring, cfg core.VerifyConfig) ([]core.PackageResult, error) {
	b.calls.Add(1)
	return b.answer(files, names)
}

// TestVerifyFilesBatch: a [core.PackageVerifier] backend gets the files that
// opened, in batches;
// ErrNotSupported makes the verifier run the flow itself; any other error,
// or a wrong number of answers, is every package's "no verdict".
func TestVerifyFilesBatch(t *testing.T) {
	t.Parallel()
	_, signed, unsigned, _, _, missing := testFiles(t)
	paths := []string{signed, missing, unsigned}
	fallback := []string{
		"failed=false open=false read=false notrpm=false error=\"\" items=HeaderSig@268=OK,HeaderSHA256=OK,PayloadSHA256=OK",
		"failed=true open=true read=false notrpm=false error=\"open failed: No such file or directory\" items=unreadable",
		"failed=true open=false read=false notrpm=false error=\"\" items=HeaderSig@267=NOTFOUND,HeaderSig@268=NOTFOUND,HeaderSig@278=NOTFOUND,HeaderSHA256=OK,PayloadSHA256=OK,LegacySig@1005=NOTFOUND,LegacySig@1002=NOTFOUND",
	}
	tests := []struct {
		name   string
		answer func(files []*os.File, names []string) ([]core.PackageResult, error)
		want   []string
	}{
		{"not supported", func([]*os.File, []string) ([]core.PackageResult, error) {
			return nil, fmt.Errorf("batch: %w", core.ErrNotSupported)
		}, fallback},
		{"answered", func(files []*os.File, names []string) ([]core.PackageResult, error) {
			var out []core.PackageResult
			for i, f := range files {
				if f.Name() != names[i] {
					return nil, fmt.Errorf("file %s named %s", f.Name(), names[i])
				}
				r := core.PackageResult{Result: &core.Result{Path: names[i], Failed: names[i] == unsigned}}
				if names[i] == signed {
					r.Err = errors.New("crashed")
				}
				out = append(out, r)
			}
			return out, nil
		}, []string{"error: crashed", fallback[1], "failed=true open=false read=false notrpm=false error=\"\" items="}},
		{"no result and no error", func(files []*os.File, _ []string) ([]core.PackageResult, error) {
			return make([]core.PackageResult, len(files)), nil
		}, []string{"error: backend: no result for " + signed, fallback[1], "error: backend: no result for " + unsigned}},
		{"wrong count", func(files []*os.File, _ []string) ([]core.PackageResult, error) {
			return make([]core.PackageResult, len(files)+1), nil
		}, []string{"error: backend: 2 results for 1 packages", fallback[1], "error: backend: 2 results for 1 packages"}},
		{"failed", func([]*os.File, []string) ([]core.PackageResult, error) {
			return nil, errors.New("connection lost")
		}, []string{"error: connection lost", fallback[1], "error: connection lost"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &batchBackend{fakeBackend: &fakeBackend{}, answer: tc.answer}
			v, err := NewVerifier(b, core.NewKeyringFrom(b, []core.KeyringCert{key1}), core.StrictDefaults())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range v.VerifyFiles(paths, 1) {
				got = append(got, brief(r))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// Two workers per job with a batch backend: [signed, missing]
			// (one file opened) and [unsigned].
			if n := b.calls.Load(); n != 2 {
				t.Errorf("%d VerifyPackages calls, want 2", n)
			}
		})
	}
}

// errAfter reads r, then fails with err.
type errAfter struct {
	r   io.Reader
	err error
}

func (e *errAfter) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

// TestVerifyReadErrors: a payload that cannot be read is rpm's "Fread
// failed" with strerror's text and no items; input that is no package is
// silent (rpmpkgRead drops the lead's message); a backend's error is "no
// verdict".
func TestVerifyReadErrors(t *testing.T) {
	t.Parallel()
	pkg := buildPackage(t, headerSig(id1, core.PubKeyRSA, core.HashSHA256))
	p := basePackage(t)
	payloadAt := len(pkg) - len(p.Payload)
	b := &fakeBackend{}
	v, err := NewVerifier(b, core.NewKeyringFrom(b, []core.KeyringCert{key1}), core.StrictDefaults())
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.Verify(&errAfter{bytes.NewReader(pkg[:payloadAt+10]), syscall.EIO}, "eio.rpm")
	if err != nil {
		t.Fatal(err)
	}
	if got := brief(FileResult{Result: res}); got != `failed=true open=false read=true notrpm=false error="Fread failed: Input/output error" items=unreadable` || res.Items != nil {
		t.Errorf("payload read error: %s, %d items", got, len(res.Items))
	}
	res, err = v.Verify(strings.NewReader("#!/bin/sh\n"), "script")
	if err != nil {
		t.Fatal(err)
	}
	if got := brief(FileResult{Result: res}); got != `failed=true open=false read=true notrpm=true error="" items=unreadable` {
		t.Errorf("not a package: %s", got)
	}
	bad := &failingBackend{fakeBackend: &fakeBackend{}}
	v, err = NewVerifier(bad, core.NewKeyringFrom(bad, []core.KeyringCert{key1}), core.StrictDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if res, err := v.Verify(bytes.NewReader(pkg), "x.rpm"); err == nil || !strings.Contains(err.Error(), "backend: parsing signature (tag 268): backend gone") {
		t.Errorf("backend failure: %+v, %v", res, err)
	}
}

// failingBackend gives no verdict on signatures.
type failingBackend struct{ *fakeBackend }

func (failingBackend) ParseSignature([]byte) (core.ParseResult, error) {
	return core.ParseResult{}, errors.New("backend gone")
}
