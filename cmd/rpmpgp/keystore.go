package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/core"
	conf "github.com/rpmpgp/rpmpgp/internal/settings"
	"github.com/rpmpgp/rpmpgp/keystore"
)

// keystoreSettings selects the system keystore: flags over the config file
// over rpm's defaults (keystore.Options' zero value).
type keystoreSettings struct {
	Options keystore.Options
	// System is false when --no-system-keys (or system_keys = false) says
	// to use only the --keyring files.
	System bool
}

// addKeystoreFlags registers the keystore selection of the commands that
// read keys (rpm's --root, --dbpath and the %_keyring and %_keyringpath
// macros).
func addKeystoreFlags(cmd *cobra.Command, withNoSystem bool) {
	f := cmd.Flags()
	f.String("root", "", `use the keys of the system installed under this directory (rpm --root; env RPMPGP_ROOT; default "/")`)
	f.String("dbpath", "", "rpm database directory inside the root (rpm --dbpath / %_dbpath; default /var/lib/rpm)")
	f.String("keystore", "", `keystore kind: rpmdb, fs or openpgp (rpm's %_keyring; default rpmdb)`)
	f.String("keyringpath", "", "directory of the fs and openpgp keystores (rpm's %_keyringpath; default <dbpath>/pubkeys)")
	if withNoSystem {
		f.Bool("no-system-keys", false, "use only the --keyring certificates, not the system keystore")
	}
}

// readKeystoreSettings checks the keystore keys that internal/settings
// loaded (root, dbpath, keystore, keyringpath, system_keys, with their
// flags and $RPMPGP_ROOT).
func readKeystoreSettings(cs *conf.Settings) (keystoreSettings, error) {
	ks := keystoreSettings{
		Options: keystore.Options{
			Root:        cs.Root,
			DBPath:      cs.DBPath,
			Kind:        keystore.Kind(cs.KeystoreKind),
			KeyringPath: cs.KeyringPath,
		},
		System: cs.SystemKeys,
	}
	if _, err := keystore.ParseKind(string(ks.Options.Kind)); err != nil {
		return ks, err
	}
	return ks, nil
}

// keySpec says which certificates a command starts with: the system
// keystore (nil: none) and key files or directories.
type keySpec struct {
	store *keystore.Store
	paths []string
	// files are certificates already read (sopv's CERTS), after paths.
	files []core.KeyFile
}

// systemKeys returns the key spec of checksig and verify: the system
// keystore unless --no-system-keys, plus the --keyring paths.
func systemKeys(s *settings, paths []string) (keySpec, error) {
	spec := keySpec{paths: paths}
	if !s.Keystore.System {
		return spec, nil
	}
	st, err := s.Keystore.Options.Resolve()
	if err != nil {
		return spec, configError(err)
	}
	spec.store = &st
	return spec, nil
}

// keyFiles reads the certificates of spec: the keystore's first (rpm
// loads its keyring before anything is verified), then the --keyring
// files. A keystore that cannot be read is an error, never an empty
// keyring.
func (spec keySpec) keyFiles() ([]core.KeyFile, error) {
	var files []core.KeyFile
	if spec.store != nil {
		sf, err := spec.store.Load()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.store, err)
		}
		files = sf
	}
	given, err := core.ReadKeyFiles(spec.paths...)
	if err != nil {
		return nil, err
	}
	return append(append(files, given...), spec.files...), nil
}

// fromStore reports whether an import result is about a keystore
// certificate (its source is inside the store, or an rpmdb header).
func (spec keySpec) fromStore(source string) bool {
	if spec.store == nil {
		return false
	}
	return strings.HasPrefix(source, "rpmdb:") || strings.HasPrefix(source, spec.store.Dir+"/")
}

// reportKeyImports prints the refused certificates: --keyring files like
// rpmkeys --import; keystore certificates as one warning each (rpm loads
// its keystore without the lint gate and says nothing, or "reading of
// public key failed").
func reportKeyImports(stderr io.Writer, spec keySpec, results []core.ImportResult) {
	var given []core.ImportResult
	for _, r := range results {
		if !spec.fromStore(r.Source) {
			given = append(given, r)
			continue
		}
		if !r.OK() {
			msg := r.Err
			if r.Lint != "" {
				msg += " " + strings.ReplaceAll(r.Lint, "\n", " ")
			}
			warningf(stderr, "%s: not used: %s", r.Source, msg)
		}
	}
	reportImports(stderr, given)
}

// hintNoKeys prints one line when a NOKEY verdict met an empty keyring.
func hintNoKeys(stderr io.Writer, spec keySpec, keyring *core.Keyring) {
	if keyring != nil && keyring.Len() > 0 {
		return
	}
	where := "--no-system-keys and no --keyring"
	if spec.store != nil {
		where = "the " + spec.store.String() + " holds none"
	}
	hintf(stderr, "no OpenPGP keys were loaded (%s): import keys with 'rpmpgp keys import' or 'rpmkeys --import', or give --keyring", where)
}

// anyNoKey reports whether a package result has a NOKEY item.
func anyNoKey(results []pkgResult) bool {
	for _, r := range results {
		if r.res == nil {
			continue
		}
		for _, it := range r.res.Items {
			if it.RC == core.RCNoKey {
				return true
			}
		}
	}
	return false
}
