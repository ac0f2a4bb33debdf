package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
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

func newBackendsCmd(stdout, stderr io.Writer) *cobra.Command {
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "backends",
		Short: "List the backends found, with what each reports about itself",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := loadSettings(cmd)
			if err != nil {
				return err
			}
			cfg := loadConfig(s)
			found, err := plugin.Discover(cfg.Dirs)
			if err != nil {
				return configError(err)
			}
			var infos []backendInfo
			for _, f := range found {
				info := backendInfo{Name: f.Name, Path: f.Path, Selected: f.Name == s.Backend}
				c, err := plugin.Open(f.Name, cfg)
				if err != nil {
					info.Error = err.Error()
				} else {
					d, err := c.Describe()
					if err != nil {
						info.Error = err.Error()
					} else {
						d.Path = f.Path
						info.Describe = &d
					}
					_ = c.Close()
				}
				infos = append(infos, info)
			}
			if jsonOut {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(infos)
			}
			if len(infos) == 0 {
				errorf(stderr, "no backends found in %s", strings.Join(plugin.SearchPath(cfg.Dirs), ", "))
				return &exitError{code: exitConfig}
			}
			t := table.NewWriter()
			t.SetOutputMirror(stdout)
			t.SetStyle(table.StyleLight)
			t.AppendHeader(table.Row{"", "backend", "version", "profile", "protocol", "library", "FIPS", "algorithms", "path / error"})
			for _, in := range infos {
				sel := ""
				if in.Selected {
					sel = "*"
				}
				if in.Describe == nil {
					t.AppendRow(table.Row{sel, in.Name, "-", "-", "-", "-", "-", "-", in.Path + "\n" + wrap(in.Error, 60)})
					continue
				}
				d := in.Describe
				fips := "off"
				if d.FIPS {
					fips = "on"
				}
				algos := wrap(strings.Join(d.PubKeyAlgos, ", "), 36)
				t.AppendRow(table.Row{sel, in.Name, d.Version, d.Profile.String(), d.Protocol, d.Library, fips, algos, in.Path})
			}
			t.Render()
			fmt.Fprintf(stdout, "searched: %s\n", strings.Join(plugin.SearchPath(cfg.Dirs), ", "))
			return nil
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print JSON")
	return cmd
}

// wrap breaks s at commas/spaces into lines of about width characters.
func wrap(s string, width int) string {
	var out, line strings.Builder
	for _, w := range strings.Fields(s) {
		if line.Len() > 0 && line.Len()+len(w)+1 > width {
			out.WriteString(line.String() + "\n")
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(w)
	}
	out.WriteString(line.String())
	return out.String()
}
