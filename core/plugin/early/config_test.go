package early

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/rpmpgp/rpmpgp/internal/settings"
)

// FuzzConfig: whatever file parseConfig reads, TOML (go-toml, which the
// loader uses) and the loader's checks read too, and the same way: the
// same backend and plugin_dir (set or not), the same locks (of lockable
// keys), no [plugins] checksums, no pins = "required", no resident = true,
// no lock outside the system config and no key the early start does not
// know. A file parseConfig refuses only costs the early start.
func FuzzConfig(f *testing.F) {
	for _, seed := range []string{
		"backend = \"openssl\"\n",
		"# c\nbackend = 'internal-legacy' # x\r\nfips = \"off\"\n",
		"lock = [\"backend\", \"fips\",]\npins = \"optional\"\nresident = false\nsystem_keys = true\ncall_timeout = \"10s\"\npolicy = \"/p#1\"\n",
		"[plugins.checksums]\ngocrypto = \"00\"\n",
		"plugins.checksums.gocrypto = \"00\"\n",
		"policy = \"\"\"\nbackend = \"openssl\"\n\"\"\"\n",
		"policy = '''\nbackend = \"openssl\"\n'''\n",
		"lock = [\n\"backend\",\n]\n",
		"backend=\"a\"#\"b\"\nplugin_dir='/x y'\n",
		"resident = false # true\n",
		"root = 1_000\n",
		"lock = ['backend', \"plugin_dir\"]\nbackend = ''\n",
		"# mine\r[plugins.checksums]\rgocrypto = \"00\"\r",
		"a = \"x\"\r\r\n",
		"backend = \"x\" \"y\"\n",
		"\ufeffbackend = \"x\"\n",
		"backend = \"a\tb\"\n",
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, system bool) {
		c, err := parseConfig(data, system)
		if err != nil {
			if !errors.Is(err, errNotRead) {
				t.Fatalf("parseConfig: %v does not wrap errNotRead", err)
			}
			return
		}
		var m map[string]any
		if err := toml.Unmarshal(data, &m); err != nil {
			t.Fatalf("parseConfig read %q, which TOML refuses: %v", data, err)
		}
		// The loader's own checks (types, values) accept it too.
		file := filepath.Join(t.TempDir(), "config.toml")
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := settings.ReadFile(file); err != nil {
			t.Fatalf("parseConfig read %q, which the loader refuses: %v", data, err)
		}
		for _, l := range c.locks {
			if k, ok := settings.LookupKey(l); (!ok || !k.Lockable) && l != lockChecksums {
				t.Fatalf("parseConfig read lock %q, which the loader refuses, in %q", l, data)
			}
		}
		for k, v := range m {
			if _, ok := configKeys[k]; !ok {
				t.Fatalf("TOML has key %q (%v) that parseConfig did not see in %q", k, v, data)
			}
		}
		if _, ok := m["plugins"]; ok {
			t.Fatalf("TOML has [plugins] in %q", data)
		}
		if v, ok := m["pins"]; ok && v != "optional" {
			t.Fatalf("TOML has pins = %v in %q", v, data)
		}
		if v, ok := m["resident"]; ok && v != false {
			t.Fatalf("TOML has resident = %v in %q", v, data)
		}
		if _, ok := m["lock"]; ok && !system {
			t.Fatalf("TOML has lock in the user's config %q", data)
		}
		var locks []string
		if l, ok := m["lock"].([]any); ok {
			for _, e := range l {
				s, _ := e.(string)
				locks = append(locks, s)
			}
		}
		if !slices.Equal(locks, c.locks) {
			t.Fatalf("lock: parseConfig %q, TOML %q in %q", c.locks, locks, data)
		}
		for key, got := range map[string]struct {
			v   string
			set bool
		}{"backend": {c.backend, c.setBackend}, "plugin_dir": {c.pluginDir, c.setPluginDir}} {
			v, set := m[key]
			want, _ := v.(string)
			if set != got.set || set && !isString(v) || got.v != want {
				t.Fatalf("%s: parseConfig %q (set %v), TOML %#v in %q", key, got.v, got.set, v, data)
			}
		}
	})
}

func isString(v any) bool { _, ok := v.(string); return ok }

// TestReadConfig: a config file is read whole up to maxConfig bytes, and
// not at all when larger or not a regular file.
func TestReadConfig(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.toml")
	if err := os.WriteFile(small, []byte("backend = \"openssl\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := readConfig(small); err != nil || string(data) != "backend = \"openssl\"\n" {
		t.Errorf("readConfig(small) = %q, %v", data, err)
	}
	exact := filepath.Join(dir, "exact.toml")
	if err := os.WriteFile(exact, []byte(strings.Repeat("#", maxConfig)), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := readConfig(exact); err != nil || len(data) != maxConfig {
		t.Errorf("readConfig(%d bytes) = %d bytes, %v", maxConfig, len(data), err)
	}
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, []byte(strings.Repeat("#", maxConfig+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readConfig(big); !errors.Is(err, errNotRead) || !strings.Contains(err.Error(), "larger than 65536 bytes") {
		t.Errorf("readConfig(%d bytes): %v", maxConfig+1, err)
	}
	if _, err := readConfig(dir); !errors.Is(err, errNotRead) || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("readConfig(directory): %v", err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// Opened without blocking, then refused.
	if _, err := readConfig(fifo); !errors.Is(err, errNotRead) {
		t.Errorf("readConfig(FIFO): %v", err)
	}
	if _, err := readConfig(filepath.Join(dir, "none")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("readConfig(missing): %v", err)
	}
}
