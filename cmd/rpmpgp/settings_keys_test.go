package main

import (
	"io"
	"testing"

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
