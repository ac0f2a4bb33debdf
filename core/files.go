package core

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
)

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
// [Capabilities.Packages] path at once: enough to spread a round trip's cost, few
// enough to keep every worker busy.
const batchSize = 16

// maxOpenPackages bounds the package files VerifyFiles holds open at once
// (batches of all workers), well below the usual limit of 1024 descriptors.
const maxOpenPackages = 256

// VerifyFiles verifies the packages at paths with jobs workers and returns
// the results in the order of paths. With a [Capabilities.Packages] backend the
// packages go over in batches, two per job in flight, so that the backend
// process has the next batch while the host takes the answers of the last
// one; otherwise each package is verified by [Verifier.Verify].
func (v *Verifier) VerifyFiles(paths []string, jobs int) []FileResult {
	out := make([]FileResult, len(paths))
	if len(paths) == 0 {
		return out
	}
	if v.b.Capabilities().Packages != nil {
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
	if pv := v.b.Capabilities().Packages; pv != nil {
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
