package main

import (
	"io"
	"strings"
	"testing"

	"github.com/spf13/pflag"

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

// TestGlobalFlagsOfEarlyStart: the global flags (addGlobalFlags) are the
// ones core/plugin/early knows before the command: those with a value
// (which it skips, and reads for --backend and --plugin-dir) and --config
// and --resident (which stop an early start). A new global flag must be
// added there too, or `rpmpgp --newflag checksig` starts nothing early.
func TestGlobalFlagsOfEarlyStart(t *testing.T) {
	root := newRootCmd(io.Discard, io.Discard)
	var got []string
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) { got = append(got, f.Name) })
	want := []string{"backend", "config", "fips", "plugin-dir", "policy", "resident"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("global flags %q, want %q (core/plugin/early: globalValueFlags, refusedFlags)", got, want)
	}
	if f := root.PersistentFlags().Lookup("resident"); f == nil || f.NoOptDefVal == "" {
		t.Error("--resident takes a value; core/plugin/early reads it as a switch")
	}
}
