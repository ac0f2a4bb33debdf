// Package pgparmor holds what the backends' ASCII armor code shares (RFC
// 9580, Section 6): the one CRC-24 of the tree and armor writing through
// go-crypto's armor package.
//
// Decoding is not shared: the strict backends follow Sequoia's tolerant
// armor reader and internal-legacy rpm 4.18's pgpParsePkts, and neither
// behaves like go-crypto's armor.Decode (see their ParseArmor).
package pgparmor
