package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// checksigAlias reports whether arg is one of rpmkeys' spellings of
// checksig, accepted anywhere among the options: --checksig, -K, or -K in a
// cluster of checksig's boolean short options (-Kv, -vK, -Kq). rest is the
// cluster without the K ("-v"), or "".
func checksigAlias(checksig *cobra.Command, arg string) (rest string, ok bool) {
	if arg == "--checksig" || arg == "-K" {
		return "", true
	}
	if len(arg) < 3 || arg[0] != '-' || arg[1] == '-' || !strings.Contains(arg, "K") {
		return "", false
	}
	others := strings.Replace(arg[1:], "K", "", 1)
	for _, c := range others {
		f := checksig.Flags().ShorthandLookup(string(c))
		if f == nil || f.NoOptDefVal == "" {
			return "", false
		}
	}
	return "-" + others, true
}

// rootOnlyFlags are the flags that belong to rpmpgp itself, not to a
// subcommand: arguments holding one are left as they are.
var rootOnlyFlags = []string{"--version", "-h", "--help"}

// rewriteArgs turns rpm-like command lines into cobra's:
//
//   - an rpmkeys alias anywhere among the options (before "--") makes the
//     command checksig: "rpmpgp --backend openssl -Kv a.rpm" is
//     "rpmpgp checksig -v --backend openssl a.rpm";
//   - options before the command name move after it, so that
//     "rpmpgp -v checksig a.rpm" is verbose checksig as in rpmkeys (cobra
//     alone would read "-v" as taking "checksig" for its value).
//
// An alias given with another command ("rpmpgp verify -K") is left for
// cobra to refuse as an unknown option.
func rewriteArgs(root *cobra.Command, args []string) []string {
	// Shell completion asks through cobra's hidden __complete command with
	// the words typed so far: they are rewritten the same way.
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		return append([]string{args[0]}, rewriteArgs(root, args[1:])...)
	}
	checksig, _, err := root.Find([]string{"checksig"})
	if err != nil || checksig == root {
		return args
	}
	takesValue := func(arg string) bool {
		if strings.Contains(arg, "=") {
			return false
		}
		var f *pflag.Flag
		if name, ok := strings.CutPrefix(arg, "--"); ok {
			f = checksig.Flags().Lookup(name)
			if f == nil {
				f = root.PersistentFlags().Lookup(name)
			}
		} else if len(arg) == 2 {
			f = checksig.Flags().ShorthandLookup(arg[1:])
			if f == nil {
				f = root.PersistentFlags().ShorthandLookup(arg[1:])
			}
		}
		return f != nil && f.NoOptDefVal == ""
	}
	first := -1 // the first argument that is not an option or its value
	var aliases []int
	var clusters []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if rest, ok := checksigAlias(checksig, a); ok {
			aliases = append(aliases, i)
			if rest != "" {
				clusters = append(clusters, rest)
			}
			continue
		}
		if !strings.HasPrefix(a, "-") || a == stdinName {
			if first < 0 {
				first = i
			}
			continue
		}
		if takesValue(a) {
			i++
		}
	}
	isCommand := func(name string) (*cobra.Command, bool) {
		c, _, err := root.Find([]string{name})
		return c, err == nil && c != root
	}
	if len(aliases) > 0 {
		named := false
		if first >= 0 {
			if c, ok := isCommand(args[first]); ok {
				if c != checksig {
					return args
				}
				named = true
			}
		}
		out := append([]string{"checksig"}, clusters...)
		for i, a := range args {
			if slices.Contains(aliases, i) || (named && i == first) {
				continue
			}
			out = append(out, a)
		}
		return out
	}
	if first <= 0 {
		return args
	}
	if _, ok := isCommand(args[first]); !ok {
		return args
	}
	for _, a := range args[:first] {
		if slices.Contains(rootOnlyFlags, a) {
			return args
		}
	}
	out := []string{args[first]}
	out = append(out, args[:first]...)
	return append(out, args[first+1:]...)
}
