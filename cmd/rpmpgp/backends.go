package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
)

// backendInfo is one row of `rpmpgp backends`.
type backendInfo struct {
	Name     string            `json:"name"`
	Path     string            `json:"path"`
	Selected bool              `json:"selected"`
	Describe *core.Description `json:"describe,omitempty"`
	Error    string            `json:"error,omitempty"`
}

// backendsReport is the one object `rpmpgp backends --output json` writes
// (docs/schema/rpmpgp-backends-v1.json).
type backendsReport struct {
	Schema   string        `json:"schema"`
	Backends []backendInfo `json:"backends"`
	Searched []string      `json:"searched"`
}

func newBackendsCmd(stdout, stderr io.Writer) *cobra.Command {
	var jsonOut bool
	var output string
	cmd := &cobra.Command{
		Use:   "backends",
		Short: "List the backends found, with what each reports about itself",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextOrJSON(cmd, output); err != nil {
				return err
			}
			s, err := loadSettings(cmd)
			if err != nil {
				return err
			}
			cfg := loadConfig(s)
			found, err := plugin.Discover(cfg.Dirs)
			if err != nil {
				return configError(err)
			}
			infos := []backendInfo{}
			selectedFailed := false
			for _, f := range found {
				info := backendInfo{Name: f.Name, Path: f.Path, Selected: f.Name == s.Backend}
				d, err := describeBackend(f.Name, cfg, s.FIPS)
				if err != nil {
					info.Error = err.Error()
					selectedFailed = selectedFailed || info.Selected
				} else {
					d.Path = f.Path
					info.Describe = &d
				}
				infos = append(infos, info)
			}
			// The selected backend unusable with these settings (FIPS
			// required but unavailable, ...) fails as checksig would.
			var failed error
			if selectedFailed {
				failed = &exitError{code: exitConfig}
			}
			// No backend at all is the same refusal in every format.
			if len(infos) == 0 {
				errorf(stderr, "no backends found in %s", strings.Join(plugin.SearchPath(cfg.Dirs), ", "))
				failed = &exitError{code: exitConfig}
			}
			if jsonOut || output == "json" {
				rep := backendsReport{Schema: "rpmpgp-backends/v1", Backends: infos, Searched: plugin.SearchPath(cfg.Dirs)}
				if err := writeJSON(stdout, rep); err != nil {
					return err
				}
				return failed
			}
			if len(infos) == 0 {
				return failed
			}
			t := table.NewWriter()
			t.SetOutputMirror(stdout)
			t.SetStyle(table.StyleLight)
			t.AppendHeader(table.Row{"", "backend", "version", "profile", "protocol", "library", "FIPS", "algorithms", "path / error"})
			// Long algorithm lists and errors wrap at word boundaries.
			t.SetColumnConfigs([]table.ColumnConfig{
				{Number: 8, WidthMax: 36, WidthMaxEnforcer: text.WrapSoft},
				{Number: 9, WidthMax: 60, WidthMaxEnforcer: text.WrapSoft},
			})
			for _, in := range infos {
				sel := ""
				if in.Selected {
					sel = "*"
				}
				if in.Describe == nil {
					t.AppendRow(table.Row{sel, in.Name, "-", "-", "-", "-", "-", "-", in.Path + "\n" + in.Error})
					continue
				}
				d := in.Describe
				fips := "off"
				if d.FIPS {
					fips = "on"
				}
				algos := strings.Join(d.PubKeyAlgos, ", ")
				t.AppendRow(table.Row{sel, in.Name, d.Version, d.Profile.String(), d.Protocol, d.Library, fips, algos, in.Path})
			}
			t.Render()
			for _, in := range infos {
				if in.Describe != nil && in.Describe.Notes != "" {
					fmt.Fprintf(stdout, "%s: %s\n", in.Name, in.Describe.Notes)
				}
			}
			fmt.Fprintf(stdout, "searched: %s\n", strings.Join(plugin.SearchPath(cfg.Dirs), ", "))
			return failed
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print JSON (same as --output json)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "output format: text or json (docs/schema/rpmpgp-backends-v1.json)")
	return cmd
}

// describeBackend starts the backend name, initialises it with the FIPS
// setting (the state a command would run it in: FIPS mode and providers
// are chosen in Init) and returns its description.
func describeBackend(name string, cfg plugin.LoadConfig, fips core.FIPSMode) (core.Description, error) {
	c, err := plugin.Open(name, cfg)
	if err != nil {
		return core.Description{}, err
	}
	defer c.Close()
	if err := c.Init(core.Options{FIPS: fips}); err != nil {
		return core.Description{}, err
	}
	return c.Describe()
}
