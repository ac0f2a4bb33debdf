package sopv

import (
	"fmt"
	"time"
)

// dateLayouts are the ISO-8601 forms accepted for DATE (spec "Date"): the
// RFC 3339 profile with a zone (Z or an offset, optional fraction), the
// basic format, and a date alone (midnight UTC).
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"20060102T150405Z",
	"20060102T150405Z0700",
	"2006-01-02",
}

// parseDate parses a --not-before/--not-after DATE. "now" is the current
// time; "-" is the beginning of time for --not-before and the end of time
// for --not-after (ok=false: no bound).
func parseDate(s string, now time.Time) (t time.Time, bounded bool, err error) {
	switch s {
	case "-":
		return time.Time{}, false, nil
	case "now":
		return now, true, nil
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("%q is not an ISO-8601 date (e.g. 2024-01-02T15:04:05Z)", s)
}

// window is the --not-before/--not-after range a signature's creation
// time must fall in (both ends included).
type window struct {
	notBefore, notAfter time.Time
	hasBefore, hasAfter bool
}

// contains reports whether t lies in the window.
func (w window) contains(t time.Time) bool {
	if w.hasBefore && t.Before(w.notBefore) {
		return false
	}
	if w.hasAfter && t.After(w.notAfter) {
		return false
	}
	return true
}

// parseWindow reads the two options; defaults are "-" (the beginning of
// time) and "now" (spec, sopv-verify(1)). The spec names no code for a
// DATE that does not parse: it is an unspecified failure (1), as in sqop
// and sop-java's DateParser.
func parseWindow(opts map[string]string, now time.Time) (window, error) {
	var w window
	nb, ok := opts["not-before"]
	if !ok {
		nb = "-"
	}
	na, ok := opts["not-after"]
	if !ok {
		na = "now"
	}
	var err error
	if w.notBefore, w.hasBefore, err = parseDate(nb, now); err != nil {
		return w, &Error{Code: ExitUnspecified, Err: fmt.Errorf("--not-before: %w", err)}
	}
	if w.notAfter, w.hasAfter, err = parseDate(na, now); err != nil {
		return w, &Error{Code: ExitUnspecified, Err: fmt.Errorf("--not-after: %w", err)}
	}
	return w, nil
}
