package sopv

import (
	"path/filepath"
	"strings"
)

// Subcommands names the sopv subcommands, for shell completion.
var Subcommands = []string{"version", "verify", "inline-verify"}

// Names are the executable names under which a program should act as a
// sopv binary ("rpmpgp-sopv verify ..." is "rpmpgp sopv verify ...").
var Names = []string{"rpmpgp-sopv", "sopv"}

// Argv returns args prefixed with "sopv" when argv0's base name is one of
// [Names], else args unchanged.
func Argv(argv0 string, args []string) []string {
	base := filepath.Base(argv0)
	for _, n := range Names {
		if base == n {
			return append([]string{"sopv"}, args...)
		}
	}
	return args
}

// SplitHostArgs takes the host program's own long options (those for which
// isHost(name) is true, as --name=value or --name value) from the
// arguments before the SOP subcommand; SOP's global options (--debug,
// --help) and everything from the subcommand or "--" on stay in rest, in
// order.
func SplitHostArgs(args []string, isHost func(name string) bool) (host, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "--" {
			return host, append(rest, args[i:]...)
		}
		name, _, hasValue := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if !strings.HasPrefix(a, "--") || !isHost(name) {
			rest = append(rest, a)
			continue
		}
		host = append(host, a)
		if !hasValue && i+1 < len(args) {
			i++
			host = append(host, args[i])
		}
	}
	return host, rest
}
