package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"time"
)

// configureArgs are Debian 12's openssl CONFARGS (debian/rules, amd64)
// plus enable-fips, so that the provider is built as Debian builds its
// libcrypto; only providers/fips.so is kept.
var configureArgs = []string{
	"enable-fips", "shared",
	"--prefix=/usr", "--openssldir=/usr/lib/ssl", "--libdir=lib/x86_64-linux-gnu",
	"no-idea", "no-mdc2", "no-rc5", "no-zlib", "no-ssl3", "no-ssl3-method",
	"enable-rfc3779", "enable-cms", "no-capieng", "no-rdrand",
	"enable-ec_nistp_64_gcc_128",
}

// target is Configure's platform name: Debian's own (debian-targets.patch)
// on amd64, OpenSSL's generic Linux one elsewhere.
func target() string {
	switch runtime.GOARCH {
	case "amd64":
		return "debian-amd64"
	case "arm64":
		return "debian-arm64"
	}
	return "linux-generic64"
}

// build builds the provider of source version v into cache/v and returns
// its openssl.cnf. Work happens in a scratch directory renamed into place
// only after the result checks out, so a failed or interrupted build
// leaves no half-built cache entry.
func build(cache, v string) (string, error) {
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	work, err := os.MkdirTemp(cache, ".build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	step := func(dir, what string, name string, args ...string) error {
		start := time.Now()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		log, err := os.Create(filepath.Join(work, what+".log"))
		if err != nil {
			return err
		}
		defer log.Close()
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Run(); err != nil {
			tail, _ := exec.Command("tail", "-n", "20", log.Name()).Output()
			return fmt.Errorf("%s: %w\n%s", what, err, tail)
		}
		fmt.Fprintf(os.Stderr, "fipsprovider: %s: %.1fs\n", what, time.Since(start).Seconds())
		return nil
	}
	if err := step(work, "download", "apt-get", "source", "-qq", "--download-only", "openssl="+v); err != nil {
		return "", err
	}
	dscs, _ := filepath.Glob(filepath.Join(work, "openssl_*.dsc"))
	if len(dscs) != 1 {
		return "", fmt.Errorf("download: want one openssl .dsc, found %d", len(dscs))
	}
	src := filepath.Join(work, "src")
	if err := step(work, "unpack", "dpkg-source", "-x", dscs[0], src); err != nil {
		return "", err
	}
	if err := step(src, "configure", "./Configure", append(configureArgs, target())...); err != nil {
		return "", err
	}
	jobs := "-j" + strconv.Itoa(runtime.NumCPU())
	if err := step(src, "make", "make", jobs, "build_generated"); err != nil {
		return "", err
	}
	if err := step(src, "make fips.so", "make", jobs, "providers/fips.so"); err != nil {
		return "", err
	}
	out := filepath.Join(work, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		return "", err
	}
	data, err := os.ReadFile(filepath.Join(src, "providers", "fips.so"))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(out, "fips.so"), data, 0o755); err != nil {
		return "", err
	}
	final := filepath.Join(cache, v)
	if err := step(out, "fipsinstall", "openssl", "fipsinstall", "-module", filepath.Join(out, "fips.so"),
		"-out", filepath.Join(out, "fipsmodule.cnf"), "-provider_name", "fips"); err != nil {
		return "", err
	}
	// The configuration names the final paths; it is checked after the
	// rename.
	if err := os.WriteFile(filepath.Join(out, "openssl.cnf"), []byte(opensslConf(final)), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(out, "VERSION"), []byte(v+"\n"), 0o644); err != nil {
		return "", err
	}
	if err := os.RemoveAll(final); err != nil {
		return "", err
	}
	if err := os.Rename(out, final); err != nil {
		return "", err
	}
	conf := filepath.Join(final, "openssl.cnf")
	if err := validate(conf); err != nil {
		return "", err
	}
	return conf, nil
}
