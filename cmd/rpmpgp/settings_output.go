package main

import (
	"encoding/json"
	"io"
	"slices"

	"github.com/spf13/cobra"
)

// The --output flag of every command but checksig takes text or json; the
// check and the completion of its values are here, once.

// textOrJSON are the values of --output of every command but checksig.
var textOrJSON = []string{"text", "json"}

// checksigFormats are checksig's --output values (checksig.go checks
// them, with its own message).
var checksigFormats = []string{"rpm6", "rpm4", "json"}

// checkTextOrJSON refuses an --output of cmd other than text or json as a
// usage error; the flag's default (text, or "" for "text") is accepted
// too.
func checkTextOrJSON(cmd *cobra.Command, output string) error {
	if slices.Contains(textOrJSON, output) {
		return nil
	}
	if f := cmd.Flags().Lookup("output"); f != nil && output == f.DefValue {
		return nil
	}
	return usageErrorf("--output %q: expected text or json", output)
}

// writeJSON writes v as the one document of --output json: indented by
// two spaces, with <, > and & as they are (not escaped for HTML).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
