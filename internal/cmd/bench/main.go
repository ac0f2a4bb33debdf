// Command bench answers the rows of issue 16's table in one run, on
// whatever machine runs it, against the references installed there:
//
//   - 1000 small RSA-4096 packages in one command, per backend, against
//     `rpmkeys --checksig` on the same packages;
//   - one 20 MiB package and one 1 GiB package (made on the fly, streamed,
//     never held in memory, removed after its rows) against
//     `openssl dgst -sha256` of the same file, with the peak memory of
//     rpmpgp's process tree (host and backend);
//   - `rpmpgp verify` of a detached signature over 100 MiB of data against
//     `openssl dgst -sha256` of the data, with sqv and gpgv on the same
//     signature, and the peak memory (also over the 1 GiB file);
//   - one small package, start-up included, against `rpmkeys --checksig`,
//     also with a user config file in place (which the early start of the
//     backend reads, core/plugin/early; the row says so if it was not used),
//     and, in the same rounds, go-plugin's own floor: a host and plugin
//     that do nothing but the handshake and one call (floor/);
//   - 10,000 packages in one command (text and JSON output): peak memory
//     of the process tree and time to the first verdict line, against
//     rpmkeys;
//   - 100,000 packages in one command, listed with --files-from (text and
//     JSON output): peak memory and time to the first verdict;
//   - out-of-process ÷ in-process throughput per backend;
//   - with a resident backend (--resident: its own $XDG_RUNTIME_DIR in
//     the bench's directory, the instance started by the untimed warm-up
//     run, stopped at the end): one small package against rpmkeys, the
//     20 MiB package against openssl dgst, and 1000 small packages per
//     backend against rpmkeys, in the same rounds as the rows without.
//
// Every workload runs in interleaved rounds (each command once per round,
// the order reversed every other round), and ratios are taken inside each
// round; the table shows medians with the range over the rounds. Peak
// memory is sampled from /proc over the whole process tree (see treePeak):
// the backend is not a child the host waits for, so getrusage and
// /usr/bin/time miss it. Every verification must pass: a benchmark of
// failing verification would measure nothing.
//
// The small packages are hard links to a copy of
// testdata/rpms/rpmsign-rsa4096.rpm (rpmsign-made); the larger ones are
// that package with another payload, its digests recomputed and its
// header signed again with testdata/keys/rsa4096.secret.asc.
//
//	go run ./internal/cmd/bench -bin bin          # full run, a few minutes
//	go run ./internal/cmd/bench -bin bin -quick   # fewer rounds, no 1 GiB package
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/rpmpgp/rpmpgp/core/plugin"
)

// options are the command-line flags.
type options struct {
	bin         string
	rounds      int // rounds of the throughput workloads
	coldRounds  int // rounds of the one-package start-up
	manyRounds  int // rounds of the many-packages run
	bigRounds   int // rounds of the 1 GiB package
	small       int // number of small packages
	many        int // number of packages in the many-packages run
	huge        int // number of packages in the scale run (0: none)
	midMiB      int
	bigMiB      int // 0: no big package
	detachedMiB int
	only        string // run only the steps whose names contain it ("": all)
	keep        bool   // keep the generated corpus for profiling
}

