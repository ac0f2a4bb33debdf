package main

import (
	"bytes"
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
"<verdict>: <signature description>". Exit status: 0 when the verdict is
OK; 1 when it is not (BAD, NOKEY, NOTTRUSTED, or a signature that does not
parse); 2 when there is no verdict (SIGNATURE or DATA cannot be read, the
backend gave no answer); 254 usage; 255 configuration.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextOrJSON(cmd, output); err != nil {
				return err
			}
			s, t, err := settingsAt(cmd, at)
			if err != nil {
				return err
			}
			// Read through the limit, never trusting stat (/dev/zero, a
			// FIFO, a sparse file).
			sig, err := readlimit.File(args[0], maxSignatureFile)
			if err != nil {
				return &exitError{code: exitNoVerdict, err: err}
			}
			var data io.Reader = os.Stdin
			if args[1] != "-" {
				f, err := os.Open(args[1])
				if err != nil {
					return &exitError{code: exitNoVerdict, err: err}
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
				return &exitError{code: exitNoVerdict, err: fmt.Errorf("no verdict: %w", err)}
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
			if res.ParseFailed {
				if why := swappedArgs(sig, args[1]); why != "" {
					hintf(stderr, "%s: the order is rpmpgp verify --keyring CERTS SIGNATURE DATA", why)
				}
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

// exitNoVerdict is verify's exit status when there is no verdict: a file
// that cannot be read, a backend that gave no answer (1 is a verdict that
// is not OK, as sqv's and gpgv's 1 is a bad signature).
const exitNoVerdict = 2

// swappedArgs says why a SIGNATURE that did not parse looks like one of the
// other arguments ("" when it does not): a certificate (an armored PUBLIC
// KEY BLOCK, or a binary public-key packet: RFC 9580 Section 4.2, tag 6),
// an RPM package (lead magic, rpm lib/rpmlead.c), or DATA that is itself an
// armored signature.
func swappedArgs(sig []byte, dataPath string) string {
	switch {
	case bytes.Contains(sig, []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----")),
		len(sig) > 0 && (sig[0] == 0x99 || sig[0] == 0x98 || sig[0] == 0xc6):
		return "SIGNATURE is a certificate (certificates go with --keyring)"
	case bytes.HasPrefix(sig, []byte{0xed, 0xab, 0xee, 0xdb}):
		return "SIGNATURE is an RPM package (rpmpgp checksig verifies packages)"
	}
	// Only a regular file is read again (a pipe's data is gone).
	if fi, err := os.Stat(dataPath); dataPath == "-" || err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	f, err := os.Open(dataPath)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	if bytes.HasPrefix(bytes.TrimSpace(head[:n]), []byte("-----BEGIN PGP SIGNATURE-----")) {
		return "DATA is an armored signature"
	}
	return ""
}

// maxSignatureFile bounds the signature file of verify: core's bound on a
// detached signature (core/verify/detached.go maxDetachedSig), 1 MiB.
const maxSignatureFile = 1 << 20
