package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/core/plugin"
	conf "github.com/rpmpgp/rpmpgp/internal/settings"
	"github.com/rpmpgp/rpmpgp/policyconf"
)

// configSchema names the JSON form of rpmpgp config.
const configSchema = "rpmpgp-config/v1"

// configSetting is one effective setting and where its value came from.
type configSetting struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	// Source is "flag", "env", "file" or "default".
	Source string `json:"source"`
	// From names the flag ("--backend"), variable ("RPMPGP_BACKEND") or
	// file of the source; empty for defaults.
	From string `json:"from,omitempty"`
	// Line is the line of the file that sets the key (0: not known).
	Line int `json:"line,omitempty"`
	// Locked is true when the system config locks the key.
	Locked bool `json:"locked,omitempty"`
}

// configReport is what rpmpgp config prints.
type configReport struct {
	Schema      string          `json:"schema"`
	ConfigFiles []string        `json:"config_files"`
	Settings    []configSetting `json:"settings"`
}

func newConfigCmd(stdout io.Writer) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show every effective setting, its value and where it came from",
		Long: `Show every effective setting with its value and its source: a flag,
an environment variable, a config file and line, or the default. The same
flags as checksig's select the configuration shown (--config, --backend,
--fips, --policy, --plugin-dir, --root, ...); precedence is flag, then
environment, then the user's config over the system's, then the default.
"policy" shows the crypto policy file the strict backends would read
(rpm-sequoia's search order when nothing sets it), "backend_binary" the
backend binary that would run, "system_keystore" the keystore checksig
and verify read. A setting nothing sets is "unset" (the built-in
behaviour applies), and "(locked)" marks a key the system config locks.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkTextOrJSON(cmd, output); err != nil {
				return err
			}
			s, err := loadSettings(cmd)
			if err != nil {
				return err
			}
			rep := effectiveConfig(s)
			if output == "json" {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			writeConfigText(stdout, rep)
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	addKeystoreFlags(cmd, true)
	return cmd
}

// effectiveConfig lists the settings s holds with their sources.
func effectiveConfig(s *settings) configReport {
	rep := configReport{Schema: configSchema, ConfigFiles: append([]string{}, s.ConfigFiles...)}
	// Every source, default and lock comes from the table of settings
	// (internal/settings keys.go).
	add := func(key, value string) {
		cs := configSetting{Key: key, Value: value, Locked: slices.Contains(s.Locks, strings.SplitN(key, ".", 2)[0])}
		cs.Source, cs.From, cs.Line = s.Source(key)
		if cs.Source == "" {
			cs.Source = "unset"
			if k, _ := conf.LookupKey(key); k.Default != nil {
				cs.Source = "default"
			}
		}
		rep.Settings = append(rep.Settings, cs)
	}
	add("backend", s.Backend)
	bin := backendBinary(s)
	if bin == "" {
		bin = "(not found in " + strings.Join(plugin.SearchPath(pluginDirs(s)), ":") + ")"
	}
	rep.Settings = append(rep.Settings, configSetting{Key: "backend_binary", Value: bin, Source: "search",
		From: "$" + plugin.EnvPluginDir + ", plugin_dir, the directory of rpmpgp, ../libexec/rpmpgp beside it"})
	// $RPMPGP_PLUGIN_DIR's directories are searched before plugin_dir:
	// the value is the list searched before rpmpgp's own directories.
	pluginDir := s.PluginDir
	if env := os.Getenv(plugin.EnvPluginDir); env != "" {
		pluginDir = strings.Join(slices.DeleteFunc([]string{env, s.PluginDir}, func(d string) bool { return d == "" }), ":")
	}
	add("plugin_dir", pluginDir)
	add("fips", string(s.FIPS))
	_, src, _, perr := policyconf.Load(s.Policy, policyconf.OSEnv())
	policy := src.String()
	if perr != nil {
		policy += " (unusable: " + perr.Error() + ")"
	}
	add("policy", policy)
	if last := len(rep.Settings) - 1; rep.Settings[last].Source == "default" {
		rep.Settings[last].From = "rpm-sequoia's search order"
	}
	add("call_timeout", s.CallTimeout.String())
	pins := conf.PinsOptional
	if s.PinsRequired {
		pins = conf.PinsRequired
	}
	add("pins", pins)
	for _, name := range slices.Sorted(maps.Keys(s.Checksums)) {
		add("plugins.checksums."+name, s.Checksums[name])
	}
	add("root", s.Keystore.Options.Root)
	add("dbpath", s.Keystore.Options.DBPath)
	add("keystore", string(s.Keystore.Options.Kind))
	add("keyringpath", s.Keystore.Options.KeyringPath)
	add("system_keys", fmt.Sprint(s.Keystore.System))
	store := "(none: system_keys = false)"
	if s.Keystore.System {
		if st, err := s.Keystore.Options.Resolve(); err != nil {
			store = "(unusable: " + err.Error() + ")"
		} else {
			store = st.String()
		}
	}
	rep.Settings = append(rep.Settings, configSetting{Key: "system_keystore", Value: store, Source: "derived",
		From: "root, dbpath, keystore, keyringpath"})
	add("resident", fmt.Sprint(s.Resident))
	return rep
}

// writeConfigText prints the report as aligned columns: key, value, source.
func writeConfigText(w io.Writer, rep configReport) {
	if len(rep.ConfigFiles) == 0 {
		fmt.Fprintln(w, "config files: none")
	} else {
		fmt.Fprintf(w, "config files: %s\n", strings.Join(rep.ConfigFiles, ", "))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, cs := range rep.Settings {
		value := cs.Value
		if value == "" {
			value = `""`
		}
		src := cs.Source
		switch {
		case cs.Line > 0:
			src = fmt.Sprintf("file %s:%d", cs.From, cs.Line)
		case cs.From != "":
			src += " " + cs.From
		}
		if cs.Locked {
			src += " (locked)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", cs.Key, value, src)
	}
	tw.Flush()
}

// backendBinary is the binary of the selected backend that would run, or "".
func backendBinary(s *settings) string {
	found, _ := plugin.Discover(pluginDirs(s))
	for _, f := range found {
		if f.Name == s.Backend {
			return f.Path
		}
	}
	return ""
}
