package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/keylint"
)

func newLintKeyCmd(stdout, stderr io.Writer) *cobra.Command {
	var at, output string
	cmd := &cobra.Command{
		Use:   "lint-key FILE|DIR...",
		Short: "Check whether certificates can verify packages with the backend (pgpPubKeyLint + import)",
		Long: `Check every certificate of each file (armored or binary, several per file;
a directory stands for its files, read like --keyring DIR) and print
"FILE: FINGERPRINT: VERDICT", then the backend's pgpPubKeyLint explanation
and why the key was refused, indented.

OK: the backend's pgpPubKeyLint accepts the certificate, the import
checksig runs accepts it (rpm's rpmtsImportPubkey), and the explanation,
if any, names neither a revoked, expired or not yet live certificate nor
the lack of a signing-capable (sub)key valid under the policy.

NOTTRUSTED: pgpPubKeyLint says so (usable only under a weaker policy, e.g.
legacy algorithms), or the certificate, or every signing key it has, is
revoked, expired or not yet live (signatures by it verify as NOTTRUSTED).

BAD: anything else: pgpPubKeyLint or the import refuses it, or no
(sub)key can sign.

rpm-sequoia's pgpPubKeyLint returns OK for revoked, expired and
non-signing certificates (rpm imports them with a warning); lint-key reads
its explanation. internal-legacy is rpm 4.18, whose pgpPubKeyLint accepts
every certificate and which neither checks expiry or revocation nor needs
a signing flag: there only its import decides (it refuses, e.g., ECDSA and
v6 keys). The exit status is the number of certificates not OK plus the
files that cannot be read (capped at 253).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextOrJSON(cmd, output); err != nil {
				return err
			}
			s, t, err := settingsAt(cmd, at)
			if err != nil {
				return err
			}
			b, err := openBackend(s, t, keySpec{})
			if err != nil {
				return err
			}
			defer b.close()
			doc := keylint.NewDocument(b.desc.Name)
			for _, arg := range args {
				// The reader and limits of --keyring (files and
				// directories, at most 16 MiB).
				files, err := core.ReadKeyFiles(arg)
				if err != nil {
					doc.AddError(arg, err)
					if output == "text" {
						errorf(stderr, "%v", err)
					}
					continue
				}
				for _, f := range files {
					for _, c := range keylint.Split(b, f.Data, f.Source) {
						r := keylint.Check(b, c)
						doc.Add(r)
						if output == "text" {
							writeLintKeyText(stdout, r)
						}
					}
				}
			}
			if output == "json" {
				_ = writeJSON(stdout, doc)
			}
			if doc.NotOK > 0 {
				return &exitError{code: min(doc.NotOK, maxFailCount)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "reference time instead of now (RFC 3339)")
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	return cmd
}

// writeLintKeyText prints one verdict: "FILE: FINGERPRINT: VERDICT" (rpm's
// "key N" when there is no fingerprint), the explanation and the refusal
// indented.
func writeLintKeyText(w io.Writer, r keylint.Report) {
	name := fmt.Sprintf("key %d", r.Index)
	if len(r.Fingerprint) > 0 {
		name = fmt.Sprintf("%x", r.Fingerprint)
	}
	fmt.Fprintf(w, "%s: %s: %s\n", r.Source, name, r.Verdict)
	if r.Explanation != "" {
		fmt.Fprintf(w, "%s\n", indent(r.Explanation))
	}
	if r.Refused != "" {
		fmt.Fprintf(w, "%s\n", indent("refused: "+r.Refused))
	}
}
