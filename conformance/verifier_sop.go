package conformance

import (
	"context"
	"os"
	"path/filepath"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/core"
)

// SOP drives a Stateless OpenPGP implementation's verify verb
// (`sop verify [--not-after=T] SIG CERTS... < DATA`). Exit codes: 0 = a
// valid signature (OK), 3 NO_SIGNATURE and 1 (unspecified failure) = BAD,
// 41 BAD_DATA = parse-fail; anything else (99/101 crashes, usage codes) is
// an error.
type SOP struct {
	// Tool is the executable and the verifier's name ("sqop", "gosop").
	Tool string
	Opts ExternalOptions
	// NotAfter is set when the tool implements --not-after; only then does
	// a pinned reference time (Opts.At) reach it.
	NotAfter bool
}

// NewSqop returns the Sequoia SOP verifier.
func NewSqop(o ExternalOptions) SOP { return SOP{Tool: "sqop", Opts: o, NotAfter: true} }

// NewGosop returns the GopenPGP (go-crypto) SOP verifier. gosop (Debian
// 0.0~git20221115) refuses --not-after/--not-before ("not implemented",
// exit 37) and verifies with GopenPGP's VerifyDetached(..., verifyTime 0),
// i.e. with every time check disabled, so it never gets a reference time.
func NewGosop(o ExternalOptions) SOP { return SOP{Tool: "gosop", Opts: o} }

// Name implements [Verifier].
func (v SOP) Name() string { return v.Tool }

// Profile implements [Verifier]: both SOP tools apply current policies.
func (SOP) Profile() core.Profile { return core.ProfileStrict }

// Supports implements [Verifier]: detached rows and package header signatures.
func (SOP) Supports(c *corpus.Case) bool { return openPGPSupports(c) }

// Run implements [Verifier].
func (v SOP) Run(ctx context.Context, c *corpus.Case) Outcome {
	return runSigned(ctx, v.Opts, v.Name(), c, func(in signedInput, dir string) ([]string, string, error) {
		args := []string{v.Tool, "verify"}
		if na := v.Opts.notAfter(); na != "" && v.NotAfter {
			args = append(args, "--not-after="+na)
		}
		certs, err := certsOrEmpty(in.certs, dir)
		if err != nil {
			return nil, "", err
		}
		// SOP reads the data on stdin.
		return append(append(args, in.sig), certs...), in.data, nil
	}, sopVerdict)
}

func sopVerdict(r toolResult) string {
	switch r.exit {
	case 0:
		return "OK"
	case 1, 3:
		return "BAD"
	case 41:
		return VerdictParseFail
	}
	return VerdictError
}

// certsOrEmpty returns certs, or one empty file when there are none (the
// tools require at least one CERTS argument; an empty keyring is the
// NOKEY situation).
func certsOrEmpty(certs []string, dir string) ([]string, error) {
	if len(certs) > 0 {
		return certs, nil
	}
	p := filepath.Join(dir, "empty-keyring.pgp")
	return []string{p}, os.WriteFile(p, nil, 0o600)
}
