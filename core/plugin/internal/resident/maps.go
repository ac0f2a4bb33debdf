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
	return checkMaps(pid, f)
}

// checkMaps is CheckMappings over the maps text r of process pid. A text
// longer than maxMaps is refused: a mapping of a deleted file past the
// limit would otherwise go unseen.
func checkMaps(pid int, r io.Reader) error {
	lr := &io.LimitedReader{R: r, N: maxMaps + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		if lr.N == 0 {
			break
		}
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
	if err := sc.Err(); err != nil {
		return fmt.Errorf("process %d: reading its mappings: %w", pid, err)
	}
	if lr.N == 0 {
		return fmt.Errorf("/proc/%d/maps is longer than %d bytes: the process is not checked, not used", pid, maxMaps)
	}
	return nil
}
