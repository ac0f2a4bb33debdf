// Package pgppacket decodes the header of an OpenPGP packet (RFC 9580,
// Section 4.2): the packet's tag and how its body's length is given, in
// the OpenPGP format (Section 4.2.1: one-, two- and five-octet lengths and
// partial body lengths) and in the legacy format (Section 4.2.2: one-, two-
// and four-octet lengths and the indeterminate length).
//
// The strict backends' packet reader, the LD_PRELOAD library, the
// conformance key splitter and sopv all frame packets through [Parse] and
// keep for themselves the policy of which length kinds they accept and the
// texts of their errors. The internal-legacy backend keeps its own
// decodePkt/pgpLen on purpose: it reproduces rpm 4.18's off-by-one
// quirks, which a correct decoder must not have.
//
// [Parse] only reads the header: it never allocates, never panics, and
// never reads past the slice it is given. It does not check that the body
// fits in that slice, so that a caller can stream; [Header.End] does that
// check without overflow for a caller that holds the whole packet.
package pgppacket
