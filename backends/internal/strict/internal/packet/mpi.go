package packet

import (
	"errors"
	"fmt"
)

// ErrMalformedMPI marks MPI encoding errors so that pgpPrtParams can add
// rpm-sequoia's rpm#2351 explanation (src/lib.rs pgp_prt_params,
// Packet::Unknown arm, openpgp::Error::MalformedMPI).
var ErrMalformedMPI = errors.New("Malformed MPI")

// mpiError is Sequoia's Error::MalformedMPI ("Malformed MPI: <detail>").
type mpiError struct{ detail string }

func (e *mpiError) Error() string        { return "Malformed MPI: " + e.detail }
func (e *mpiError) Is(target error) bool { return target == ErrMalformedMPI }

// NonConformantMPI is the context rpm-sequoia adds to MPI parse failures.
const NonConformantMPI = "Signature appears to be created by a non-conformant OpenPGP implementation, see <https://github.com/rpm-software-management/rpm/issues/2351>."

// ReadMPI reads one MPI (RFC 9580, Section 3.2) from the start of buf and
// returns its value bytes (aliasing buf) and the bytes consumed. Like
// Sequoia it requires the declared bit count to equal the position of the
// most significant set bit: golang.org/x/crypto/openpgp wrote
// 8*len(bytes) regardless (rpm issue #2351), which Sequoia rejects with
// "leading bit is not set: expected bit N to be set in <byte> (<hex>)".
// The length comes from a 16-bit field, so at most 8 KiB is referenced and
// nothing is allocated.
func ReadMPI(buf []byte) (value []byte, n int, err error) {
	if len(buf) < 2 {
		return nil, 0, ErrTruncated
	}
	bits := int(buf[0])<<8 | int(buf[1])
	nbytes := (bits + 7) / 8
	if len(buf) < 2+nbytes {
		return nil, 0, ErrTruncated
	}
	value = buf[2 : 2+nbytes]
	if bits == 0 {
		return value, 2, nil
	}
	unused := nbytes*8 - bits
	lead := leadingZeros8(value[0])
	if lead != unused {
		return nil, 0, &mpiError{detail: fmt.Sprintf("leading bit is not set: expected bit %d to be set in %8b (%x)", 8-unused, value[0], value[0])}
	}
	return value, 2 + nbytes, nil
}

func leadingZeros8(b byte) int {
	n := 0
	for i := 7; i >= 0 && b&(1<<uint(i)) == 0; i-- {
		n++
	}
	return n
}

// BitLen is the bit length of a big-endian unsigned integer.
func BitLen(v []byte) int {
	for i, b := range v {
		if b != 0 {
			return (len(v)-i-1)*8 + 8 - leadingZeros8(b)
		}
	}
	return 0
}
