package core

import "testing"

func TestParseFIPSMode(t *testing.T) {
	tests := []struct {
		in   string
		want FIPSMode
		ok   bool
	}{
		{"", FIPSAuto, true},
		{"auto", FIPSAuto, true},
		{"require", FIPSRequire, true},
		{"off", FIPSOff, true},
		{"on", "", false},
		{"Require", "", false},
		{"yes", "", false},
	}
	for _, tt := range tests {
		got, err := ParseFIPSMode(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseFIPSMode(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if FIPSMode(tt.in).Valid() != tt.ok {
			t.Errorf("FIPSMode(%q).Valid() = %v", tt.in, !tt.ok)
		}
	}
	if _, err := ParseFIPSMode("on"); err == nil || err.Error() != `unknown FIPS mode "on" (want auto, require or off)` {
		t.Errorf("error = %v", err)
	}
	if FIPSMode("").OrAuto() != FIPSAuto || FIPSOff.OrAuto() != FIPSOff {
		t.Error("OrAuto")
	}
	var o Options
	if o.FIPS.OrAuto() != FIPSAuto {
		t.Error("zero Options is not FIPS auto")
	}
}
