package core

// VerifyConfig selects the verification flow a [Verifier] runs and its
// knobs. The zero value is the strictest configuration: rpm 6's flow
// ([ProfileStrict]), verify level all ([LevelAll]: every package needs a
// verified digest and a verified signature, so an unsigned package fails)
// and no item disabled. [StrictDefaults] and [LegacyDefaults] are rpm's
// shipped defaults.
type VerifyConfig struct {
	// Profile picks rpm 6's flow ([ProfileStrict], the zero value) or rpm
	// 4.18's ([ProfileLegacy]): the item table, the order of items and how
	// failures combine.
	Profile Profile
	// Level is the verify level (%_pkgverify_level); the zero value is
	// [LevelAll].
	Level Level
	// Flags disables items (%_pkgverify_flags plus --nodigest and
	// --nosignature); the zero value disables none.
	Flags VSFlags
}

// StrictDefaults is rpm 6's default: level all, MD5 and SHA-1 header digests
// off (%_pkgverify_flags 0x20100).
func StrictDefaults() VerifyConfig {
	return VerifyConfig{Profile: ProfileStrict, Level: LevelAll, Flags: VSFNoSHA1Header | VSFNoMD5}
}

// LegacyDefaults is rpm 4.18's default: level digest, every item on.
func LegacyDefaults() VerifyConfig {
	return VerifyConfig{Profile: ProfileLegacy, Level: LevelDigest}
}

// Defaults returns the profile's rpm defaults: [StrictDefaults] or
// [LegacyDefaults] (and StrictDefaults for an unknown profile).
func Defaults(p Profile) VerifyConfig {
	if p == ProfileLegacy {
		return LegacyDefaults()
	}
	return StrictDefaults()
}
