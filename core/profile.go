package core

import "fmt"

// Profile is whose semantics a backend implements and whose flow and output
// a [Verifier] reproduces. It is the one name for what the settings, the
// backends' [Description], the CLI's output styles and the conformance
// harness used to spell as "strict"/"legacy", rpm 6/rpm 4.18 rules and
// rpm6/rpm4 styles.
//
// The zero value is [ProfileStrict], the stricter of the two.
type Profile uint8

// Profiles.
const (
	// ProfileStrict is rpm 6 with rpm-sequoia: lib/rpmvs.cc's item table,
	// ordering and failure rules, rpm 6's output (lib/rpmvs.cc
	// rpmsinfoMsg), and Sequoia's policy in the backend.
	ProfileStrict Profile = iota
	// ProfileLegacy is rpm 4.18 with its internal OpenPGP parser:
	// lib/rpmvs.c's item table, ordering and failure rules, and rpm 4.18's
	// output.
	ProfileLegacy
)

// String returns the profile's name: "strict" or "legacy"; an unknown
// value gives "Profile(n)".
func (p Profile) String() string {
	switch p {
	case ProfileStrict:
		return "strict"
	case ProfileLegacy:
		return "legacy"
	}
	return fmt.Sprintf("Profile(%d)", uint8(p))
}

// Valid reports whether p is one of the defined profiles.
func (p Profile) Valid() bool { return p == ProfileStrict || p == ProfileLegacy }

// ParseProfile maps a profile name ("strict", "legacy") to its Profile.
func ParseProfile(s string) (Profile, error) {
	switch s {
	case "strict":
		return ProfileStrict, nil
	case "legacy":
		return ProfileLegacy, nil
	}
	return 0, fmt.Errorf("rpmpgp: unknown profile %q (want strict or legacy)", s)
}

// MarshalText implements [encoding.TextMarshaler]: JSON and TOML carry the
// name. An unknown value is an error, never a name of a real profile.
func (p Profile) MarshalText() ([]byte, error) {
	if !p.Valid() {
		return nil, fmt.Errorf("rpmpgp: invalid profile %d", uint8(p))
	}
	return []byte(p.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseProfile].
func (p *Profile) UnmarshalText(b []byte) error {
	v, err := ParseProfile(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
