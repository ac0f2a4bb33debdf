package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// opensslConf is the OpenSSL configuration for the provider in dir: the
// fipsmodule.cnf that `openssl fipsinstall` wrote (its [fips_sect] carries
// the module's MAC), the module's path added to that section, only the
// fips and base providers activated, and "fips=yes" as the default
// properties, so that nothing falls back to the default provider
// (OpenSSL's fips_module(7) and fips_config(5)).
func opensslConf(dir string) string {
	return fmt.Sprintf(`# Written by rpmpgp's fipsprovider: OpenSSL in FIPS mode with the FIPS
# provider built from Debian's openssl source package (%[1]s).
config_diagnostics = 1
openssl_conf = openssl_init

.include %[1]s/fipsmodule.cnf

[fips_sect]
module = %[1]s/fips.so

[openssl_init]
providers = provider_sect
alg_section = algorithm_sect

[provider_sect]
fips = fips_sect
base = base_sect

[base_sect]
activate = 1

[algorithm_sect]
default_properties = fips=yes
`, dir)
}

// validate checks that conf runs OpenSSL in FIPS mode: `openssl list
// -providers` shows the fips provider active and no default provider, and
// MD5 (which the FIPS provider does not implement) is refused.
func validate(conf string) error {
	cmd := exec.Command("openssl", "list", "-providers")
	cmd.Env = append(os.Environ(), "OPENSSL_CONF="+conf)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("openssl list -providers with %s: %w\n%s", conf, err, out)
	}
	provs := parseProviders(string(out))
	if provs["fips"] != "active" {
		return fmt.Errorf("%s: fips provider not active (openssl list -providers:\n%s)", conf, out)
	}
	if _, ok := provs["default"]; ok {
		return fmt.Errorf("%s: the default provider is loaded too", conf)
	}
	cmd = exec.Command("openssl", "dgst", "-md5", conf)
	cmd.Env = append(os.Environ(), "OPENSSL_CONF="+conf)
	if err := cmd.Run(); err == nil {
		return fmt.Errorf("%s: MD5 still works, not in FIPS mode", conf)
	}
	return nil
}

// parseProviders maps provider names to their status in the output of
// `openssl list -providers`.
func parseProviders(out string) map[string]string {
	m := map[string]string{}
	name := ""
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "    "):
			name = strings.TrimSpace(line)
			m[name] = ""
		case name != "" && strings.HasPrefix(strings.TrimSpace(line), "status:"):
			m[name] = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "status:"))
		}
	}
	return m
}

// cached returns the configuration of a valid provider already built:
// version's when given, else the one "current" points at.
func cached(cache, version string) (string, error) {
	dir := filepath.Join(cache, "current")
	if version != "" {
		dir = filepath.Join(cache, version)
	}
	conf := filepath.Join(dir, "openssl.cnf")
	if _, err := os.Stat(conf); err != nil {
		return "", fmt.Errorf("no cached FIPS provider: %w", err)
	}
	real, err := filepath.EvalSymlinks(conf)
	if err != nil {
		return "", err
	}
	if err := validate(real); err != nil {
		return "", errors.Join(errors.New("cached FIPS provider unusable"), err)
	}
	return real, nil
}

// setCurrent points cache/current at version.
func setCurrent(cache, version string) error {
	tmp := filepath.Join(cache, ".current.tmp")
	_ = os.Remove(tmp)
	if err := os.Symlink(version, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(cache, "current"))
}
