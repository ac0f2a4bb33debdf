package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// runCases compares inputs that are not mutants of a package: a directory
// given as the package (rpm reads it and fails with EISDIR).
func (h *harness) runCases(ctx context.Context, p *Package) error {
	db := filepath.Join(h.tmp, p.Name+"-rpmdb")
	vs := h.verifiers(db, p.Keys)
	dir := filepath.Join(h.tmp, "adir")
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	rpm, ours, err := h.verifyPaths(ctx, vs, dir)
	if err != nil {
		return fmt.Errorf("case directory: %w", err)
	}
	h.rep.addCase("directory", compare(rpm, ours, dir), h.rules)
	return nil
}

// verifyPaths runs rpmkeys and the legacy backend on one path.
func (h *harness) verifyPaths(ctx context.Context, vs verifiers, path string) (rpm, ours record, err error) {
	files := []string{path}
	for _, j := range []struct {
		r       *runner
		rec     *record
		verdict bool
	}{{vs.rpmKv, &rpm, false}, {vs.rpmK, &rpm, true}, {vs.ourKv, &ours, false}, {vs.ourK, &ours, true}} {
		outs, err := j.r.run(ctx, h.tmp, files)
		if err != nil {
			return rpm, ours, err
		}
		if !j.verdict {
			j.rec.kv = outs[0]
			continue
		}
		j.rec.k = outs[0]
		if j.rec.fail, err = verdictOrCrash(outs[0], path); err != nil {
			return rpm, ours, fmt.Errorf("%s: %w", j.r.name, err)
		}
	}
	return rpm, ours, nil
}
