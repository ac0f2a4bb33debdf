package policyconf

import (
	"math"
	"strings"
	"time"
	"unicode"
)

// Cutoff values, as sequoia-policy-config's parse_time reads them: "always",
// "never", chrono's DateTime::parse_from_rfc3339, then chrono's
// NaiveDate::parse_from_str(s, "%Y-%m-%d") at midnight UTC. The result is
// clamped the way sequoia-openpgp's system_time_cutoff_to_timestamp does.

// ParseCutoff parses a cutoff written as a string in a policy file:
// "always" (nil: no cutoff), "never" (the Unix epoch), an RFC 3339 date-time
// with a UTC offset ("2010-01-01T00:00:00Z", "2010-01-01 00:00:00+02:00";
// fractional seconds are truncated) or a date "2023-02-01" (midnight UTC).
// The result is clamped to an OpenPGP timestamp: a time before 1970 becomes
// the epoch (never), a time after 2106-02-07T06:28:15Z becomes nil (always).
// ok is false if s is none of these (matching is case-sensitive).
func ParseCutoff(s string) (cutoff *time.Time, ok bool) {
	switch s {
	case "always":
		return nil, true
	case "never":
		return neverCutoff(), true
	}
	if t, ok := parseRFC3339Chrono(s); ok {
		return clampCutoff(t), true
	}
	if t, ok := parseDateChrono(s); ok {
		return clampCutoff(t), true
	}
	return nil, false
}

// maxTimestamp is the last second an OpenPGP (u32) timestamp can express:
// 2106-02-07T06:28:15Z.
const maxTimestamp = math.MaxUint32

func neverCutoff() *time.Time {
	t := time.Unix(0, 0).UTC()
	return &t
}

// clampCutoff converts t to a cutoff with whole-second precision: before
// the epoch -> the epoch; after maxTimestamp -> nil (no cutoff).
func clampCutoff(t time.Time) *time.Time {
	secs := t.Unix()
	if secs < 0 {
		return neverCutoff()
	}
	if secs > maxTimestamp {
		return nil
	}
	c := time.Unix(secs, 0).UTC()
	return &c
}

// chrono's NaiveDate range.
const (
	chronoMinYear = -262144
	chronoMaxYear = 262143
)

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// fixedDigits reads exactly n ASCII digits at s[*p:].
func fixedDigits(s string, p *int, n int) (int, bool) {
	if *p+n > len(s) {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		c := s[*p+i]
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	*p += n
	return v, true
}

func expectByte(s string, p *int, b byte) bool {
	if *p < len(s) && s[*p] == b {
		*p++
		return true
	}
	return false
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func validDate(y, m, d int) bool {
	return y >= chronoMinYear && y <= chronoMaxYear && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, time.Month(m))
}

// parseRFC3339Chrono follows chrono's parse_rfc3339 (chrono 0.4.3x):
// YYYY-MM-DD, then 'T', 't' or ' ', hh:mm:ss, an optional fraction of one
// or more digits (digits past the ninth are skipped), then 'Z', 'z' or an
// offset (+|-|U+2212)hh:mm of at most 23:59. Second 60 (a leap second) is
// accepted. Nothing may follow.
func parseRFC3339Chrono(s string) (time.Time, bool) {
	p := 0
	year, ok1 := fixedDigits(s, &p, 4)
	ok2 := expectByte(s, &p, '-')
	month, ok3 := fixedDigits(s, &p, 2)
	ok4 := expectByte(s, &p, '-')
	day, ok5 := fixedDigits(s, &p, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || p >= len(s) {
		return time.Time{}, false
	}
	switch s[p] {
	case 'T', 't', ' ':
		p++
	default:
		return time.Time{}, false
	}
	hour, ok1 := fixedDigits(s, &p, 2)
	ok2 = expectByte(s, &p, ':')
	minute, ok3 := fixedDigits(s, &p, 2)
	ok4 = expectByte(s, &p, ':')
	sec, ok5 := fixedDigits(s, &p, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return time.Time{}, false
	}
	nsec := 0
	if p < len(s) && s[p] == '.' {
		p++
		start := p
		for p < len(s) && isDigit(s[p]) {
			if p-start < 9 {
				nsec = nsec*10 + int(s[p]-'0')
			}
			p++
		}
		n := p - start
		if n == 0 {
			return time.Time{}, false
		}
		for ; n < 9; n++ {
			nsec *= 10
		}
	}
	if p >= len(s) {
		return time.Time{}, false
	}
	offset := 0
	switch {
	case s[p] == 'Z' || s[p] == 'z':
		p++
	default:
		sign := 0
		switch {
		case s[p] == '+':
			sign, p = 1, p+1
		case s[p] == '-':
			sign, p = -1, p+1
		case strings.HasPrefix(s[p:], "\u2212"):
			sign, p = -1, p+len("\u2212")
		default:
			return time.Time{}, false
		}
		oh, ok1 := fixedDigits(s, &p, 2)
		ok2 := expectByte(s, &p, ':')
		om, ok3 := fixedDigits(s, &p, 2)
		if !(ok1 && ok2 && ok3) || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		offset = sign * (oh*3600 + om*60)
	}
	if p != len(s) {
		return time.Time{}, false
	}
	if !validDate(year, month, day) || hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	// time.Date normalises second 60 into the next minute, which is what
	// chrono's leap-second representation becomes as a SystemTime.
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.FixedZone("", offset)), true
}

// parseDateChrono follows chrono's NaiveDate::parse_from_str(s, "%Y-%m-%d"):
// whitespace may precede each number; the year has 1-4 digits, or any number
// of digits after an explicit sign; month and day have 1-2 digits. Nothing
// may follow.
func parseDateChrono(s string) (time.Time, bool) {
	p := 0
	number := func(maxWidth int) (int, bool) {
		start := p
		v := 0
		for p < len(s) && isDigit(s[p]) && p-start < maxWidth {
			if v > chronoMaxYear*10 { // far out of every range; stop growing
				v = chronoMaxYear * 10
			} else {
				v = v*10 + int(s[p]-'0')
			}
			p++
		}
		return v, p > start
	}
	trim := func() {
		rest := strings.TrimLeftFunc(s[p:], unicode.IsSpace)
		p = len(s) - len(rest)
	}
	trim()
	var year int
	var ok bool
	switch {
	case p < len(s) && s[p] == '-':
		p++
		year, ok = number(math.MaxInt)
		year = -year
	case p < len(s) && s[p] == '+':
		p++
		year, ok = number(math.MaxInt)
	default:
		year, ok = number(4)
	}
	if !ok || !expectByte(s, &p, '-') {
		return time.Time{}, false
	}
	trim()
	month, ok := number(2)
	if !ok || !expectByte(s, &p, '-') {
		return time.Time{}, false
	}
	trim()
	day, ok := number(2)
	if !ok || p != len(s) || !validDate(year, month, day) {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
}
