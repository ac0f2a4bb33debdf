package main

import (
	"errors"
	"io"

	"github.com/spf13/cobra"

	conf "github.com/rpmpgp/rpmpgp/internal/settings"
)

// settings is the deployment configuration that internal/settings loads
// (files, keys, locks, environment, flags, defaults), with the keystore
// selection it describes and where the notes of opening go.
type settings struct {
	*conf.Settings
	Keystore keystoreSettings // keystore.go
	// stderr receives the notes of loading and opening.
	stderr io.Writer
}

// addGlobalFlags registers the flags shared by every command.
func addGlobalFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.String("config", "", "config file (default: /etc/rpmpgp/config.toml, then $XDG_CONFIG_HOME/rpmpgp/config.toml)")
	f.String("backend", "", "crypto backend: gocrypto, openssl, internal-legacy (env RPMPGP_BACKEND; default gocrypto)")
	f.String("plugin-dir", "", "directory with rpmpgp-backend-* binaries (env RPMPGP_PLUGIN_DIR)")
	f.String("policy", "", "crypto policy file (default: rpm-sequoia's search order)")
	f.String("fips", "", `FIPS mode for backends that support it: "auto", "require" or "off" (env RPMPGP_FIPS; default auto)`)
	f.Bool("resident", false, "keep the backend running for this user's later commands, which attach to it (env RPMPGP_RESIDENT; default false)")
}

// loadSettings resolves the configuration for cmd (internal/settings.Load):
// a bad flag value is a usage error, anything else wrong with the
// configuration a configuration error.
func loadSettings(cmd *cobra.Command) (*settings, error) {
	explicit, _ := cmd.Flags().GetString("config")
	stderr := cmd.ErrOrStderr()
	cs, err := conf.Load(explicit, cmd.Flags(), func(msg string) { warningf(stderr, "%s", msg) })
	if err != nil {
		if fe := (*conf.FlagError)(nil); errors.As(err, &fe) {
			return nil, &exitError{code: exitUsage, err: err}
		}
		return nil, configError(err)
	}
	s := &settings{Settings: cs, stderr: stderr}
	if s.Keystore, err = readKeystoreSettings(cs); err != nil {
		return nil, configError(err)
	}
	return s, nil
}
