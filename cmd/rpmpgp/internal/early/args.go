package early

// flags are the global flags that choose the backend, as given (nil: not
// given).
type flags struct {
	config, backend, pluginDir, fips *string
}

// globalFlags are cmd/rpmpgp's persistent flags; all take a value.
var globalFlags = map[string]func(*flags, string){
	"--config":     func(f *flags, v string) { f.config = &v },
	"--backend":    func(f *flags, v string) { f.backend = &v },
	"--plugin-dir": func(f *flags, v string) { f.pluginDir = &v },
	"--fips":       func(f *flags, v string) { f.fips = &v },
	"--policy":     func(*flags, string) {},
}

// valueFlags are the flags of each verifying command that take a value
// (their value may look like a flag).
var valueFlags = map[string]map[string]bool{
	"checksig": {"--at": true, "-j": true, "--jobs": true, "-k": true, "--keyring": true, "--level": true, "-o": true, "--output": true},
	"verify":   {"--at": true, "-k": true, "--keyring": true},
	"lint-key": {"--at": true},
}

// parseArgs reads the command line the way cobra and pflag will, for the
// commands that start a backend (checksig and its aliases, verify,
// lint-key). ok is false for any other command, for help, and for anything
// it does not follow exactly.
func parseArgs(args []string) (flags, bool) {
	var f flags
	cmd := ""
	if len(args) > 0 {
		switch args[0] {
		case "-K", "--checksig", "-Kv", "-vK": // main's rewriteAliases
			cmd, args = "checksig", args[1:]
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return f, cmd != ""
		}
		if len(a) < 2 || a[0] != '-' {
			if cmd == "" {
				switch a {
				case "checksig", "K":
					cmd = "checksig"
				case "verify", "lint-key":
					cmd = a
				default:
					return f, false
				}
			}
			continue // an argument of the command
		}
		name, value, hasValue := cut(a, '=')
		if set, ok := globalFlags[name]; ok {
			if !hasValue {
				if i+1 >= len(args) {
					return f, false
				}
				i++
				value = args[i]
			}
			set(&f, value)
			continue
		}
		if cmd == "" {
			return f, false // --help, --version or an unknown flag
		}
		switch {
		case a == "-h" || a == "--help":
			return f, false
		case valueFlags[cmd][a]:
			i++ // its value
		case valueFlags[cmd][name] && hasValue:
		case len(a) > 2 && a[1] != '-' && a != "-v":
			return f, false // a cluster of short flags, or -kVALUE
		}
	}
	return f, cmd != ""
}

// cut is strings.Cut for one byte.
func cut(s string, sep byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
