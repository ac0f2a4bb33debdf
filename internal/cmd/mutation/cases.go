package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// runCases compares inputs that are not mutants of a package: a directory
// given as the package (rpm reads it and fails with EISDIR), and a key
// file with a junk packet before the key.
func (h *harness) runCases(ctx context.Context, p *Package) error {
	if err := h.runJunkKey(ctx, p); err != nil {
		return fmt.Errorf("case junk-key: %w", err)
	}
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

// keyToken stands for the key file's path in the junk-key case.
const keyToken = "<key>"

// runJunkKey imports p's key file with a junk packet (a v3 public key
// packet) before the key: rpmkeys --import into a fresh database against
// rpmpgp's import report (checksig --keyring), then both verify p with
// what they imported. rpm 4.18 imports the key after the junk (doImport
// splits the packets at each public key packet) and reports the junk.
func (h *harness) runJunkKey(ctx context.Context, p *Package) error {
	armored, err := os.ReadFile(p.Keys[0])
	if err != nil {
		return err
	}
	junk, err := junkKey(armored)
	if err != nil {
		return err
	}
	key := filepath.Join(h.tmp, "junk-key.asc")
	if err := os.WriteFile(key, junk, 0o644); err != nil {
		return err
	}
	db := filepath.Join(h.tmp, "junk-rpmdb")
	imp := exec.CommandContext(ctx, h.rpmkeys, "--dbpath", db, "--import", key)
	imp.Env = cEnv()
	var impOut, impErr bytes.Buffer
	imp.Stdout, imp.Stderr = &impOut, &impErr
	if err := imp.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return err
		}
	}
	vs := h.verifiers(db, []string{key})
	var ourPre, ourPreK string
	vs.ourKv.preamble, vs.ourK.preamble = &ourPre, &ourPreK
	rpm, ours, err := h.verifyPaths(ctx, vs, p.Path)
	if err != nil {
		return err
	}
	// rpm's import messages, then its verification; ours likewise.
	rpm.kv.Stderr = impOut.String() + impErr.String() + rpm.kv.Stderr
	ours.kv.Stderr = ourPre + ours.kv.Stderr
	for _, r := range []*record{&rpm, &ours} {
		for _, o := range []*output{&r.kv, &r.k} {
			o.Stdout = strings.ReplaceAll(o.Stdout, key, keyToken)
			o.Stderr = strings.ReplaceAll(o.Stderr, key, keyToken)
		}
	}
	h.rep.addCase("junk-key", compare(rpm, ours, p.Path), h.rules)
	return nil
}

// junkKey returns the armored key with a junk packet in front: a new-format
// public key packet (tag 6) of version 3 (RFC 4880 sections 4.2, 5.5.2).
func junkKey(armored []byte) ([]byte, error) {
	blk, err := armor.Decode(bytes.NewReader(armored))
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(blk.Body, 1<<20))
	if err != nil || len(data) == 0 {
		return nil, fmt.Errorf("key file: no armored key (%v)", err)
	}
	var out bytes.Buffer
	w, err := armor.Encode(&out, "PGP PUBLIC KEY BLOCK", nil)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(append([]byte{0xc6, 8, 3, 1, 2, 3, 4, 0, 0, 1}, data...)); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}
