package main

import (
	"bufio"
	"bytes"
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
	"github.com/rpmpgp/rpmpgp/internal/readlimit"
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
			if output != "text" && output != "json" {
				return usageErrorf("--output %q: expected text or json", output)
			}
			s, err := loadSettings(cmd)
			if err != nil {
				return err
			}
			rep, err := effectiveConfig(cmd, s)
			if err != nil {
				return configError(err)
			}
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
func effectiveConfig(cmd *cobra.Command, s *settings) (configReport, error) {
	rep := configReport{Schema: configSchema, ConfigFiles: append([]string{}, s.ConfigFiles...)}
	files := make([]map[string]any, len(s.ConfigFiles))
	for i, p := range s.ConfigFiles {
		m, err := readConfigFile(p)
		if err != nil {
			return rep, err
		}
		files[i] = m
	}
	add := func(key, value, flag string, envs []string, def bool) {
		cs := configSetting{Key: key, Value: value, Locked: slices.Contains(s.Locks, strings.SplitN(key, ".", 2)[0])}
		cs.Source, cs.From, cs.Line = settingSource(cmd, key, flag, envs, s.ConfigFiles, files)
		if cs.Source == "" {
			cs.Source = "default"
			if !def {
				cs.Source = "unset"
			}
		}
		rep.Settings = append(rep.Settings, cs)
	}
	add("backend", s.Backend, "backend", []string{"RPMPGP_BACKEND"}, true)
	bin := backendBinary(s)
	if bin == "" {
		bin = "(not found in " + strings.Join(plugin.SearchPath(pluginDirs(s)), ":") + ")"
	}
	rep.Settings = append(rep.Settings, configSetting{Key: "backend_binary", Value: bin, Source: "search",
		From: "$RPMPGP_PLUGIN_DIR, plugin_dir, the directory of rpmpgp, ../libexec/rpmpgp beside it"})
	add("plugin_dir", s.PluginDir, "plugin-dir", nil, false)
	add("fips", string(s.FIPS), "fips", []string{"RPMPGP_FIPS"}, true)
	_, src, _, perr := policyconf.Load(s.Policy, policyconf.OSEnv())
	policy := src.String()
	if perr != nil {
		policy += " (unusable: " + perr.Error() + ")"
	}
	add("policy", policy, "policy", []string{"RPM_SEQUOIA_CRYPTO_POLICY"}, true)
	if last := len(rep.Settings) - 1; rep.Settings[last].Source == "default" {
		rep.Settings[last].From = "rpm-sequoia's search order"
	}
	add("call_timeout", s.CallTimeout.String(), "", nil, true)
	pins := pinsOptional
	if s.PinsRequired {
		pins = pinsRequired
	}
	add("pins", pins, "", nil, true)
	for _, name := range slices.Sorted(maps.Keys(s.Checksums)) {
		add("plugins.checksums."+name, s.Checksums[name], "", nil, false)
	}
	add("root", s.Keystore.Options.Root, "root", []string{"RPMPGP_ROOT"}, false)
	add("dbpath", s.Keystore.Options.DBPath, "dbpath", nil, false)
	add("keystore", string(s.Keystore.Options.Kind), "keystore", nil, false)
	add("keyringpath", s.Keystore.Options.KeyringPath, "keyringpath", nil, false)
	add("system_keys", fmt.Sprint(s.Keystore.System), "no-system-keys", nil, true)
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
	return rep, nil
}

// settingSource says which source set key, in viper's precedence: the flag
// (when given), the first variable of envs that is set, the last config
// file that has the key (with its line), else "".
func settingSource(cmd *cobra.Command, key, flag string, envs []string, paths []string, files []map[string]any) (source, from string, line int) {
	if flag != "" {
		if f := cmd.Flags().Lookup(flag); f != nil && f.Changed {
			return "flag", "--" + flag, 0
		}
	}
	for _, e := range envs {
		if os.Getenv(e) != "" {
			return "env", e, 0
		}
	}
	for i := len(files) - 1; i >= 0; i-- {
		if hasKey(files[i], key) {
			return "file", paths[i], keyLine(paths[i], key)
		}
	}
	return "", "", 0
}

// hasKey reports whether the parsed config m sets the dotted key.
func hasKey(m map[string]any, key string) bool {
	parts := strings.Split(key, ".")
	for i, p := range parts {
		v, ok := m[p]
		if !ok {
			return false
		}
		if i == len(parts)-1 {
			return true
		}
		if m, ok = v.(map[string]any); !ok {
			return false
		}
	}
	return false
}

// keyLine returns the line of the TOML file path that sets the dotted key
// (key = ..., or a dotted or quoted key under its [table]), or 0.
func keyLine(path, key string) int {
	data, err := readlimit.File(path, maxConfigFile)
	if err != nil {
		return 0
	}
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxConfigFile)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(l, "[") && !strings.HasPrefix(l, "[[") {
			if end := strings.Index(l, "]"); end > 0 {
				table = normKey(l[1:end])
			}
			continue
		}
		lhs, _, ok := strings.Cut(l, "=")
		if !ok || strings.HasPrefix(l, "#") {
			continue
		}
		full := normKey(lhs)
		if table != "" {
			full = table + "." + full
		}
		if full == key {
			return n
		}
	}
	return 0
}

// normKey removes the spaces and quotes of a TOML dotted key.
func normKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
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
