package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/core"
)

func newLintKeyCmd(stdout, stderr io.Writer) *cobra.Command {
	var at string
	cmd := &cobra.Command{
		Use:   "lint-key FILE...",
		Short: "Check whether certificates are usable for verifying packages (pgpPubKeyLint)",
		Long: `Run the backend's pgpPubKeyLint on every certificate of each file (armored
or binary) and print OK, BAD (unusable) or NOTTRUSTED (only usable under a
weaker policy) with the explanation. The exit status is the number of
certificates that are not OK.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, t, err := settingsAt(cmd, at)
			if err != nil {
				return err
			}
			b, err := openBackend(s, t, keySpec{})
			if err != nil {
				return err
			}
			defer b.close()
			bad := 0
			for _, file := range args {
				certs, err := splitCerts(b, file)
				if err != nil {
					errorf(stderr, "%s: %v", file, err)
					bad++
					continue
				}
				for i, cert := range certs {
					vd, err := b.LintKey(cert)
					if err != nil {
						errorf(stderr, "%s: key %d: no verdict: %v", file, i+1, err)
						bad++
						continue
					}
					name := fmt.Sprintf("key %d", i+1)
					if fp, err := b.Fingerprint(cert); err == nil {
						name = fmt.Sprintf("%X", fp)
					}
					fmt.Fprintf(stdout, "%s: %s: %s\n", file, name, vd.RC)
					if vd.Lint != "" {
						fmt.Fprintf(stdout, "%s\n", indent(vd.Lint))
					}
					if vd.RC != core.RCOK {
						bad++
					}
				}
			}
			if bad > maxFailCount {
				bad = maxFailCount
			}
			if bad > 0 {
				return &exitError{code: bad}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "reference time instead of now (RFC 3339)")
	return cmd
}

// splitCerts returns the binary certificates in a file.
func splitCerts(b core.Backend, file string) ([][]byte, error) {
	data, err := readFileLimited(file, 16<<20)
	if err != nil {
		return nil, err
	}
	var blobs [][]byte
	if kind, body, err := b.ParseArmor(data); err == nil && kind == core.ArmorPubKey {
		blobs = append(blobs, body)
	} else if len(data) > 0 && data[0]&0x80 != 0 {
		blobs = append(blobs, data)
	} else {
		return nil, fmt.Errorf("not an OpenPGP certificate (armored PUBLIC KEY BLOCK or binary)")
	}
	var certs [][]byte
	for _, blob := range blobs {
		for len(blob) > 0 {
			n, err := b.CertLen(blob)
			if err != nil || n <= 0 || n > len(blob) {
				return certs, fmt.Errorf("cannot split certificates: %v", err)
			}
			certs = append(certs, blob[:n])
			blob = blob[n:]
		}
	}
	return certs, nil
}
