package convert

import (
	"fmt"

	"github.com/rpmpgp/rpmpgp/core"
)

// Bounds of rpm's pgpArmor values (whatever the order of the names).
const (
	minArmorKind = min(core.ArmorErrCRCCheck, core.ArmorErrBodyDecode, core.ArmorErrCRCDecode,
		core.ArmorErrNoEndPGP, core.ArmorErrUnknownPreamble, core.ArmorErrUnknownArmorType, core.ArmorErrNoBeginPGP)
	maxArmorKind = max(core.ArmorMessage, core.ArmorPubKey, core.ArmorSignature, core.ArmorSignedMessage,
		core.ArmorFile, core.ArmorPrivKey, core.ArmorSecKey)
)

// ArmorKindToProto converts k.
func ArmorKindToProto(k core.ArmorKind) int32 { return clampInt32(int(k)) }

// ArmorKindFromProto converts k; a value outside rpm's pgpArmor range is an
// error.
func ArmorKindFromProto(k int32) (core.ArmorKind, error) {
	if k < int32(minArmorKind) || k > int32(maxArmorKind) {
		return 0, fmt.Errorf("armor kind %d out of range", k)
	}
	return core.ArmorKind(k), nil
}

// ParseArmorFromProto converts the answer of ParseArmor: a kind <= 0 must
// come without data.
func ParseArmorFromProto(kind int32, data []byte) (core.ArmorKind, []byte, error) {
	k, err := ArmorKindFromProto(kind)
	if err != nil {
		return 0, nil, err
	}
	if k <= core.ArmorNone {
		if len(data) != 0 {
			return 0, nil, fmt.Errorf("armor kind %d came with %d bytes of data", k, len(data))
		}
		return k, nil, nil
	}
	return k, data, nil
}
