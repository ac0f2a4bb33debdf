package policyconf

import "github.com/rpmpgp/rpmpgp/core"

// The names a policy file may use, per section, in the order
// sequoia-openpgp's variants() lists them (the order `--dump` prints).
// They are sequoia-policy-config 0.8.0's tables (src/lib.rs HASH_ALGO_MAP,
// ASYMM_ALGO_MAP, SYMM_ALGO_MAP, AEAD_ALGO_MAP, PACKET_MAP) plus the
// asymmetric names that newer sequoia-openpgp releases added (see
// newAsymmetricNames).

// Section names, in the order the parser applies them.
const (
	secHash       = "hash_algorithms"
	secAsymmetric = "asymmetric_algorithms"
	secSymmetric  = "symmetric_algorithms"
	secAEAD       = "aead_algorithms"
	secPackets    = "packets"

	keyIgnoreInvalid      = "ignore_invalid"
	keyDefaultDisposition = "default_disposition"
	keyCR                 = "collision_resistance"
	keySPR                = "second_preimage_resistance"
)

// sectionNames are the known top-level tables, in the order Parse applies
// them (hash, asymmetric, symmetric, aead, packets).
var sectionNames = []string{secHash, secAsymmetric, secSymmetric, secAEAD, secPackets}

// hashNames lists the hash algorithm names a policy file may set: the
// Policy column of core's algorithm table, in ID order.
var hashNames = func() []string {
	var names []string
	for _, h := range core.HashesByID(func(h core.HashInfo) bool { return h.Policy != "" }) {
		names = append(names, h.Policy)
	}
	return names
}()

// asymmetricNames lists the asymmetric algorithm bucket names a policy file
// may set: sequoia-policy-config 0.8.0's 23 names, then the newer ones
// (eddsa, the ML-KEM and ML-DSA composites and SLH-DSA).
var asymmetricNames = []string{
	"rsa1024", "rsa2048", "rsa3072", "rsa4096",
	"elgamal1024", "elgamal2048", "elgamal3072", "elgamal4096",
	"dsa1024", "dsa2048", "dsa3072", "dsa4096",
	"nistp256", "nistp384", "nistp521",
	"brainpoolp256", "brainpoolp384", "brainpoolp512",
	"cv25519", "x25519", "ed25519", "x448", "ed448",
	// Not known to sequoia-policy-config 0.8.0 (see newAsymmetricNames).
	"eddsa",
	"mlkem768-x25519", "mlkem1024-x448",
	"mldsa65-ed25519", "mldsa87-ed448",
	"slhdsa128s", "slhdsa128f", "slhdsa256s",
}

// newAsymmetricNames are the asymmetric names that sequoia-policy-config
// 0.8.0 does not know. Parse accepts them as known names; Format lists them
// in ignore_invalid so that its output also passes the 0.8.0 checker.
var newAsymmetricNames = map[string]bool{
	"eddsa": true, "mlkem768-x25519": true, "mlkem1024-x448": true,
	"mldsa65-ed25519": true, "mldsa87-ed448": true,
	"slhdsa128s": true, "slhdsa128f": true, "slhdsa256s": true,
}

// symmetricNames lists the symmetric algorithm names a policy file may set.
var symmetricNames = []string{"idea", "tripledes", "cast5", "blowfish", "aes128", "aes192", "aes256", "twofish", "camellia128", "camellia192", "camellia256"}

// aeadNames lists the AEAD algorithm names a policy file may set.
var aeadNames = []string{"eax", "ocb", "gcm"}

// packetNames lists the packet names a policy file may set, in tag order.
var packetNames = []string{
	"pkesk", "signature", "skesk", "onepasssig", "secretkey", "publickey",
	"secretsubkey", "compresseddata", "sed", "marker", "literal", "trust",
	"userid", "publicsubkey", "userattribute", "seip", "mdc", "aed", "padding",
}

// packetVersions lists, per versioned packet, the versions a policy file may
// set as "<packet>.v<N>". Packets not listed here are unversioned.
var packetVersions = map[string][]int{
	"pkesk":        {3, 5, 6},
	"signature":    {3, 4, 5, 6},
	"skesk":        {4, 5, 6},
	"onepasssig":   {3, 6},
	"secretkey":    {4, 5, 6},
	"publickey":    {4, 5, 6},
	"secretsubkey": {4, 5, 6},
	"publicsubkey": {4, 5, 6},
	"seip":         {1, 2},
	"aed":          {1},
}

// PacketVersionNames returns the versions a policy file may set for packet
// name (nil for an unversioned or unknown packet).
func PacketVersionNames(name string) []int {
	return append([]int(nil), packetVersions[name]...)
}

func knownPacketVersion(name string, v int) bool {
	for _, k := range packetVersions[name] {
		if k == v {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
