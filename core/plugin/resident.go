package plugin

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/resident"
)

// ResidentInstances returns the resident backend instances recorded under
// runtimeDir (a user's $XDG_RUNTIME_DIR; see [LoadConfig].Resident): the
// process ID of each, by the instance's name. A record that is not a
// private file of this user in the record format is an error, naming it.
// It reads the records only: whether a process still runs is the
// caller's question.
func ResidentInstances(runtimeDir string) (map[string]int, error) {
	recs, err := filepath.Glob(filepath.Join(runtimeDir, "rpmpgp", "*"+resident.SuffixRecord))
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(recs))
	for _, path := range recs {
		rec, err := resident.ReadRecord(path)
		if err != nil {
			return out, fmt.Errorf("resident backend record: %w", err)
		}
		out[strings.TrimSuffix(filepath.Base(path), resident.SuffixRecord)] = rec.PID
	}
	return out, nil
}
