package main

import (
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/rpmpgp/rpmpgp/core/plugin/early"

	conf "github.com/rpmpgp/rpmpgp/internal/settings"
)

// TestSettingsFlagsRegistered: every flag the table of settings names is
// a flag of `rpmpgp config` (and of checksig, which loads the same
// settings), so that the source config reports is a flag users can give.
func TestSettingsFlagsRegistered(t *testing.T) {
	root := newRootCmd(io.Discard, io.Discard)
	for _, name := range []string{"config", "checksig"} {
		c, _, err := root.Find([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range conf.Keys() {
			if k.Flag == "" {
				continue
			}
			if c.Flags().Lookup(k.Flag) == nil && c.InheritedFlags().Lookup(k.Flag) == nil {
				t.Errorf("%s: no --%s for %s", name, k.Flag, k.Name)
			}
		}
	}
}

// TestSettingsFlagsNameTheirVariables: the help of a flag names the
// environment variables that set its key over the config files or before
// it (the table of settings), so that --help and `rpmpgp config` agree
// (--fips did not name RPMPGP_FIPS).
func TestSettingsFlagsNameTheirVariables(t *testing.T) {
	root := newRootCmd(io.Discard, io.Discard)
	c, _, err := root.Find([]string{"config"})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range conf.Keys() {
		if k.Flag == "" || k.Rank == conf.EnvUnderFiles {
			continue
		}
		f := c.Flags().Lookup(k.Flag)
		if f == nil {
			f = c.InheritedFlags().Lookup(k.Flag)
		}
		if f == nil {
			t.Fatalf("no --%s", k.Flag)
		}
		for _, env := range k.Env {
			if !strings.Contains(f.Usage, "env "+env) {
				t.Errorf("--%s: help %q does not name env %s", k.Flag, f.Usage, env)
			}
		}
	}
}

// TestGlobalFlagsOfEarlyStart: every global flag (addGlobalFlags) is one
// core/plugin/early knows before the command: one that takes a value
// (skipped, and read for --backend and --plugin-dir) or one that stops an
// early start (--config, --resident). Without this, `rpmpgp --newflag
// checksig` would start nothing early, and a new flag that changes the
// backend process would go unnoticed by it.
func TestGlobalFlagsOfEarlyStart(t *testing.T) {
	withValue, refused := early.GlobalFlags()
	root := newRootCmd(io.Discard, io.Discard)
	n := 0
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) {
		n++
		name := "--" + f.Name
		switch {
		case f.NoOptDefVal == "" && slices.Contains(withValue, name):
		case slices.Contains(refused, name):
		default:
			t.Errorf("global flag %s (value: %v) is unknown to the early start (core/plugin/early: globalValueFlags, refusedFlags)", name, f.NoOptDefVal == "")
		}
	})
	if n != 6 {
		t.Errorf("%d global flags, want 6 (backend, config, fips, plugin-dir, policy, resident)", n)
	}
	for _, name := range withValue {
		if root.PersistentFlags().Lookup(name[2:]) == nil {
			t.Errorf("the early start skips a value after %s, which is no global flag", name)
		}
	}
}
