// Package convert translates between the Go types of package core and the
// protobuf messages of package pb, so that neither backends nor the CLI ever
// see protobuf types. Each message family has its own small file; every
// function handles nil and zero values.
//
// Direction matters:
//
//   - ...ToProto functions never fail. They copy values faithfully (so a
//     host can detect a misbehaving backend) and force every string to
//     valid UTF-8, because protobuf refuses to marshal invalid UTF-8.
//   - ...FromProto functions validate what arrived: a value that does not
//     fit the Go type (an unknown result code, a key ID of the wrong length,
//     ...) is an error, never a verdict. The host must treat the peer as
//     untrusted input.
package convert

import "strings"

// String returns s with every invalid UTF-8 sequence replaced by U+FFFD, the
// form every string takes on the wire.
func String(s string) string {
	return strings.ToValidUTF8(s, "\uFFFD")
}

// Strings applies [String] to every element; nil stays nil.
func Strings(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = String(s)
	}
	return out
}

// nilIfEmpty maps an empty byte string (which protobuf cannot tell from nil)
// to nil.
func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
