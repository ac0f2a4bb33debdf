package core

import "fmt"

// Level is rpm's verify level (%_pkgverify_level): which kinds of item must
// positively cover both the header and the payload for a package to pass.
//
// The zero value is [LevelAll], the strictest level: a package needs a
// verified digest and a verified signature. (rpm itself stores the level as
// the bitmask [Level.Types]; the order of the constants here is what makes
// the zero value the safe one.)
type Level uint8

// Verify levels, strictest first.
const (
	// LevelAll requires digests and signatures (rpm 6's default).
	LevelAll Level = iota
	// LevelSignature requires signatures only.
	LevelSignature
	// LevelDigest requires digests only (rpm 4.18's default).
	LevelDigest
	// LevelNone requires nothing: only items that are present and fail
	// make a package fail.
	LevelNone
)

// ParseLevel maps rpm's level names (none, digest, signature, all).
func ParseLevel(s string) (Level, error) {
	switch s {
	case "none":
		return LevelNone, nil
	case "digest":
		return LevelDigest, nil
	case "signature":
		return LevelSignature, nil
	case "all":
		return LevelAll, nil
	}
	return 0, fmt.Errorf("invalid verify level %q (want none, digest, signature or all)", s)
}

// String returns rpm's name of the level.
func (l Level) String() string {
	switch l {
	case LevelNone:
		return "none"
	case LevelDigest:
		return "digest"
	case LevelSignature:
		return "signature"
	case LevelAll:
		return "all"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Valid reports whether l is one of the defined levels.
func (l Level) Valid() bool { return l <= LevelNone }

// Types returns the item types the level requires, as rpm stores the level
// (rpmvs.hh RPMSIG_DIGEST_TYPE | RPMSIG_SIGNATURE_TYPE); an invalid level
// requires every type.
func (l Level) Types() ItemType {
	switch l {
	case LevelNone:
		return 0
	case LevelDigest:
		return TypeDigest
	case LevelSignature:
		return TypeSignature
	}
	return TypeDigest | TypeSignature
}

// LevelFor returns the level that requires exactly the item types in t
// (rpm's bitmask); other bits are ignored.
func LevelFor(t ItemType) Level {
	switch t & (TypeDigest | TypeSignature) {
	case 0:
		return LevelNone
	case TypeDigest:
		return LevelDigest
	case TypeSignature:
		return LevelSignature
	}
	return LevelAll
}

// Without returns the level that no longer requires the item types in t
// (rpmcli's --nodigest and --nosignature mask the level this way).
func (l Level) Without(t ItemType) Level { return LevelFor(l.Types() &^ t) }
