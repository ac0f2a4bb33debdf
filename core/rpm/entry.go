package rpm

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Entry is one header index entry with its data. The reader has verified
// that Data lies inside the data store, that typed data is aligned, that
// strings are NUL-terminated and that Count matches Data, exactly as rpm's
// hdrblobVerifyInfo does.
type Entry struct {
	Tag    Tag
	Type   Type
	Offset uint32 // offset in the data store (for a region entry: of its trailer; rpm allows -16..-1, stored as uint32)
	Count  uint32
	// Data is the entry's raw bytes in the store (big endian; strings with
	// their NULs). It aliases the header's Raw bytes: do not modify.
	Data []byte
}

func (e *Entry) typeErr(want string) error {
	return fmt.Errorf("rpm: tag %d: type %v, want %s", e.Tag, e.Type, want)
}

// Bin returns the data of a TypeBin entry.
func (e *Entry) Bin() ([]byte, error) {
	if e.Type != TypeBin {
		return nil, e.typeErr("BIN")
	}
	if uint64(len(e.Data)) != uint64(e.Count) {
		return nil, fmt.Errorf("rpm: tag %d: BIN count %d but %d bytes", e.Tag, e.Count, len(e.Data))
	}
	return e.Data, nil
}

// String returns the value of a TypeString entry without its NUL. It accepts
// TypeString only: rpm's verification (lib/rpmvs.c:rpmsinfoInit) requires the
// exact type of every digest tag, so a string array or I18N string where a
// string is expected is an error, not its first element. Use [Entry.Strings]
// for display purposes.
func (e *Entry) String() (string, error) {
	if e.Type != TypeString {
		return "", e.typeErr("STRING")
	}
	ss, err := e.split()
	if err != nil {
		return "", err
	}
	if len(ss) != 1 {
		return "", fmt.Errorf("rpm: tag %d: STRING with %d values", e.Tag, len(ss))
	}
	return ss[0], nil
}

// StringArray returns the values of a TypeStringArray entry.
func (e *Entry) StringArray() ([]string, error) {
	if e.Type != TypeStringArray {
		return nil, e.typeErr("STRING_ARRAY")
	}
	return e.split()
}

// Strings returns the values of any string-class entry (TypeString,
// TypeStringArray or TypeI18NString, all locales).
func (e *Entry) Strings() ([]string, error) {
	if !isStringClass(e.Type) {
		return nil, e.typeErr("a string type")
	}
	return e.split()
}

// split splits Data into Count NUL-terminated strings.
func (e *Entry) split() ([]string, error) {
	if e.Count == 0 || uint64(e.Count) > uint64(len(e.Data)) {
		return nil, fmt.Errorf("rpm: tag %d: %d strings in %d bytes", e.Tag, e.Count, len(e.Data))
	}
	out := make([]string, 0, e.Count)
	rest := e.Data
	for range e.Count {
		i := bytes.IndexByte(rest, 0)
		if i < 0 {
			return nil, fmt.Errorf("rpm: tag %d: unterminated string", e.Tag)
		}
		out = append(out, string(rest[:i]))
		rest = rest[i+1:]
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("rpm: tag %d: %d bytes after %d strings", e.Tag, len(rest), e.Count)
	}
	return out, nil
}

// fixed checks a fixed-size entry's type and length.
func (e *Entry) fixed(t Type, size int) error {
	if e.Type != t {
		return e.typeErr(t.String())
	}
	if uint64(len(e.Data)) != uint64(e.Count)*uint64(size) {
		return fmt.Errorf("rpm: tag %d: %v count %d but %d bytes", e.Tag, t, e.Count, len(e.Data))
	}
	return nil
}

// Uint16s returns the values of a TypeInt16 entry.
func (e *Entry) Uint16s() ([]uint16, error) {
	if err := e.fixed(TypeInt16, 2); err != nil {
		return nil, err
	}
	out := make([]uint16, e.Count)
	for i := range out {
		out[i] = binary.BigEndian.Uint16(e.Data[2*i:])
	}
	return out, nil
}

// Uint32s returns the values of a TypeInt32 entry.
func (e *Entry) Uint32s() ([]uint32, error) {
	if err := e.fixed(TypeInt32, 4); err != nil {
		return nil, err
	}
	out := make([]uint32, e.Count)
	for i := range out {
		out[i] = binary.BigEndian.Uint32(e.Data[4*i:])
	}
	return out, nil
}

// Uint64s returns the values of a TypeInt64 entry.
func (e *Entry) Uint64s() ([]uint64, error) {
	if err := e.fixed(TypeInt64, 8); err != nil {
		return nil, err
	}
	out := make([]uint64, e.Count)
	for i := range out {
		out[i] = binary.BigEndian.Uint64(e.Data[8*i:])
	}
	return out, nil
}
