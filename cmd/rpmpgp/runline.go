package main

import (
	"fmt"

	"github.com/rpmpgp/rpmpgp/core"
)

// runLine is the stderr line of checksig -vv: which backend runs, from
// which binary, in which FIPS state, under which crypto policy. It is not
// printed with a single -v, whose stderr stays rpmkeys -Kv's (scripts and
// the mutation harness compare it with rpm's, byte for byte); rpm's own
// diagnostics also start at -vv.
func runLine(s *settings, b *openedBackend) string {
	desc := b.initialised()
	fips := "off"
	if desc.FIPS {
		fips = "on"
	}
	policy := "no crypto policy (the legacy profile applies rpm 4.18's rules)"
	if desc.Profile == core.ProfileStrict {
		policy = "policy " + b.policy.String()
	}
	return fmt.Sprintf("rpmpgp: backend %s %s (%s), FIPS %s (fips = %s), %s",
		desc.Name, desc.Version, b.Path(), fips, s.FIPS, policy)
}
