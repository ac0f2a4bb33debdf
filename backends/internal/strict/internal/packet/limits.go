package packet

// Bounds on attacker-controlled input, checked before looping or
// allocating.
const (
	// MaxSubpackets caps the subpackets in one signature's hashed plus
	// unhashed areas (RFC 9580, Section 5.2.3.7 sets no limit).
	MaxSubpackets = 512
	// MaxEmbeddedDepth caps Embedded Signature nesting (RFC 9580, Section
	// 5.2.3.34): a backsig never embeds another signature.
	MaxEmbeddedDepth = 1
)
