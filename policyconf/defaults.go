package policyconf

import "time"

// Defaults are collected in this file so that distributions can patch them.
// They are Sequoia's StandardPolicy (sequoia-openpgp 2.1, policy.rs) with
// rpm-sequoia's one change: v3 signature packets are accepted
// (rpm-sequoia src/lib.rs _rpmInitCrypto, RHBZ#2141686).

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// Default returns a fresh copy of the built-in default policy.
func Default() *Policy {
	never := date(1970, 1, 1)
	p := &Policy{
		HashCR: map[string]*time.Time{
			"md5": date(1997, 2, 1), "sha1": date(2013, 2, 1), "ripemd160": date(2013, 2, 1),
			"sha224": nil, "sha256": nil, "sha384": nil, "sha512": nil, "sha3-256": nil, "sha3-512": nil,
		},
		HashSPR: map[string]*time.Time{
			"md5": date(2004, 2, 1), "sha1": date(2023, 2, 1), "ripemd160": date(2013, 2, 1),
			"sha224": nil, "sha256": nil, "sha384": nil, "sha512": nil, "sha3-256": nil, "sha3-512": nil,
		},
		Asymmetric: map[string]*time.Time{
			"rsa1024": date(2014, 2, 1), "rsa2048": nil, "rsa3072": nil, "rsa4096": nil,
			"elgamal1024": date(2014, 2, 1), "elgamal2048": date(2025, 2, 1), "elgamal3072": date(2025, 2, 1), "elgamal4096": date(2025, 2, 1),
			"dsa1024": date(2014, 2, 1), "dsa2048": date(2030, 2, 1), "dsa3072": date(2030, 2, 1), "dsa4096": date(2030, 2, 1),
			"nistp256": nil, "nistp384": nil, "nistp521": nil,
			"brainpoolp256": nil, "brainpoolp384": nil, "brainpoolp512": nil,
			"cv25519": nil, "x25519": nil, "x448": nil, "ed25519": nil, "ed448": nil, "eddsa": nil,
			"mldsa65-ed25519": nil, "mldsa87-ed448": nil, "mlkem768-x25519": nil, "mlkem1024-x448": nil,
			"slhdsa128s": nil, "slhdsa128f": nil, "slhdsa256s": nil,
		},
		Symmetric: map[string]*time.Time{
			"idea": date(2025, 2, 1), "tripledes": date(2017, 2, 1), "cast5": date(2025, 2, 1),
			"blowfish": nil, "aes128": nil, "aes192": nil, "aes256": nil, "twofish": nil,
			"camellia128": nil, "camellia192": nil, "camellia256": nil,
		},
		AEAD: map[string]*time.Time{"eax": nil, "ocb": nil, "gcm": nil},
		Packets: map[string]*time.Time{
			"pkesk": nil, "signature": nil, "skesk": nil, "onepasssig": nil, "secretkey": nil,
			"publickey": nil, "secretsubkey": nil, "compresseddata": nil, "sed": date(2004, 2, 1),
			"marker": nil, "literal": nil, "trust": nil, "userid": nil, "publicsubkey": nil,
			"userattribute": nil, "seip": nil, "mdc": nil, "aed": never, "padding": nil,
		},
		PacketVersions: map[string]map[int]*time.Time{
			// StandardPolicy rejects v3 signatures since 2021-02-01 and v5
			// always; rpm-sequoia accepts v3 (accept_packet_tag_version).
			"signature": {3: nil, 5: never},
		},
	}
	return p
}
