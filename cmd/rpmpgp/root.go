package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/internal/version"
)

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "rpmpgp",
		Short: "Verify OpenPGP signatures of RPM packages with swappable crypto backends",
		Long: `rpmpgp verifies the OpenPGP signatures and digests of RPM packages like
'rpmkeys --checksig', through crypto backends that run as separate processes:
gocrypto (strict, rpm-sequoia semantics; the default), openssl (the same
semantics on OpenSSL, FIPS aware) and internal-legacy (rpm <= 4.19's liberal
parser).`,
		Version:       version.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	// --version without -v: "-v" is verbose, as in rpmkeys (rpmpgp -v -K).
	root.Flags().Bool("version", false, "print the version of rpmpgp")
	addGlobalFlags(root)
	root.AddCommand(
		newChecksigCmd(stdout, stderr),
		newVerifyCmd(stdout, stderr),
		newBackendsCmd(stdout, stderr),
		newPolicyCmd(stdout, stderr),
		newLintKeyCmd(stdout, stderr),
		newConformanceCmd(stdout, stderr),
		newKeysCmd(stdout, stderr),
		newConfigCmd(stdout),
		newSopvCmd(stdout, stderr),
		newResidentCmd(stdout, stderr),
	)
	return root
}
