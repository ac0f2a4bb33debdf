package resident

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxMaps bounds how much of /proc/PID/maps [CheckMappings] reads (a
// backend maps a few hundred regions, a few tens of KiB).
const maxMaps = 4 << 20

// CheckMappings refuses an instance (process pid) that runs code or data
// of a file that has since been deleted or replaced: its binary, or a
// library such as libcrypto after a package update (proc(5): the path of a
// mapping whose file is gone ends in " (deleted)"). Such an instance keeps
// the old code for as long as it lives; the host starts a new one instead.
func CheckMappings(pid int) error {
	f, err := os.Open(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, maxMaps))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		if line := sc.Text(); strings.HasSuffix(line, " (deleted)") {
			// address perms offset dev inode pathname (deleted); a
			// pathname may hold spaces.
			file := line
			if fields := strings.Fields(line); len(fields) >= 7 {
				file = strings.Join(fields[5:len(fields)-1], " ")
			}
			return fmt.Errorf("process %d runs a file that was deleted or replaced since it started: %s", pid, file)
		}
	}
	return sc.Err()
}
