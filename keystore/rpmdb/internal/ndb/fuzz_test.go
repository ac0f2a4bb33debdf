package ndb

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// FuzzNDB feeds arbitrary bytes to the ndb reader: it must fail or return
// headers, never panic or allocate more than its bounds.
func FuzzNDB(f *testing.F) {
	seed := make([]byte, ndbPageSize+64)
	binary.LittleEndian.PutUint32(seed[0:], ndbMagic)
	binary.LittleEndian.PutUint32(seed[12:], 1)
	for o := ndbSlotStart * ndbSlotSize; o < ndbPageSize; o += ndbSlotSize {
		binary.LittleEndian.PutUint32(seed[o:], ndbSlotMagic)
	}
	slot := seed[ndbSlotStart*ndbSlotSize:]
	binary.LittleEndian.PutUint32(slot[4:], 1)
	binary.LittleEndian.PutUint32(slot[8:], ndbPageSize/ndbBlkSize)
	binary.LittleEndian.PutUint32(slot[12:], 4)
	binary.LittleEndian.PutUint32(seed[ndbPageSize:], ndbHeadMagic)
	binary.LittleEndian.PutUint32(seed[ndbPageSize+4:], 1)
	binary.LittleEndian.PutUint32(seed[ndbPageSize+12:], 24)
	f.Add(seed)
	f.Add([]byte("RpmP"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, recs, err := readOnce(bytes.NewReader(b), int64(len(b)), "gpg-pubkey")
		if err != nil {
			return
		}
		for _, r := range recs {
			if len(r.Blob) > MaxHeader {
				t.Fatalf("record of %d bytes", len(r.Blob))
			}
		}
	})
}
