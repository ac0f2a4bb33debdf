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

// TestFlagsOfEarlyStart: every flag of rpmpgp's global flags
// (addGlobalFlags) and of checksig and verify is one core/plugin/early
// knows: a global flag that takes a value (skipped before the command, and
// read for --backend and --plugin-dir), one that stops an early start
// (--config, --resident, --help), or, for checksig and verify, a switch
// (no value: a --backend after it is a flag, not its value) or a flag with
// a value (which it refuses to guess past). Without this, a new switch
// would stop the early start for nothing, and a new flag with a value
// taken for a switch would let `checksig --newflag --plugin-dir x` run a
// backend from x.
func TestFlagsOfEarlyStart(t *testing.T) {
	withValue, refused, long, short := early.Flags()
	root := newRootCmd(io.Discard, io.Discard)
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) {
		name := "--" + f.Name
		switch {
		case f.NoOptDefVal == "" && slices.Contains(withValue, name):
		case slices.Contains(refused, name):
		default:
			t.Errorf("global flag %s (takes a value: %v) is unknown to the early start (core/plugin/early: globalValueFlags, refusedFlags)", name, f.NoOptDefVal == "")
		}
	})
	for _, name := range withValue {
		if root.PersistentFlags().Lookup(name[2:]) == nil {
			t.Errorf("the early start skips a value after %s, which is no global flag", name)
		}
	}
	for _, cmdName := range []string{"checksig", "verify"} {
		c, _, err := root.Find([]string{cmdName})
		if err != nil {
			t.Fatal(err)
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			name := "--" + f.Name
			isSwitch := f.NoOptDefVal != ""
			switch {
			case slices.Contains(refused, name):
			case isSwitch != slices.Contains(long, name):
				t.Errorf("%s %s: a switch (no value): %v; among the early start's switches: %v", cmdName, name, isSwitch, slices.Contains(long, name))
			case f.Shorthand != "" && isSwitch != strings.Contains(short, f.Shorthand):
				t.Errorf("%s -%s: a switch (no value): %v; among the early start's short switches %q: %v", cmdName, f.Shorthand, isSwitch, short, !isSwitch)
			}
		})
	}
}
