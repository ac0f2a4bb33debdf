package conformance

import (
	"context"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/core"
)

// Sqv is Sequoia's sqv (`sqv --keyring CERT... SIG DATA`): exit 0 = a valid
// signature, 1 = none; anything else (101 = panic) is an error.
type Sqv struct{ Opts ExternalOptions }

// Name implements [Verifier].
func (Sqv) Name() string { return "sqv" }

// Profile implements [Verifier]: Sequoia applies a strict policy.
func (Sqv) Profile() core.Profile { return core.ProfileStrict }

// Supports implements [Verifier]: detached rows and package header signatures.
func (Sqv) Supports(c *corpus.Case) bool { return openPGPSupports(c) }

// Run implements [Verifier].
func (v Sqv) Run(ctx context.Context, c *corpus.Case) Outcome {
	return runSigned(ctx, v.Opts, v.Name(), c, func(in signedInput, dir string) ([]string, string, error) {
		args := []string{"sqv"}
		if na := v.Opts.notAfter(); na != "" {
			args = append(args, "--not-after", na)
		}
		certs, err := certsOrEmpty(in.certs, dir)
		if err != nil {
			return nil, "", err
		}
		for _, k := range certs {
			args = append(args, "--keyring", k)
		}
		return append(args, in.sig, in.data), "", nil
	}, func(r toolResult) string {
		switch r.exit {
		case 0:
			return "OK"
		case 1:
			return "BAD"
		}
		return VerdictError
	})
}
