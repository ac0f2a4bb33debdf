// Command bench measures rpmpgp's package verification, in one run:
//
//   - out-of-process vs in-process throughput, per backend (gocrypto,
//     openssl), over many small signed packages and over one large one;
//   - the wall time of one `rpmpgp checksig` on one package (start-up
//     included) against `rpmkeys --checksig` on the same package, and of
//     one command of each over all the small packages.
//
// The small packages are copies of testdata/rpms/rpmsign-rsa4096.rpm (an
// rpmsign-made RSA-4096 package); the large one is the same package with a
// random payload of -size MiB, its digests recomputed and its header
// signed again with testdata/keys/rsa4096.secret.asc. Every verification
// must pass: a benchmark of failing verification would measure nothing.
//
//	go run ./internal/cmd/bench -bin bin
package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/rpmpgp/rpmpgp/backends/gocrypto"
	"github.com/rpmpgp/rpmpgp/backends/openssl"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/internal/rpmgen"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
	"github.com/rpmpgp/rpmpgp/internal/tuning"
)

func main() {
	bin := flag.String("bin", "bin", "directory with rpmpgp and the backend binaries (make build)")
	n := flag.Int("n", 1000, "number of small packages")
	size := flag.Int("size", 20, "payload size of the large package, in MiB")
	runs := flag.Int("runs", 7, "repetitions of each throughput measurement, interleaved (the best is reported)")
	starts := flag.Int("starts", 30, "repetitions of the single-package start-up measurement (the median is reported)")
	bulkRuns := flag.Int("bulk-runs", 5, "repetitions of the one-command run over all small packages (the median is reported)")
	flag.Parse()
	if err := run(*bin, *n, *size, *runs, *starts, *bulkRuns); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// corpus is the generated input.
type corpus struct {
	small   []string
	large   string
	keyring string
}

func run(bin string, n, sizeMiB, runs, starts, bulkRuns int) error {
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "rpmpgp-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	c, err := makeCorpus(tmp, n, sizeMiB)
	if err != nil {
		return fmt.Errorf("making packages: %w", err)
	}
	// Backend processes run with tuning.GC's collector target; the
	// in-process runs get the same, so that the ratio measures the process
	// boundary and not a GC setting.
	tuning.GC()
	gcPercent := debug.SetGCPercent(-1)
	debug.SetGCPercent(gcPercent)
	fmt.Printf("rpmpgp bench: %d x %s, 1 x %d MiB package, %d CPUs, %s, GOGC=%d in and out of process\n\n",
		n, "rpmsign-rsa4096.rpm", sizeMiB, runtime.NumCPU(), runtime.Version(), gcPercent)

	fmt.Printf("%-10s %-16s %12s %12s %14s\n", "backend", "mode", "small pkgs", "per pkg", "large pkg")
	type row struct{ small, large time.Duration }
	// Every configuration is opened first and the runs interleave them,
	// so that a slow spell of the machine does not favour one of them.
	type config struct {
		name, mode string
		v          *core.Verifier
		best       row
		runs       []row
	}
	var configs []*config
	for _, name := range []string{"gocrypto", "openssl"} {
		for _, mode := range []string{"in-process", "out-of-process"} {
			b, closeFn, err := open(name, mode, bin)
			if err != nil {
				fmt.Printf("%-10s %-16s unavailable: %v\n", name, mode, err)
				continue
			}
			defer closeFn()
			v, err := verifier(b, c)
			if err != nil {
				return fmt.Errorf("%s %s: %w", name, mode, err)
			}
			configs = append(configs, &config{name: name, mode: mode, v: v, best: row{1<<63 - 1, 1<<63 - 1}})
		}
	}
	for range runs {
		for _, cf := range configs {
			small, large, err := measure(cf.v, c)
			if err != nil {
				return fmt.Errorf("%s %s: %w", cf.name, cf.mode, err)
			}
			cf.best = row{min(cf.best.small, small), min(cf.best.large, large)}
			cf.runs = append(cf.runs, row{small, large})
		}
	}
	results := map[string]*config{}
	for _, cf := range configs {
		results[cf.name+" "+cf.mode] = cf
		fmt.Printf("%-10s %-16s %12s %12s %14s\n", cf.name, cf.mode, ms(cf.best.small), us(cf.best.small/time.Duration(n)), ms(cf.best.large))
	}
	fmt.Println()
	// The throughput ratio is taken within each round (in-process and
	// out-of-process run back to back), and the median over the rounds is
	// reported with its range: on a noisy machine that is steadier than a
	// ratio of two independent bests.
	fmt.Printf("out-of-process throughput / in-process, median of %d paired rounds [min-max] (target >= 0.85x):\n", runs)
	for _, name := range []string{"gocrypto", "openssl"} {
		in, ok1 := results[name+" in-process"]
		out, ok2 := results[name+" out-of-process"]
		if ok1 && ok2 {
			var small, large []float64
			for i := range in.runs {
				small = append(small, ratio(in.runs[i].small, out.runs[i].small))
				large = append(large, ratio(in.runs[i].large, out.runs[i].large))
			}
			fmt.Printf("  %-10s small %s, large %s\n", name, spread(small), spread(large))
		}
	}
	g, ok1 := results["gocrypto out-of-process"]
	o, ok2 := results["openssl out-of-process"]
	if ok1 && ok2 {
		fmt.Printf("openssl / gocrypto (out of process, best runs) time: small %.2fx, large %.2fx\n", ratio(o.best.small, g.best.small), ratio(o.best.large, g.best.large))
	}
	fmt.Println()
	return startup(bin, c, starts, bulkRuns)
}

// ratio is a/b as a float.
func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

// spread renders the median and the range of xs: "0.91x [0.84-0.97]".
func spread(xs []float64) string {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return fmt.Sprintf("%.2fx [%.2f-%.2f]", xs[len(xs)/2], xs[0], xs[len(xs)-1])
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
func us(d time.Duration) string { return fmt.Sprintf("%.0f us", float64(d)/float64(time.Microsecond)) }

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

// verifier imports the keyring (not timed) and returns a verifier with
// rpm 6's defaults.
func verifier(b core.Backend, c *corpus) (*core.Verifier, error) {
	kr, res, err := core.LoadKeyring(b, c.keyring)
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		if !r.OK() {
			return nil, fmt.Errorf("key import: %+v", r)
		}
	}
	return core.NewVerifier(b, kr, core.StrictDefaults())
}

// measure verifies the small packages (as checksig does: NumCPU workers)
// and the large one, once each.
func measure(v *core.Verifier, c *corpus) (small, large time.Duration, err error) {
	start := time.Now()
	if err := verifyAll(v, c.small, runtime.NumCPU()); err != nil {
		return 0, 0, err
	}
	small = time.Since(start)
	start = time.Now()
	if err := verifyAll(v, []string{c.large}, 1); err != nil {
		return 0, 0, err
	}
	return small, time.Since(start), nil
}

// verifyAll verifies files as checksig does (Verifier.VerifyFiles with jobs
// workers); any failure is an error.
func verifyAll(v *core.Verifier, files []string, jobs int) error {
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

// startup times one `rpmpgp checksig` and one `rpmkeys --checksig` on one
// package (starts times each), and each over all the small packages
// (bulkRuns times each).
func startup(bin string, c *corpus, starts, bulkRuns int) error {
	pkg := c.small[0]
	rpmpgp := []string{filepath.Join(bin, "rpmpgp"), "checksig", "--keyring", c.keyring, pkg}
	fmt.Printf("one package, wall time incl. start-up (median [%s] of %d, interleaved with rpmkeys):\n", rangeName(starts), starts)
	if _, err := exec.LookPath("rpmkeys"); err != nil {
		ours, err := medianRuns([][]string{rpmpgp}, starts)
		if err != nil {
			return err
		}
		fmt.Printf("  rpmpgp checksig (gocrypto, out of process)  %s\n", ours[0])
		fmt.Println("  rpmkeys not installed: no reference")
		return nil
	}
	db, err := os.MkdirTemp("", "rpmpgp-bench-db-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(db)
	if out, err := exec.Command("rpmkeys", "--dbpath", db, "--import", c.keyring).CombinedOutput(); err != nil {
		return fmt.Errorf("rpmkeys --import: %v: %s", err, out)
	}
	one, err := medianRuns([][]string{rpmpgp, {"rpmkeys", "--dbpath", db, "--checksig", pkg}}, starts)
	if err != nil {
		return err
	}
	fmt.Printf("  rpmpgp checksig (gocrypto, out of process)  %s\n", one[0])
	fmt.Printf("  rpmkeys --checksig (rpm %s)               %s\n", rpmVersion(), one[1])
	fmt.Printf("  ratio rpmpgp / rpmkeys: %.2fx (target <= 2x)\n\n", ratio(one[0].median(), one[1].median()))

	all, err := medianRuns([][]string{
		append([]string{filepath.Join(bin, "rpmpgp"), "checksig", "--keyring", c.keyring}, c.small...),
		append([]string{"rpmkeys", "--dbpath", db, "--checksig"}, c.small...),
	}, bulkRuns)
	if err != nil {
		return err
	}
	fmt.Printf("%d packages, one command (median [%s] of %d): rpmpgp checksig %s, rpmkeys --checksig %s (%.2fx)\n", len(c.small), rangeName(bulkRuns), bulkRuns, all[0], all[1], ratio(all[0].median(), all[1].median()))
	return nil
}

// rpmVersion is the installed rpm's version ("?" if unknown).
func rpmVersion() string {
	out, err := exec.Command("rpm", "--version").Output()
	if err != nil {
		return "?"
	}
	f := bytes.Fields(out)
	return string(f[len(f)-1])
}

// timing is the wall times of one command line over several runs.
type timing []time.Duration

// median is the middle run.
func (t timing) median() time.Duration { return t[len(t)/2] }

// String renders the median with the range of the middle 80% of the runs
// (all of them below 10 runs): "16.2 ms [14.9-19.8]".
func (t timing) String() string {
	lo, hi := t[0], t[len(t)-1]
	if len(t) >= 10 {
		lo, hi = t[len(t)/10], t[len(t)-1-len(t)/10]
	}
	return fmt.Sprintf("%s [%.1f-%.1f]", ms(t.median()), float64(lo)/float64(time.Millisecond), float64(hi)/float64(time.Millisecond))
}

// rangeName names the range [timing.String] shows for n runs.
func rangeName(n int) string {
	if n >= 10 {
		return "10th-90th percentile"
	}
	return "min-max"
}

// medianRuns runs each command line n times, in turn (so that a slow spell
// of the machine hits them alike), and returns each one's sorted wall
// times; a non-zero exit is an error.
func medianRuns(argvs [][]string, n int) ([]timing, error) {
	ds := make([]timing, len(argvs))
	for range n {
		for i, argv := range argvs {
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
			start := time.Now()
			if err := cmd.Run(); err != nil {
				return nil, fmt.Errorf("%s: %w", argv[0], err)
			}
			ds[i] = append(ds[i], time.Since(start))
		}
	}
	for _, d := range ds {
		slices.Sort(d)
	}
	return ds, nil
}

// makeCorpus writes the packages under dir.
func makeCorpus(dir string, n, sizeMiB int) (*corpus, error) {
	fixtures := testutil.Fixtures()
	base, err := os.ReadFile(filepath.Join(fixtures, "rpms", "rpmsign-rsa4096.rpm"))
	if err != nil {
		return nil, err
	}
	c := &corpus{keyring: filepath.Join(fixtures, "keys", "rsa4096.asc")}
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("small-%04d.rpm", i))
		if err := os.WriteFile(p, base, 0o644); err != nil {
			return nil, err
		}
		c.small = append(c.small, p)
	}
	large, err := largePackage(base, sizeMiB<<20, filepath.Join(fixtures, "keys", "rsa4096.secret.asc"))
	if err != nil {
		return nil, err
	}
	c.large = filepath.Join(dir, "large.rpm")
	return c, os.WriteFile(c.large, large, 0o644)
}

// RPM tags rewritten in the large package (include/rpm/rpmtag.h).
const (
	tagPayloadDigest    = 5092
	tagPayloadDigestAlt = 5097
	sigTagRSA           = 268
)

// largePackage gives base a random payload of size bytes, fixes the
// payload digest in the main header and re-signs the header.
func largePackage(base []byte, size int, secretKey string) ([]byte, error) {
	p, err := rpmgen.Parse(base)
	if err != nil {
		return nil, err
	}
	payload := make([]byte, size)
	if _, err := rand.Read(payload); err != nil {
		return nil, err
	}
	region, entries, _, err := rpmgen.DecodeHeader(p.Header)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(payload)
	found := false
	var kept []rpmgen.Entry
	for _, e := range entries {
		switch e.Tag {
		case tagPayloadDigest:
			e = rpmgen.StringArray(tagPayloadDigest, hex.EncodeToString(sum[:]))
			found = true
		case tagPayloadDigestAlt:
			continue // over the uncompressed payload, which this one is not
		}
		kept = append(kept, e)
	}
	if !found {
		return nil, errors.New("base package has no payload digest")
	}
	header, err := rpmgen.EncodeHeader(region, kept)
	if err != nil {
		return nil, err
	}
	p.Header, p.Payload = header, payload
	sig, err := signHeader(header, secretKey)
	if err != nil {
		return nil, err
	}
	return p.Resign(append(p.DigestEntries(), rpmgen.Bin(sigTagRSA, sig))...)
}

// signHeader makes a v4 binary-document signature packet over header.
func signHeader(header []byte, secretKey string) ([]byte, error) {
	f, err := os.Open(secretKey)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ring, err := openpgp.ReadArmoredKeyRing(f)
	if err != nil {
		return nil, err
	}
	if len(ring) == 0 {
		return nil, errors.New("no key in " + secretKey)
	}
	var out bytes.Buffer
	cfg := &packet.Config{DefaultHash: 0}
	if err := openpgp.DetachSign(&out, ring[0], bytes.NewReader(header), cfg); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
