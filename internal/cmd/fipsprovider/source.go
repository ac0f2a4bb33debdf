package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// installedVersion is the source version of the installed libssl3, the
// libcrypto the provider will be loaded into.
func installedVersion() (string, error) {
	out, err := exec.Command("dpkg-query", "-W", "-f=${source:Version}", "libssl3").Output()
	if err != nil {
		return "", fmt.Errorf("dpkg-query libssl3: %w", err)
	}
	v := strings.TrimSpace(string(out))
	if v == "" {
		return "", fmt.Errorf("dpkg-query libssl3: no version")
	}
	return v, nil
}

// availableVersions lists the openssl source versions apt knows, newest
// first.
func availableVersions() ([]string, error) {
	out, err := exec.Command("apt-cache", "showsrc", "openssl").Output()
	if err != nil {
		return nil, fmt.Errorf("apt-cache showsrc openssl: %w", err)
	}
	seen := map[string]bool{}
	var vs []string
	pkg := ""
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "Package: "); ok {
			pkg = strings.TrimSpace(p)
		}
		if v, ok := strings.CutPrefix(line, "Version: "); ok && pkg == "openssl" {
			v = strings.TrimSpace(v)
			if !seen[v] {
				seen[v] = true
				vs = append(vs, v)
			}
		}
	}
	sort.SliceStable(vs, func(i, j int) bool { return newer(vs[i], vs[j]) })
	return vs, nil
}

// newer reports whether Debian version a sorts after b (dpkg
// --compare-versions).
func newer(a, b string) bool {
	return exec.Command("dpkg", "--compare-versions", a, "gt", b).Run() == nil
}

// candidates returns the source versions to try, best first: the requested
// one, else the installed libssl3's and then the others apt offers, newest
// first (archives drop superseded versions; any 3.0.x provider loads into a
// 3.0 libcrypto).
func candidates(want string, addSrc bool) ([]string, error) {
	if want != "" {
		return []string{want}, nil
	}
	avail, err := availableVersions()
	if err != nil {
		return nil, err
	}
	if len(avail) == 0 && addSrc {
		if err := addDebSrc(); err != nil {
			return nil, err
		}
		if avail, err = availableVersions(); err != nil {
			return nil, err
		}
	}
	if len(avail) == 0 {
		return nil, fmt.Errorf("apt knows no openssl source package: add deb-src entries for your suites (or run with -add-deb-src) and apt-get update")
	}
	inst, err := installedVersion()
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, v := range avail {
		if v == inst {
			out = append(out, v)
		}
	}
	for _, v := range avail {
		if v != inst {
			out = append(out, v)
		}
	}
	return out, nil
}

// debSrcFile is the apt sources file -add-deb-src writes.
const debSrcFile = "/etc/apt/sources.list.d/rpmpgp-deb-src.sources"

// addDebSrc writes deb-src stanzas mirroring the deb822 stanzas of
// /etc/apt/sources.list.d/*.sources that have Types: deb but not deb-src
// (Debian 12's layout), then runs apt-get update.
func addDebSrc() error {
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*.sources")
	var out strings.Builder
	out.WriteString("# Written by rpmpgp's fipsprovider (-add-deb-src): source packages for\n# the configured suites, to build OpenSSL's FIPS provider.\n")
	n := 0
	for _, f := range files {
		if f == debSrcFile {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("reading %s: %w", f, err)
		}
		text, k := debSrcStanzas(string(data))
		out.WriteString(text)
		n += k
	}
	if n == 0 {
		return fmt.Errorf("no deb822 stanza without deb-src in /etc/apt/sources.list.d/*.sources to mirror")
	}
	if err := os.WriteFile(debSrcFile, []byte(out.String()), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", debSrcFile, err)
	}
	if out, err := exec.Command("apt-get", "update", "-qq").CombinedOutput(); err != nil {
		return fmt.Errorf("apt-get update: %w\n%s", err, out)
	}
	return nil
}

// debSrcStanzas returns a "Types: deb-src" copy of every deb822 stanza of
// data that has Types: deb but not deb-src (comments dropped), and how
// many there were.
func debSrcStanzas(data string) (string, int) {
	var out strings.Builder
	n := 0
	for _, stanza := range strings.Split(data, "\n\n") {
		var types, rest []string
		for _, line := range strings.Split(stanza, "\n") {
			if t, ok := strings.CutPrefix(line, "Types:"); ok {
				types = strings.Fields(t)
				continue
			}
			if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
				continue
			}
			rest = append(rest, line)
		}
		hasDeb, hasSrc := false, false
		for _, t := range types {
			hasDeb = hasDeb || t == "deb"
			hasSrc = hasSrc || t == "deb-src"
		}
		if !hasDeb || hasSrc {
			continue
		}
		fmt.Fprintf(&out, "\nTypes: deb-src\n%s\n", strings.Join(rest, "\n"))
		n++
	}
	return out.String(), n
}