func main() {
	var o options
	quick := flag.Bool("quick", false, "a developer's run of a minute or two: 3 rounds, 10 start-ups, 1 many-packages round, no 1 GiB package, no scale run (explicit flags still win)")
	flag.StringVar(&o.bin, "bin", "bin", "directory with rpmpgp and the backend binaries (make build)")
	flag.IntVar(&o.rounds, "rounds", 9, "interleaved rounds of each throughput workload (odd: the median is a round's)")
	flag.IntVar(&o.coldRounds, "cold-rounds", 31, "interleaved rounds of the one-package start-up")
	flag.IntVar(&o.manyRounds, "many-rounds", 3, "interleaved rounds of the many-packages run")
	flag.IntVar(&o.bigRounds, "big-rounds", 3, "interleaved rounds over the big package")
	flag.IntVar(&o.small, "small", 1000, "number of small packages in the one-command workload")
	flag.IntVar(&o.many, "many", 10000, "number of packages in the many-packages workload")
	flag.IntVar(&o.huge, "huge", 100000, "number of packages in the scale run, given with --files-from; peak memory and first verdict only (0: none)")
	flag.IntVar(&o.midMiB, "mid", 20, "payload of the mid-size package, MiB")
	flag.IntVar(&o.bigMiB, "big", 1024, "payload of the big package, MiB (0: none)")
	flag.IntVar(&o.detachedMiB, "detached", 100, "size of the data under the detached signature, MiB")
	flag.StringVar(&o.only, "only", "", `run only the steps whose names contain this ("detached", "small", "many", ...)`)
	flag.BoolVar(&o.keep, "keep", false, "keep the generated packages, keys and data (their directory is printed) for profiling by hand")
	flag.Parse()
	if *quick {
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for name, v := range map[string]*int{"rounds": &o.rounds, "cold-rounds": &o.coldRounds, "many-rounds": &o.manyRounds, "big": &o.bigMiB, "huge": &o.huge} {
			if !set[name] {
				*v = map[string]int{"rounds": 3, "cold-rounds": 10, "many-rounds": 1, "big": 0, "huge": 0}[name]
			}
		}
	}
	if err := bench(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func bench(o options) error {
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	o.bin = bin
	tmp, err := os.MkdirTemp("", "rpmpgp-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintf(os.Stderr, "bench: -keep: the corpus is kept in %s; remove it by hand\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	start := time.Now()
	c, err := makeCorpus(tmp, max(o.small, 1), max(o.small, o.many, o.huge, 1), o.midMiB, o.detachedMiB)
	if err != nil {
		return fmt.Errorf("making the corpus: %w", err)
	}
	fmt.Printf("rpmpgp bench: %d CPUs, %s, load average %s\n", runtime.NumCPU(), runtime.Version(), loadavg())
	fmt.Printf("references: rpm %s, %s, %s, %s\n", version("rpm", "--version"), version("openssl", "version"), version("sqv", "--version"), version("gpgv", "--version"))
	fmt.Printf("peak memory: per-process VmHWM sampled from /proc every %s over the whole process tree, summed\n", sampleEvery)
	fmt.Printf("corpus made in %s under %s\n", fmtDuration(time.Since(start).Seconds()), tmp)
	fmt.Println()
	// Short: the resident instances' socket paths have at most 108 bytes.
	run, err := os.MkdirTemp("", "rb")
	if err != nil {
		return err
	}
	defer os.RemoveAll(run)
	defer stopResident(run)
	b := &bencher{o: o, c: c, env: []string{"XDG_CONFIG_HOME=" + filepath.Join(tmp, "xdg"), "GNUPGHOME=" + filepath.Join(tmp, "gnupg"), "XDG_RUNTIME_DIR=" + run}}
	if err := os.MkdirAll(filepath.Join(tmp, "gnupg"), 0o700); err != nil {
		return err
	}
	b.configHome = filepath.Join(tmp, "xdg-config")
	if err := os.MkdirAll(filepath.Join(b.configHome, "rpmpgp"), 0o700); err != nil {
		return err
	}
	site := "# What a site sets (the command line still names the backend).\nbackend = \"gocrypto\"\nfips = \"auto\"\n"
	if err := os.WriteFile(filepath.Join(b.configHome, "rpmpgp", "config.toml"), []byte(site), 0o600); err != nil {
		return err
	}
	if err := b.rpmdb(); err != nil {
		return err
	}
	steps := []struct {
		name string
		fn   func() ([]row, error)
	}{
		{"small packages", b.smallRows},
		{"mid-size package", b.midRows},
		{"big package", b.bigRows},
		{"detached signature", b.detachedRows},
		{"start-up", b.coldRows},
		{"many packages", b.manyRows},
		{"scale", b.hugeRows},
		{"in-process throughput", func() ([]row, error) { return throughputRows(o.bin, c, o.rounds) }},
	}
	var rows []row
	for _, s := range steps {
		if !strings.Contains(s.name, o.only) {
			continue
		}
		t := time.Now()
		rs, err := s.fn()
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Fprintf(os.Stderr, "bench: %s done in %s\n", s.name, fmtDuration(time.Since(t).Seconds()))
		rows = append(rows, rs...)
	}
	writeTable(os.Stdout, rows)
	fmt.Printf("\nratios are rpmpgp / reference within each round (throughput: out-of-process ÷ in-process); median [min - max] over the rounds; total %s\n", fmtDuration(time.Since(start).Seconds()))
	return nil
}

// bencher runs the command-line workloads.
type bencher struct {
	o   options
	c   *corpus
	db  string // rpmkeys' database with the key imported; "" without rpmkeys
	env []string
	// configHome is an XDG_CONFIG_HOME whose rpmpgp/config.toml sets what
	// a site's would (the start-up row with a config file).
	configHome string
}

// rpmdb imports the key into a fresh rpm database for rpmkeys.
func (b *bencher) rpmdb() error {
	if _, err := exec.LookPath("rpmkeys"); err != nil {
		return nil
	}
	b.db = filepath.Join(b.c.dir, "rpmdb")
	if err := os.MkdirAll(b.db, 0o755); err != nil {
		return err
	}
	if out, err := exec.Command("rpmkeys", "--dbpath", b.db, "--import", b.c.keyring).CombinedOutput(); err != nil {
		return fmt.Errorf("rpmkeys --import: %v: %s", err, out)
	}
	return nil
}

// spec is one command of a workload.
type spec struct {
	name string
	argv []string
	mem  bool     // sample the process tree's memory
	env  []string // added to the bench's environment
}

// rpmpgp is `rpmpgp SUBCOMMAND --backend BACKEND ...` with the bench's
// certificate only.
func (b *bencher) rpmpgp(sub, backend string, args ...string) []string {
	argv := []string{filepath.Join(b.o.bin, "rpmpgp"), sub, "--backend", backend, "--plugin-dir", b.o.bin, "--no-system-keys", "--keyring", b.c.keyring}
	return append(argv, args...)
}

// rpmkeys is `rpmkeys --checksig` over pkgs, or nil without rpmkeys.
func (b *bencher) rpmkeys(pkgs ...string) []string {
	if b.db == "" {
		return nil
	}
	return append([]string{"rpmkeys", "--dbpath", b.db, "--checksig"}, pkgs...)
}

// dgst is `openssl dgst -sha256 FILE`, or nil without openssl.
func dgst(file string) []string {
	if _, err := exec.LookPath("openssl"); err != nil {
		return nil
	}
	return []string{"openssl", "dgst", "-sha256", file}
}

// results are the runs of each spec, by name; absent is the reason a spec
// could not run (its program missing, or its warm-up run failing).
type results struct {
	runs   map[string][]run
	absent map[string]string
}

// wall is a spec's wall times.
func (r results) wall(name string) sample {
	var s sample
	for _, x := range r.runs[name] {
		s = append(s, seconds(x.wall))
	}
	return s
}

// peak is a spec's peak memory.
func (r results) peak(name string) sample {
	var s sample
	for _, x := range r.runs[name] {
		s = append(s, float64(x.peak))
	}
	return s
}

// first is a spec's time to its first output line.
func (r results) first(name string) sample {
	var s sample
	for _, x := range r.runs[name] {
		s = append(s, seconds(x.firstLine))
	}
	return s
}

// rounds runs the specs n times, interleaved: each spec once per round, in
// reverse order every other round. Each spec runs once first, untimed, to
// warm the page cache and to find out whether it runs at all.
func (b *bencher) rounds(n int, specs []spec) (results, error) {
	r := results{runs: map[string][]run{}, absent: map[string]string{}}
	var live []spec
	for _, s := range specs {
		if s.argv == nil {
			r.absent[s.name] = "not installed"
			continue
		}
		if _, err := exec.LookPath(s.argv[0]); err != nil {
			r.absent[s.name] = "not installed"
			continue
		}
		if _, err := runCmd(s.argv, slices.Concat(b.env, s.env), false); err != nil {
			r.absent[s.name] = "fails: " + firstLine(err.Error())
			continue
		}
		live = append(live, s)
	}
	for i := range n {
		for j := range live {
			s := live[j]
			if i%2 == 1 {
				s = live[len(live)-1-j]
			}
			x, err := runCmd(s.argv, slices.Concat(b.env, s.env), s.mem)
			if err != nil {
				return r, fmt.Errorf("%s: %w", s.name, err)
			}
			r.runs[s.name] = append(r.runs[s.name], x)
		}
	}
	return r, nil
}

// timeRow compares the wall times of ours and ref.
func (r results) timeRow(workload, ours, ref, refName string, t target) row {
	x := row{workload: workload, ours: r.wall(ours), oursUnit: unitTime, target: t}
	if why, ok := r.absent[ours]; ok {
		x.note = ours + " " + why
		return x
	}
	if _, ok := r.absent[ref]; !ok && ref != "" {
		x.refName, x.ref = refName, r.wall(ref)
	}
	return x
}

// backends are the backends of the per-backend rows.
var backends = []string{"gocrypto", "openssl", "internal-legacy"}

func (b *bencher) smallRows() ([]row, error) {
	pkgs := b.c.small
	specs := []spec{{name: "rpmkeys", argv: b.rpmkeys(pkgs...)}}
	for _, be := range backends {
		specs = append(specs,
			spec{name: be, argv: b.rpmpgp("checksig", be, pkgs...)},
			spec{name: be + " resident", argv: b.rpmpgp("checksig", be, append([]string{"--resident"}, pkgs...)...)})
	}
	r, err := b.rounds(b.o.rounds, specs)
	if err != nil {
		return nil, err
	}
	var rows []row
	for _, be := range backends {
		rows = append(rows, r.timeRow(fmt.Sprintf("%d small RSA-4096 pkgs, one command (%s)", len(pkgs), be), be, "rpmkeys", "rpmkeys", target{limit: 0.5, unit: unitRatio}))
	}
	for _, be := range backends {
		rows = append(rows, r.timeRow(fmt.Sprintf("%d small RSA-4096 pkgs, one command, resident backend (%s)", len(pkgs), be), be+" resident", "rpmkeys", "rpmkeys", target{limit: 0.5, unit: unitRatio}))
	}
	return rows, nil
}

func (b *bencher) midRows() ([]row, error) {
	specs := []spec{{name: "openssl dgst", argv: dgst(b.c.mid)}}
	for _, be := range backends[:2] {
		specs = append(specs,
			spec{name: be, argv: b.rpmpgp("checksig", be, b.c.mid)},
			spec{name: be + " resident", argv: b.rpmpgp("checksig", be, "--resident", b.c.mid)})
	}
	r, err := b.rounds(b.o.rounds, specs)
	if err != nil {
		return nil, err
	}
	var rows []row
	for _, be := range backends[:2] {
		rows = append(rows, r.timeRow(fmt.Sprintf("one %d MiB pkg (%s)", b.o.midMiB, be), be, "openssl dgst", "openssl dgst -sha256", target{limit: 1.3, unit: unitRatio}))
	}
	for _, be := range backends[:2] {
		rows = append(rows, r.timeRow(fmt.Sprintf("one %d MiB pkg, resident backend (%s)", b.o.midMiB, be), be+" resident", "openssl dgst", "openssl dgst -sha256", target{limit: 1.3, unit: unitRatio}))
	}
	return rows, nil
}

func (b *bencher) bigRows() ([]row, error) {
	if b.o.bigMiB == 0 {
		return nil, nil
	}
	if err := b.c.makeBig(b.o.bigMiB); err != nil {
		return nil, fmt.Errorf("%d MiB package: %w", b.o.bigMiB, err)
	}
	defer os.Remove(b.c.big)
	// The big package doubles as the data of a detached signature over
	// the same number of bytes: memory must not grow with the data.
	sig := b.c.big + ".sig"
	if err := signFile(b.c.big, sig, b.c.secret); err != nil {
		return nil, err
	}
	defer os.Remove(sig)
	specs := []spec{{name: "openssl dgst", argv: dgst(b.c.big)}}
	for _, be := range backends[:2] {
		specs = append(specs, spec{name: be, argv: b.rpmpgp("checksig", be, b.c.big), mem: true})
	}
	specs = append(specs, spec{name: "verify", argv: b.rpmpgp("verify", "gocrypto", sig, b.c.big), mem: true})
	r, err := b.rounds(b.o.bigRounds, specs)
	if err != nil {
		return nil, err
	}
	size := fmt.Sprintf("%d MiB", b.o.bigMiB)
	if b.o.bigMiB%1024 == 0 {
		size = fmt.Sprintf("%d GiB", b.o.bigMiB/1024)
	}
	var rows []row
	for _, be := range backends[:2] {
		rows = append(rows,
			r.timeRow(fmt.Sprintf("one %s pkg (%s)", size, be), be, "openssl dgst", "openssl dgst -sha256", target{limit: 1.15, unit: unitRatio}),
			r.peakRow(fmt.Sprintf("one %s pkg, peak memory host+backend (%s)", size, be), be))
	}
	rows = append(rows,
		r.timeRow(fmt.Sprintf("detached sig over %s, rpmpgp verify (gocrypto)", size), "verify", "openssl dgst", "openssl dgst -sha256", target{limit: 1.2, unit: unitRatio}),
		r.peakRow(fmt.Sprintf("detached sig over %s, peak memory host+backend", size), "verify"))
	return rows, nil
}

// peakRow reports a spec's peak memory against the 64 MiB target.
func (r results) peakRow(workload, name string) row {
	x := row{workload: workload, ours: r.peak(name), oursUnit: unitBytes, target: target{limit: 64 << 20, unit: unitBytes, worst: true}}
	if why, ok := r.absent[name]; ok {
		x.note = name + " " + why
	}
	return x
}

func (b *bencher) detachedRows() ([]row, error) {
	sig, data := b.c.dataSig, b.c.data
	specs := []spec{
		{name: "openssl dgst", argv: dgst(data)},
		{name: "verify", argv: b.rpmpgp("verify", "gocrypto", sig, data), mem: true},
		{name: "verify-openssl", argv: b.rpmpgp("verify", "openssl", sig, data), mem: true},
		{name: "sqv", argv: []string{"sqv", "--keyring", b.c.keyring, sig, data}},
		{name: "gpgv", argv: []string{"gpgv", "--keyring", b.c.gpgKeyring, sig, data}},
	}
	r, err := b.rounds(b.o.rounds, specs)
	if err != nil {
		return nil, err
	}
	w := fmt.Sprintf("detached sig over %d MiB", b.o.detachedMiB)
	ref := "openssl dgst -sha256"
	return []row{
		r.timeRow(w+", rpmpgp verify (gocrypto)", "verify", "openssl dgst", ref, target{limit: 1.2, unit: unitRatio}),
		r.peakRow(w+", peak memory host+backend (gocrypto)", "verify"),
		r.timeRow(w+", rpmpgp verify (openssl)", "verify-openssl", "openssl dgst", ref, target{limit: 1.2, unit: unitRatio}),
		r.peakRow(w+", peak memory host+backend (openssl)", "verify-openssl"),
		r.timeRow(w+", sqv (for comparison)", "sqv", "openssl dgst", ref, target{}),
		r.timeRow(w+", gpgv (for comparison)", "gpgv", "openssl dgst", ref, target{}),
	}, nil
}

func (b *bencher) coldRows() ([]row, error) {
	pkg := b.c.small[0]
	floor, floorErr := buildFloor(b.c.dir)
	var floorArgv []string
	if floorErr == nil {
		floorArgv = []string{floor}
	}
	r, err := b.rounds(b.o.coldRounds, []spec{
		{name: "floor", argv: floorArgv},
		{name: "gocrypto", argv: b.rpmpgp("checksig", "gocrypto", pkg)},
		{name: "gocrypto resident", argv: b.rpmpgp("checksig", "gocrypto", "--resident", pkg)},
		{name: "rpmkeys", argv: b.rpmkeys(pkg)},
		{name: "version", argv: []string{filepath.Join(b.o.bin, "rpmpgp"), "--version"}},
		{name: "gocrypto config", argv: b.rpmpgp("checksig", "gocrypto", pkg), env: []string{"XDG_CONFIG_HOME=" + b.configHome}},
	})
	if err != nil {
		return nil, err
	}
	withConfig := r.timeRow("one small pkg, start-up included, with a user config file (gocrypto, for comparison)", "gocrypto config", "rpmkeys", "rpmkeys", target{})
	if err := b.startedEarly(b.rpmpgp("checksig", "gocrypto", pkg), "XDG_CONFIG_HOME="+b.configHome); err != nil {
		withConfig.note = err.Error()
	}
	// What any command with a go-plugin backend started per command takes
	// at least on this machine (internal/cmd/bench/floor).
	floorRow := r.timeRow("go-plugin's own floor: host starts plugin, handshake, one call, exit (for comparison)", "floor", "rpmkeys", "rpmkeys", target{})
	if floorErr != nil {
		floorRow.note = firstLine(floorErr.Error())
	}
	return []row{
		r.timeRow("one small pkg, start-up included (gocrypto)", "gocrypto", "rpmkeys", "rpmkeys", target{limit: 2, unit: unitRatio}),
		r.timeRow("one small pkg, start-up included, resident backend (gocrypto)", "gocrypto resident", "rpmkeys", "rpmkeys", target{limit: 2, unit: unitRatio}),
		r.timeRow("rpmpgp --version alone (for comparison)", "version", "rpmkeys", "rpmkeys", target{}),
		withConfig,
		floorRow,
	}, nil
}

// startedEarly runs argv once with the debug log and reports whether the
// backend started early was the one used (the row with a config file
// measures that start, core/plugin/early).
func (b *bencher) startedEarly(argv []string, env ...string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = slices.Concat(os.Environ(), b.env, env, []string{"RPMPGP_LOG_LEVEL=debug"})
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w", argv[0], err)
	}
	if !bytes.Contains(out, []byte("backend started early: ")) {
		why := "no debug line says why"
		for line := range strings.Lines(string(out)) {
			if strings.Contains(line, "early") {
				why = strings.TrimSpace(line)
			}
		}
		return fmt.Errorf("the early start was not used: %s", why)
	}
	return nil
}

func (b *bencher) manyRows() ([]row, error) {
	pkgs := b.c.pkgs[:b.o.many]
	r, err := b.rounds(b.o.manyRounds, []spec{
		{name: "text", argv: b.rpmpgp("checksig", "gocrypto", pkgs...), mem: true},
		{name: "json", argv: b.rpmpgp("checksig", "gocrypto", append([]string{"-o", "json"}, pkgs...)...), mem: true},
		{name: "rpmkeys", argv: b.rpmkeys(pkgs...), mem: true},
	})
	if err != nil {
		return nil, err
	}
	n := fmt.Sprintf("%d pkgs, one command", len(pkgs))
	var rows []row
	for _, out := range []string{"text", "json"} {
		mem := r.peakRow(fmt.Sprintf("%s, peak memory host+backend (%s)", n, out), out)
		first := row{workload: fmt.Sprintf("%s, time to first verdict (%s)", n, out), ours: r.first(out), oursUnit: unitTime, target: target{limit: 0.1, unit: unitTime}}
		if _, ok := r.absent["rpmkeys"]; !ok {
			mem.refName, mem.ref = "rpmkeys", r.peak("rpmkeys")
			first.refName, first.ref = "rpmkeys", r.first("rpmkeys")
		}
		if why, ok := r.absent[out]; ok {
			first.note = out + " " + why
		}
		rows = append(rows, mem, first, r.timeRow(fmt.Sprintf("%s, wall time (%s)", n, out), out, "rpmkeys", "rpmkeys", target{}))
	}
	return rows, nil
}

// hugeRows runs checksig once over -huge packages, listed in a
// --files-from file (that many paths overflow an argument list), in text
// and JSON: the peak memory of host and backend and the time to the first
// verdict, which must not grow with the number of packages. rpmkeys takes
// no list file, so the rows have no reference.
func (b *bencher) hugeRows() ([]row, error) {
	if b.o.huge == 0 {
		return nil, nil
	}
	list := filepath.Join(b.c.dir, "huge.list")
	if err := os.WriteFile(list, []byte(strings.Join(b.c.pkgs[:b.o.huge], "\n")+"\n"), 0o644); err != nil {
		return nil, err
	}
	defer os.Remove(list)
	r, err := b.rounds(1, []spec{
		{name: "text", argv: b.rpmpgp("checksig", "gocrypto", "--files-from", list), mem: true},
		{name: "json", argv: b.rpmpgp("checksig", "gocrypto", "-o", "json", "--files-from", list), mem: true},
	})
	if err != nil {
		return nil, err
	}
	n := fmt.Sprintf("%d pkgs (--files-from)", b.o.huge)
	var rows []row
	for _, out := range []string{"text", "json"} {
		first := row{workload: fmt.Sprintf("%s, time to first verdict (%s)", n, out), ours: r.first(out), oursUnit: unitTime, target: target{limit: 0.1, unit: unitTime}}
		if why, ok := r.absent[out]; ok {
			first.note = out + " " + why
		}
		rows = append(rows, r.peakRow(fmt.Sprintf("%s, peak memory host+backend (%s)", n, out), out), first)
	}
	return rows, nil
}

// loadavg is the first three fields of /proc/loadavg.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// version is the first line a program prints for its version ("NAME
// not installed" if it cannot be run).
func version(argv ...string) string {
	out, err := exec.Command(argv[0], argv[1:]...).Output()
	if err != nil {
		return argv[0] + " not installed"
	}
	return firstLine(string(bytes.TrimSpace(out)))
}

// firstLine is s up to its first newline.
func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// stopResident stops (SIGTERM) the resident backends recorded under run
// (their $XDG_RUNTIME_DIR) and waits up to 5 s for each to go.
func stopResident(run string) {
	_, _ = plugin.StopResidentIn(run, 5*time.Second)
}
