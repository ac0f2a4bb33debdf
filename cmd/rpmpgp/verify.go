package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/readlimit"
)

func newVerifyCmd(stdout, stderr io.Writer) *cobra.Command {
	var keyrings []string
	var at string
	var jsonOut bool
	var output string
	cmd := &cobra.Command{
		Use:   "verify --keyring CERTS SIGNATURE DATA",
		Short: "Verify a detached OpenPGP signature (like sqv), e.g. repomd.xml.asc",
		Long: `Verify a detached signature over DATA ("-" reads standard input) with the
same backends, verdicts and lints as checksig. Prints one line
"<verdict>: <signature description>" and exits 0 only when the verdict is OK.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "" && output != "text" && output != "json" {
				return usageErrorf("--output %q: expected text or json", output)
			}
			s, t, err := settingsAt(cmd, at)
			if err != nil {
				return err
			}
			// Read through the limit, never trusting stat (/dev/zero, a
			// FIFO, a sparse file).
			sig, err := readlimit.File(args[0], maxSignatureFile)
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			var data io.Reader = os.Stdin
			if args[1] != "-" {
				f, err := os.Open(args[1])
				if err != nil {
					return &exitError{code: 1, err: err}
				}
				defer f.Close()
				data = f
			}
			keys, err := systemKeys(s, keyrings)
			if err != nil {
				return err
			}
			b, err := openBackend(s, t, keys)
			if err != nil {
				return err
			}
			defer b.close()
			reportKeyImports(stderr, keys, b.imports)
			v, err := verify.NewVerifier(b, b.keyring, core.Defaults(b.desc.Profile))
			if err != nil {
				return configError(err)
			}
			res, err := v.VerifyDetached(sig, data)
			if err != nil {
				return &exitError{code: 1, err: fmt.Errorf("no verdict: %w", err)}
			}
			if jsonOut || output == "json" {
				_ = writeVerifyJSON(stdout, res)
			} else {
				for _, l := range res.Lints {
					if l.Error {
						errorf(stderr, "%s", l.Text)
					} else {
						warningf(stderr, "%s", l.Text)
					}
				}
				descr := res.Descr
				if len(res.KeyFingerprint) > 0 && res.Sig != nil {
					descr = fmt.Sprintf("V%d %s/%s signature, key fingerprint: %x", res.Sig.Version, res.Sig.PubKeyAlgo, res.Sig.HashAlgo, res.KeyFingerprint)
				}
				if res.ParseFailed {
					descr = "invalid OpenPGP signature"
				}
				fmt.Fprintf(stdout, "%s: %s\n", descr, res.Verdict)
			}
			if res.RC == core.RCNoKey {
				hintNoKeys(stderr, keys, b.keyring)
			}
			if res.RC != core.RCOK {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVarP(&keyrings, "keyring", "k", nil, "certificate file or directory, added to the system keystore (repeatable)")
	addKeystoreFlags(cmd, true)
	cmd.Flags().StringVar(&at, "at", "", "reference time instead of now (RFC 3339)")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the result as JSON (same as --output json)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "output format: text or json (docs/schema/rpmpgp-verify-v1.json)")
	return cmd
}

// maxSignatureFile bounds the signature file of verify: core's bound on a
// detached signature (core/verify/detached.go maxDetachedSig), 1 MiB.
const maxSignatureFile = 1 << 20
