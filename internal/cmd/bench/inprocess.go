package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/gocrypto"
	"github.com/rpmpgp/rpmpgp/backends/openssl"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/tuning"
)

// throughputRows measures, per backend, the out-of-process ÷ in-process
// throughput over the small packages and over the mid-size package, the
// two modes run back to back in each round (the key import is not timed).
func throughputRows(bin string, c *corpus, rounds int) ([]row, error) {
	// Backend processes run with tuning.GC's collector target; the
	// in-process runs get the same, so that the ratio measures the process
	// boundary and not a GC setting.
	tuning.GC()
	// The bench process also holds the corpus (the paths of -many and
	// -huge packages), which no backend process does: its soft memory
	// limit gets that live heap on top, so that the in-process runs have a
	// backend's headroom and do not collect more often than it.
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		debug.SetMemoryLimit(tuning.BatchMemoryLimit + int64(ms.HeapAlloc))
	}
	var rows []row
	for _, name := range []string{"gocrypto", "openssl"} {
		var vs [2]*verify.Verifier
		unavailable := ""
		for i, mode := range []string{"in-process", "out-of-process"} {
			b, closeFn, err := open(name, mode, bin)
			if err != nil {
				unavailable = fmt.Sprintf("%s unavailable: %v", mode, err)
				break
			}
			defer closeFn()
			v, err := verifier(b, c)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", name, mode, err)
			}
			vs[i] = v
		}
		small := row{workload: fmt.Sprintf("out-of-process ÷ in-process throughput, %d small pkgs (%s)", len(c.small), name), oursUnit: unitRatio, target: target{atLeast: true, limit: 0.9, unit: unitRatio}}
		mid := row{workload: fmt.Sprintf("out-of-process ÷ in-process throughput, one mid-size pkg (%s)", name), oursUnit: unitRatio, target: target{atLeast: true, limit: 0.9, unit: unitRatio}}
		if unavailable != "" {
			small.note, mid.note = unavailable, unavailable
			rows = append(rows, small, mid)
			continue
		}
		for range rounds {
			var s, m [2]time.Duration
			for i, v := range vs {
				var err error
				if s[i], m[i], err = measure(v, c); err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
			}
			small.ours = append(small.ours, float64(s[0])/float64(s[1]))
			mid.ours = append(mid.ours, float64(m[0])/float64(m[1]))
		}
		rows = append(rows, small, mid)
	}
	return rows, nil
}

// open returns an initialised backend in the given mode.
func open(name, mode, bin string) (core.Backend, func(), error) {
	var b core.Backend
	closeFn := func() {}
	if mode == "out-of-process" {
		c, err := plugin.Open(name, plugin.LoadConfig{Dirs: []string{bin}})
		if err != nil {
			return nil, nil, err
		}
		b, closeFn = c, func() { _ = c.Close() }
	} else {
		switch name {
		case "gocrypto":
			b = gocrypto.New()
		case "openssl":
			ob, err := openssl.New(openssl.Options{})
			if err != nil {
				return nil, nil, err
			}
			b = ob
		}
	}
	if err := b.Init(core.Options{}); err != nil {
		closeFn()
		return nil, nil, err
	}
	return b, closeFn, nil
}

// verifier imports the keyring and returns a verifier with rpm 6's
// defaults.
func verifier(b core.Backend, c *corpus) (*verify.Verifier, error) {
	kr, res, err := core.LoadKeyring(b, c.keyring)
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		if !r.OK() {
			return nil, fmt.Errorf("key import: %+v", r)
		}
	}
	return verify.NewVerifier(b, kr, core.StrictDefaults())
}

// measure verifies the small packages (as checksig does: NumCPU workers)
// and the mid-size one, once each.
func measure(v *verify.Verifier, c *corpus) (small, mid time.Duration, err error) {
	start := time.Now()
	if err := verifyAll(v, c.small, runtime.NumCPU()); err != nil {
		return 0, 0, err
	}
	small = time.Since(start)
	start = time.Now()
	if err := verifyAll(v, []string{c.mid}, 1); err != nil {
		return 0, 0, err
	}
	return small, time.Since(start), nil
}

// verifyAll verifies files as checksig does (Verifier.VerifyFiles with jobs
// workers); any failure is an error.
func verifyAll(v *verify.Verifier, files []string, jobs int) error {
	for _, r := range v.VerifyFiles(files, jobs) {
		if r.Err != nil {
			return r.Err
		}
		if r.Result.Failed {
			return fmt.Errorf("%s: verification failed: %s", r.Path, r.Result.CaseItems())
		}
	}
	return nil
}
