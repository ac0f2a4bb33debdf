// Command fipsprovider builds OpenSSL's FIPS provider from Debian's own
// openssl source package and writes an OpenSSL configuration that runs in
// FIPS mode with it (make fips-provider; .ci/run uses it). Debian 12 ships
// no FIPS provider, so this is how rpmpgp's FIPS path is tested working, not
// only refusing.
//
// The result lives in <cache>/<source version>/ (fips.so, fipsmodule.cnf
// written by `openssl fipsinstall`, openssl.cnf) and is reused while it
// still loads; <cache>/current points at the last good one. The command
// prints the path of openssl.cnf on stdout; point OPENSSL_CONF (or
// RPMPGP_FIPS_CONF, for the tests and make conformance) at it.
//
// Steps (each named in errors): pick the source version (the one the
// installed libssl3 was built from when the archive still has it, else the
// newest the archive offers), `apt-get source --download-only openssl=V`,
// `dpkg-source -x`, `./Configure enable-fips` with Debian's options
// (debian/rules CONFARGS), `make build_generated providers/fips.so`,
// `openssl fipsinstall`, then a check that `openssl list -providers` under
// the new configuration shows the fips provider active and MD5 refused.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// defaultCache is where built providers are kept between runs.
const defaultCache = "/var/cache/rpmpgp/fips"

func main() {
	cache := flag.String("cache", defaultCache, "directory holding built providers, one subdirectory per source version")
	version := flag.String("version", "", "openssl source version to build (default: the installed libssl3's, else the newest available)")
	addSrc := flag.Bool("add-deb-src", false, "when apt knows no openssl source package, add deb-src entries for the configured Debian suites and run apt-get update")
	check := flag.Bool("check", false, "only print the configuration of a valid cached provider; fail when there is none")
	flag.Parse()
	start := time.Now()
	conf, built, err := run(*cache, *version, *addSrc, *check)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fipsprovider: %v\n", err)
		os.Exit(1)
	}
	what := "reused"
	if built {
		what = "built"
	}
	fmt.Fprintf(os.Stderr, "fipsprovider: %s %s in %.1fs\n", what, conf, time.Since(start).Seconds())
	fmt.Println(conf)
}

// run returns the configuration path of a valid provider, building one
// unless check is set; built reports whether it was built now. The first
// candidate source version with a valid build in the cache is used;
// otherwise the candidates are built in order until one succeeds. When apt
// cannot list candidates, the last good build ("current") is used.
func run(cache, version string, addSrc, check bool) (conf string, built bool, err error) {
	if check {
		conf, err := cached(cache, version)
		return conf, false, err
	}
	versions, err := candidates(version, addSrc)
	if err != nil {
		if conf, cerr := cached(cache, ""); cerr == nil {
			fmt.Fprintf(os.Stderr, "fipsprovider: %v; using the last good build\n", err)
			return conf, false, nil
		}
		return "", false, err
	}
	for _, v := range versions {
		if conf, err := cached(cache, v); err == nil {
			return conf, false, setCurrent(cache, v)
		}
	}
	conf, errs := buildFirst(cache, versions)
	if conf != "" {
		return conf, true, nil
	}
	if addSrc && version == "" {
		// Stale package lists name source versions the archive no longer
		// has: refresh them once and try again.
		if out, err := exec.Command("apt-get", "update", "-qq").CombinedOutput(); err != nil {
			return "", false, fmt.Errorf("apt-get update: %w\n%s", err, out)
		}
		if versions, err = candidates(version, addSrc); err != nil {
			return "", false, err
		}
		var more []error
		if conf, more = buildFirst(cache, versions); conf != "" {
			return conf, true, nil
		}
		errs = append(errs, more...)
	}
	return "", false, fmt.Errorf("no FIPS provider could be built: %w", errors.Join(errs...))
}

// buildFirst builds the versions in order until one succeeds and points
// "current" at it; it returns that configuration ("" when none built) and
// the failures.
func buildFirst(cache string, versions []string) (string, []error) {
	var errs []error
	for _, v := range versions {
		conf, err := build(cache, v)
		if err == nil {
			if err := setCurrent(cache, v); err != nil {
				return "", append(errs, err)
			}
			return conf, errs
		}
		errs = append(errs, fmt.Errorf("openssl %s: %w", v, err))
		fmt.Fprintf(os.Stderr, "fipsprovider: %v\n", errs[len(errs)-1])
	}
	return "", errs
}
