package core

// Result is the outcome of verifying one package.
type Result struct {
	// Path is the file as given.
	Path string `json:"path"`
	// Items are the checks in rpm's print order; only Shown ones are printed.
	Items []*Item `json:"items"`
	// Failed is rpm's verdict for the package (it counts in the exit status).
	Failed bool `json:"failed"`
	// OpenFailed: the file could not be opened (rpm prints no "<file>:").
	OpenFailed bool `json:"open_failed,omitempty"`
	// ReadFailed: the package could not be read; Error has rpm's message
	// (possibly empty: rpm stays silent for non-packages).
	ReadFailed bool `json:"read_failed,omitempty"`
	// NotRPM: the input is not an RPM package at all (Error is empty).
	NotRPM bool   `json:"not_rpm,omitempty"`
	Error  string `json:"error,omitempty"`
	// Lints are warnings and errors logged while verifying, in order.
	Lints []Lint `json:"lints,omitempty"`
}

// Seen reports which item types were printed and which of those were not
// OK (for rpm's one-line "digests SIGNATURES NOT OK" form).
func (r *Result) Seen() (seen, bad ItemType) {
	for _, it := range r.Items {
		if !it.Shown {
			continue
		}
		seen |= it.Type
		if it.RC != RCOK {
			bad |= it.Type
		}
	}
	return seen, bad
}
