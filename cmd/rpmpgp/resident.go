package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/core/plugin"
)

// residentStopWait is how long `resident stop` waits for a busy instance's
// lock, and again for a signalled instance to exit.
const residentStopWait = 5 * time.Second

// residentEntry is one instance of `rpmpgp resident list --output json`.
type residentEntry struct {
	Name    string `json:"name"`
	PID     int    `json:"pid"`
	Addr    string `json:"addr"`
	Written string `json:"written,omitempty"`
	Age     *int64 `json:"age_seconds,omitempty"`
	State   string `json:"state"`
	Reason  string `json:"reason,omitempty"`
}

// residentReport is the one object `rpmpgp resident list --output json`
// writes (docs/schema/rpmpgp-resident-v1.json).
type residentReport struct {
	Schema    string          `json:"schema"`
	Dir       string          `json:"dir"`
	Instances []residentEntry `json:"instances"`
}

func newResidentCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "resident",
		Short: "List or stop this user's resident backends",
		Long: `List or stop this user's resident backend instances, kept in
$XDG_RUNTIME_DIR/rpmpgp by --resident (see the README, "Resident backend").
An instance is "running" only when its record is a 0600 file of the user and
the recorded process itself listens on the recorded socket as the user
(SO_PEERCRED, getpeername); otherwise its record is stale (left for the next
command to replace), invalid, or unchecked (the checks could not be made, as
with too many open files: it may run). Nothing is created, and only verified
instances are signalled.`,
	}
	cmd.AddCommand(newResidentListCmd(stdout), newResidentStopCmd(stdout, stderr))
	return cmd
}

func newResidentListCmd(stdout io.Writer) *cobra.Command {
	var jsonOut bool
	var output string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List this user's resident backends: name, pid, socket, age, running or why stale",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextOrJSON(cmd, output); err != nil {
				return err
			}
			dir, ins, err := plugin.ListResident()
			if err != nil {
				return configError(err)
			}
			now := time.Now()
			if jsonOut || output == "json" {
				rep := residentReport{Schema: "rpmpgp-resident/v1", Dir: dir, Instances: []residentEntry{}}
				for _, in := range ins {
					e := residentEntry{Name: in.Name, PID: in.Record.PID, Addr: in.Record.Addr, State: in.State.String(), Reason: in.Why}
					if !in.Written.IsZero() {
						age := max(int64(now.Sub(in.Written).Seconds()), 0)
						e.Written, e.Age = in.Written.UTC().Format(time.RFC3339), &age
					}
					rep.Instances = append(rep.Instances, e)
				}
				return writeJSON(stdout, rep)
			}
			if len(ins) == 0 {
				fmt.Fprintf(stdout, "no resident backends in %s\n", dir)
			}
			for _, in := range ins {
				fmt.Fprintln(stdout, residentLine(in, now))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print JSON (same as --output json)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "output format: text or json (docs/schema/rpmpgp-resident-v1.json)")
	return cmd
}

// residentLine is an instance's line of `resident list`: "NAME pid N addr
// SOCKET age 42s running", or "... stale record: WHY", or "... unchecked:
// WHY"; an invalid record has neither pid nor socket.
func residentLine(in plugin.ResidentInstance, now time.Time) string {
	line := in.Name
	if in.State != plugin.ResidentInvalid {
		line += fmt.Sprintf(" pid %d addr %s", in.Record.PID, in.Record.Addr)
	}
	if !in.Written.IsZero() {
		line += " age " + max(now.Sub(in.Written), 0).Round(time.Second).String()
	}
	switch in.State {
	case plugin.ResidentRunning:
		return line + " running"
	case plugin.ResidentStale:
		return line + " stale record: " + in.Why
	case plugin.ResidentUnchecked:
		return line + " unchecked: " + in.Why
	}
	return line + " invalid record: " + in.Why
}

func newResidentStopCmd(stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "stop [NAME...]",
		Short: "Stop this user's resident backends (all, or those named), each verified first",
		Long: `Stop the resident backend instances named (all of this user's when none is),
one line each. An instance is first locked (a command using it is waited for
up to 5 s), then verified as 'resident list' does, then sent SIGTERM through
a pidfd and waited for up to 5 s: "stopped NAME (pid N)". A stale record is
reported and left alone (the next command replaces it); nothing else is
signalled. Exit status: 0 when every instance is stopped or none runs, else
the number of instances not stopped or not found (capped at 253).`,
		ValidArgsFunction: completeResident,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, results, err := plugin.StopResident(args, residentStopWait)
			if err != nil {
				return configError(err)
			}
			if len(args) == 0 && len(results) == 0 {
				fmt.Fprintf(stdout, "no resident backends in %s\n", dir)
			}
			failed := 0
			for _, r := range results {
				switch r.Outcome {
				case plugin.ResidentStopped:
					fmt.Fprintf(stdout, "stopped %s\n", stopped(r))
				case plugin.ResidentNotRunning:
					fmt.Fprintf(stdout, "not running %s: %s\n", stopped(r), r.Why)
				case plugin.ResidentUnknown:
					failed++
					errorf(stderr, "no resident backend %q in %s", r.Name, dir)
				default:
					failed++
					errorf(stderr, "not stopped %s: %s", stopped(r), r.Why)
				}
			}
			if failed > 0 {
				return &exitError{code: min(failed, maxFailCount)}
			}
			return nil
		},
	}
}

// stopped names the instance of r: "NAME (pid N)", or "NAME" when no
// record was read.
func stopped(r plugin.ResidentStopResult) string {
	if r.PID <= 0 {
		return r.Name
	}
	return fmt.Sprintf("%s (pid %d)", r.Name, r.PID)
}

// completeResident offers the names of this user's recorded instances not
// already given.
func completeResident(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	_, ins, _ := plugin.ListResident()
	var names []string
	for _, in := range ins {
		if !slices.Contains(args, in.Name) {
			names = append(names, in.Name)
		}
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}
