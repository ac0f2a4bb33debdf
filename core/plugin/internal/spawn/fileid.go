package spawn

import (
	"errors"
	"os"
	"syscall"
)

// FileID identifies the exact contents of a file without reading it: any
// write changes the ctime, which no user can set back, and a replaced file
// has another inode.
type FileID struct {
	Dev     uint64 `json:"dev"`
	Ino     uint64 `json:"ino"`
	Size    int64  `json:"size"`
	MtimeNS int64  `json:"mtime_ns"`
	CtimeNS int64  `json:"ctime_ns"`
}

// IDOf returns the FileID of fi (from os.File.Stat or os.Stat).
func IDOf(fi os.FileInfo) (FileID, error) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return FileID{}, errors.New("no stat information")
	}
	return FileID{
		Dev: uint64(st.Dev), Ino: st.Ino, Size: st.Size,
		MtimeNS: st.Mtim.Nano(), CtimeNS: st.Ctim.Nano(),
	}, nil
}
