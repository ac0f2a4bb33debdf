package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/policyconf"
)

func newPolicyCmd(stdout, stderr io.Writer) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Print the effective crypto policy and where it came from",
		Long: `Print the crypto policy the strict backends apply, found like rpm-sequoia
finds it ($RPM_SEQUOIA_CRYPTO_POLICY, /etc/crypto-policies/back-ends/rpm-sequoia.config,
/usr/share/crypto-policies/back-ends/rpm-sequoia.config, $SEQUOIA_CRYPTO_POLICY,
/etc/crypto-policies/back-ends/sequoia.config, else the built-in defaults), or
from --policy FILE. --output json writes one object: the source and every
setting (section, key, value as the file writes it).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextOrJSON(cmd, output); err != nil {
				return err
			}
			explicit, _ := cmd.Flags().GetString("policy")
			p, src, _, err := policyconf.Load(explicit, policyconf.OSEnv())
			if err != nil {
				return configError(fmt.Errorf("crypto policy: %w", err))
			}
			if output == "json" {
				return writeJSON(stdout, policyconf.NewDocument(p, src))
			}
			fmt.Fprintf(stdout, "# source: %s\n", src)
			fmt.Fprint(stdout, policyconf.Format(p))
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	check := &cobra.Command{
		Use:   "check FILE...",
		Short: "Validate policy files like sequoia-policy-config-check",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, file := range args {
				data, err := readFileLimited(file, 1<<20)
				if err == nil {
					err = policyconf.Check(file, data)
				}
				if err != nil {
					errorf(stderr, "%v", err)
					bad++
					continue
				}
				fmt.Fprintf(stdout, "%s: OK\n", file)
			}
			if bad > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.AddCommand(check)
	return cmd
}
