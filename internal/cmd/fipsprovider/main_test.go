package main

import (
	"strings"
	"testing"
)

func TestDebSrcStanzas(t *testing.T) {
	in := `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
`
	got, n := debSrcStanzas(in)
	want := `
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`
	if n != 1 || got != want {
		t.Errorf("debSrcStanzas = %d, %q; want 1, %q", n, got, want)
	}
	if _, n := debSrcStanzas("Types: deb-src\nURIs: x\n"); n != 0 {
		t.Errorf("a deb-src stanza was copied")
	}
}

func TestParseProviders(t *testing.T) {
	out := `Providers:
  base
    name: OpenSSL Base Provider
    version: 3.0.19
    status: active
  fips
    name: OpenSSL FIPS Provider
    version: 3.0.20
    status: active
`
	got := parseProviders(out)
	if len(got) != 2 || got["base"] != "active" || got["fips"] != "active" {
		t.Errorf("parseProviders = %v", got)
	}
	if got := parseProviders("Providers:\n  fips\n    name: x\n"); got["fips"] != "" {
		t.Errorf("a provider without status: %v", got)
	}
}

func TestOpensslConf(t *testing.T) {
	c := opensslConf("/var/cache/rpmpgp/fips/3.0.20-1~deb12u2")
	for _, want := range []string{
		".include /var/cache/rpmpgp/fips/3.0.20-1~deb12u2/fipsmodule.cnf\n",
		"[fips_sect]\nmodule = /var/cache/rpmpgp/fips/3.0.20-1~deb12u2/fips.so\n",
		"[provider_sect]\nfips = fips_sect\nbase = base_sect\n\n",
		"[algorithm_sect]\ndefault_properties = fips=yes\n",
	} {
		if !strings.Contains(c, want) {
			t.Errorf("configuration lacks %q:\n%s", want, c)
		}
	}
	if strings.Contains(c, "default = ") {
		t.Errorf("configuration loads the default provider:\n%s", c)
	}
}
