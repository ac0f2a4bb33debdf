package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/policyconf"
)

func newPolicyCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Print the effective crypto policy and where it came from",
		Long: `Print the crypto policy the strict backends apply, found like rpm-sequoia
finds it ($RPM_SEQUOIA_CRYPTO_POLICY, /etc/crypto-policies/back-ends/rpm-sequoia.config,
/usr/share/crypto-policies/back-ends/rpm-sequoia.config, $SEQUOIA_CRYPTO_POLICY,
/etc/crypto-policies/back-ends/sequoia.config, else the built-in defaults), or
from --policy FILE.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			explicit, _ := cmd.Flags().GetString("policy")
			p, src, _, err := policyconf.Load(explicit, policyconf.OSEnv())
			if err != nil {
				return configError(fmt.Errorf("crypto policy: %w", err))
			}
			fmt.Fprintf(stdout, "# source: %s\n", src)
			fmt.Fprint(stdout, policyconf.Format(p))
			return nil
		},
	}
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
