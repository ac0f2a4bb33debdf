package conformance

import (
	"encoding/json"
	"io"
)

// WriteJSON writes the report as indented JSON. The top-level "schema"
// field is [Schema] ("rpmpgp-conformance/v1"); consumers must check it.
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
