package main

import (
	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/core/plugin"
)

// Shell completion (cobra's completion command: bash, zsh, fish,
// powershell) offers the values of the flags that take a fixed set, and the
// backends a plain `rpmpgp checksig --backend <TAB>` would find.

// outputFormats are the --output values of the commands that have one;
// commands not listed take textOrJSON (settings_output.go).
var outputFormats = map[string][]string{
	"checksig": checksigFormats,
}

// completing reports whether args ask cobra's hidden completion command
// for candidates, the only use of the flag value completions: the other
// runs do not register them (walking the command tree costs ~0.3 ms of
// every start, before the backend is launched).
func completing(args []string) bool {
	return len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd)
}

// registerCompletions adds the flag value completions to every command of
// the tree under root.
func registerCompletions(root *cobra.Command) {
	fixed := func(values ...string) cobra.CompletionFunc {
		return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
	}
	_ = root.RegisterFlagCompletionFunc("backend", completeBackends)
	_ = root.RegisterFlagCompletionFunc("fips", fixed("auto", "require", "off"))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		// Built once per command: LocalNonPersistentFlags makes a new flag
		// set on every call, and this walk runs on every start of rpmpgp.
		local := c.LocalNonPersistentFlags()
		if local.Lookup("output") != nil {
			values, ok := outputFormats[c.Name()]
			if !ok {
				values = textOrJSON
			}
			_ = c.RegisterFlagCompletionFunc("output", fixed(values...))
		}
		if local.Lookup("progress") != nil {
			_ = c.RegisterFlagCompletionFunc("progress", fixed("auto", "always", "never"))
		}
		if local.Lookup("level") != nil {
			_ = c.RegisterFlagCompletionFunc("level", fixed("none", "digest", "signature", "all"))
		}
		if local.Lookup("keystore") != nil {
			_ = c.RegisterFlagCompletionFunc("keystore", fixed("rpmdb", "fs", "openpgp"))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// completeBackends offers the backends found in the search path of the
// flags given so far (--plugin-dir, the config file), else in the default
// one.
func completeBackends(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	var dirs []string
	if s, err := loadSettings(cmd); err == nil {
		dirs = pluginDirs(s)
	}
	found, _ := plugin.Discover(dirs)
	names := make([]string, 0, len(found))
	for _, f := range found {
		names = append(names, f.Name)
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}
