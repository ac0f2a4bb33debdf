package conformance

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/core"
)

// Gpgv is GnuPG's gpgv (`gpgv --keyring KEYRING SIG DATA`) with a binary
// keyring built by dearmoring and concatenating the case's certificates.
// Exit 0 = OK; otherwise the --status-fd lines decide: NO_PUBKEY = NOKEY,
// anything else = BAD. gpgv has no reference-time option.
type Gpgv struct{ Opts ExternalOptions }

// Name implements [Verifier].
func (Gpgv) Name() string { return "gpgv" }

// Profile implements [Verifier]: gpgv accepts SHA-1 and old keys, like rpm 4.18.
func (Gpgv) Profile() core.Profile { return core.ProfileLegacy }

// Supports implements [Verifier]: detached rows and package header signatures.
func (Gpgv) Supports(c *corpus.Case) bool { return openPGPSupports(c) }

// Run implements [Verifier].
func (v Gpgv) Run(ctx context.Context, c *corpus.Case) Outcome {
	return runSigned(ctx, v.Opts, v.Name(), c, func(in signedInput, dir string) ([]string, string, error) {
		var ring bytes.Buffer
		for _, p := range in.certs {
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, "", err
			}
			bin, err := dearmor(data)
			if err != nil {
				return nil, "", fmt.Errorf("%s: %w", p, err)
			}
			ring.Write(bin)
		}
		kr := filepath.Join(dir, "keyring.gpg")
		if err := os.WriteFile(kr, ring.Bytes(), 0o600); err != nil {
			return nil, "", err
		}
		return []string{"gpgv", "--homedir", dir, "--status-fd", "1", "--keyring", kr, in.sig, in.data}, "", nil
	}, func(r toolResult) string {
		switch {
		case r.exit == 0:
			return "OK"
		case r.exit != 1 && r.exit != 2:
			return VerdictError
		case strings.Contains(r.stdout, "[GNUPG:] NO_PUBKEY"):
			return "NOKEY"
		}
		return "BAD"
	})
}
