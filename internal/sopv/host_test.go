package sopv

import (
	"slices"
	"testing"
)

func TestArgv(t *testing.T) {
	for argv0, want := range map[string][]string{
		"/usr/bin/rpmpgp-sopv": {"sopv", "verify", "x"},
		"sopv":                 {"sopv", "verify", "x"},
		"/usr/bin/rpmpgp":      {"verify", "x"},
		"rpmpgp-sopv-old":      {"verify", "x"},
	} {
		if got := Argv(argv0, []string{"verify", "x"}); !slices.Equal(got, want) {
			t.Errorf("Argv(%q) = %q, want %q", argv0, got, want)
		}
	}
}

func TestSplitHostArgs(t *testing.T) {
	isHost := func(n string) bool { return n == "backend" || n == "policy" }
	for _, tc := range []struct {
		in, host, rest []string
	}{
		{[]string{"--backend", "openssl", "verify", "--backend", "s", "c"}, []string{"--backend", "openssl"}, []string{"verify", "--backend", "s", "c"}},
		{[]string{"--debug", "--policy=p.toml", "version"}, []string{"--policy=p.toml"}, []string{"--debug", "version"}},
		{[]string{"--frob", "version"}, nil, []string{"--frob", "version"}},
		{[]string{"--", "--backend", "x"}, nil, []string{"--", "--backend", "x"}},
		{[]string{"--backend"}, []string{"--backend"}, nil},
		{nil, nil, nil},
	} {
		host, rest := SplitHostArgs(tc.in, isHost)
		if !slices.Equal(host, tc.host) || !slices.Equal(rest, tc.rest) {
			t.Errorf("SplitHostArgs(%q) = %q %q, want %q %q", tc.in, host, rest, tc.host, tc.rest)
		}
	}
}
