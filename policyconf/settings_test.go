package policyconf

import (
	"strings"
	"testing"
)

// TestSettingsMatchFormat: Settings gives exactly the "key = value" lines
// of Format (ignore_invalid aside), section by section, for the defaults
// and for a policy with split hash properties and per-version packets.
func TestSettingsMatchFormat(t *testing.T) {
	t.Parallel()
	custom, err := Parse("custom", []byte("[hash_algorithms]\nsha1.collision_resistance = \"never\"\nsha256 = 2030-01-01T12:00:00Z\n[packets]\nsignature.v3 = \"never\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*Policy{"default": nil, "custom": custom} {
		var want []string
		section := ""
		for _, l := range strings.Split(Format(p), "\n") {
			switch {
			case strings.HasPrefix(l, "["):
				section = strings.Trim(l, "[]")
			case l == "", strings.HasPrefix(l, "#"), strings.Contains(l, keyIgnoreInvalid+" = "):
			default:
				want = append(want, section+" "+strings.ReplaceAll(l, `"`, ""))
			}
		}
		var got []string
		for _, s := range Settings(p) {
			got = append(got, s.Section+" "+s.Key+" = "+s.Value)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: Settings\n%s\nFormat\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if len(got) < 40 {
			t.Errorf("%s: only %d settings", name, len(got))
		}
	}
	found := false
	for _, s := range Settings(custom) {
		if s.Key == "sha1.collision_resistance" && s.Value == "never" {
			found = true
		}
	}
	if !found {
		t.Error("custom: no sha1.collision_resistance = never")
	}
}
