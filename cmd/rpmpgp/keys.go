package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/keystore"
)

// maxStdinKey bounds a certificate read from standard input ("-"), like a
// key file (core.ReadKeyFile).
const maxStdinKey = 16 << 20

func newKeysCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage the keys rpm trusts, like rpmkeys --import/--list/--delete/--export",
		Long: `Manage the certificates of rpm's keystore, with rpm 6's rpmkeys operations
and output. The keystore is chosen like rpm: --root, --dbpath, --keystore
(rpmdb, fs or openpgp; rpm's %_keyring, default rpmdb) and --keyringpath
(rpm's %_keyringpath, default <dbpath>/pubkeys), also settable in the config
file (root, dbpath, keystore, keyringpath).

The rpmdb keystore (gpg-pubkey headers) is read-only here: import and delete
need --keystore fs or openpgp. Writes are atomic and take rpm's locks.`,
	}
	cmd.AddCommand(newKeysListCmd(stdout, stderr), newKeysExportCmd(stdout, stderr),
		newKeysImportCmd(stdout, stderr), newKeysDeleteCmd(stdout, stderr))
	return cmd
}

// keysSession is an opened backend with the keystore's certificates.
type keysSession struct {
	*openedBackend
	store keystore.Store
	spec  keySpec
	// lock is held by a session opened for writing, from before the
	// keystore is read until close.
	lock *keystore.Lock
}

// openKeys opens the backend with the keystore's certificates. write takes
// the keystore's write locks first (exit 1 for a read-only keystore), so
// that what import merges with and delete removes is what the store holds
// while it writes, not what another writer has replaced since.
func openKeys(cmd *cobra.Command, stderr io.Writer, write bool) (*keysSession, error) {
	s, t, err := settingsAt(cmd, "")
	if err != nil {
		return nil, err
	}
	st, err := s.Keystore.Options.Resolve()
	if err != nil {
		return nil, configError(err)
	}
	var lock *keystore.Lock
	if write {
		if lock, err = st.LockForWrite(); err != nil {
			return nil, &exitError{code: 1, err: err}
		}
	}
	spec := keySpec{store: &st}
	b, err := openBackend(s, t, spec)
	if err != nil {
		if lock != nil {
			lock.Unlock()
		}
		return nil, err
	}
	reportKeyImports(stderr, spec, b.imports)
	return &keysSession{openedBackend: b, store: st, spec: spec, lock: lock}, nil
}

// end closes the backend and releases the write locks.
func (ks *keysSession) end() {
	ks.close()
	if ks.lock != nil {
		ks.lock.Unlock()
	}
}

// certs returns the keyring's certificates ordered by key ID, the order of
// rpm 6's keyring iterator (a multimap keyed by the 8-byte key ID).
func (ks *keysSession) certs() []core.KeyringCert {
	certs, _ := ks.keyring.Snapshot()
	sort.SliceStable(certs, func(i, j int) bool {
		return bytes.Compare(certs[i].Primary.KeyID[:], certs[j].Primary.KeyID[:]) < 0
	})
	return certs
}

// matching mirrors rpmkeys.cc matchingKeys: no arguments means every key;
// an argument must be hex ("invalid key id: %s") and matches a
// fingerprint, a key ID or its last 8 hex digits, case-insensitively
// ("key not found: %s"). It returns the certificates and the number of
// arguments that failed.
func (ks *keysSession) matching(stderr io.Writer, args []string) ([]core.KeyringCert, int) {
	all := ks.certs()
	if len(args) == 0 {
		return all, 0
	}
	var out []core.KeyringCert
	failed := 0
	for _, arg := range args {
		if strings.Trim(arg, "0123456789abcdefABCDEF") != "" || arg == "" {
			errorf(stderr, "invalid key id: %s", arg)
			failed++
			continue
		}
		found := false
		for _, c := range all {
			fp := fmt.Sprintf("%x", c.Primary.Fingerprint)
			id := c.Primary.KeyID.String()
			if strings.EqualFold(arg, fp) || strings.EqualFold(arg, id) || strings.EqualFold(arg, id[8:]) {
				out = append(out, c)
				found = true
				break
			}
		}
		if !found {
			errorf(stderr, "key not found: %s", arg)
			failed++
		}
	}
	return out, failed
}

func keysExit(failed int) error {
	if failed == 0 {
		return nil
	}
	return &exitError{code: min(failed, maxFailCount)}
}

// jsonKey is one key of `keys list --output json`.
type jsonKey struct {
	Fingerprint string `json:"fingerprint"`
	KeyID       string `json:"keyid"`
	UserID      string `json:"userid"`
	Created     uint32 `json:"created"`
	Source      string `json:"source"`
}

type jsonKeyList struct {
	Schema   string    `json:"schema"`
	Keystore string    `json:"keystore"`
	Dir      string    `json:"dir"`
	Keys     []jsonKey `json:"keys"`
}

func newKeysListCmd(stdout, stderr io.Writer) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "list [FINGERPRINT...]",
		Short: `List the keys: "<fingerprint> <user ID> public key" (rpmkeys --list)`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextOrJSON(cmd, output); err != nil {
				return err
			}
			ks, err := openKeys(cmd, stderr, false)
			if err != nil {
				return err
			}
			defer ks.end()
			certs, failed := ks.matching(stderr, args)
			if output == "json" {
				rep := jsonKeyList{Schema: "rpmpgp-keys/v1", Keystore: string(ks.store.Kind), Dir: ks.store.Dir, Keys: []jsonKey{}}
				for _, c := range certs {
					rep.Keys = append(rep.Keys, jsonKey{
						Fingerprint: fmt.Sprintf("%x", c.Primary.Fingerprint), KeyID: c.Primary.KeyID.String(),
						UserID: c.Primary.UserID, Created: c.Primary.CreationTime, Source: c.Source,
					})
				}
				_ = writeJSON(stdout, rep)
			} else {
				for _, c := range certs {
					// rpmkeys.cc printKey: "%s %s public key\n".
					fmt.Fprintf(stdout, "%x %s public key\n", c.Primary.Fingerprint, c.Primary.UserID)
				}
			}
			return keysExit(failed)
		},
	}
	addKeystoreFlags(cmd, false)
	cmd.Flags().StringVarP(&output, "output", "o", "", "output format: text (rpmkeys --list) or json")
	return cmd
}

func newKeysExportCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export [FINGERPRINT...]",
		Short: "Print the keys ASCII-armored (rpmkeys --export)",
		RunE: func(cmd *cobra.Command, args []string) error {
			ks, err := openKeys(cmd, stderr, false)
			if err != nil {
				return err
			}
			defer ks.end()
			certs, failed := ks.matching(stderr, args)
			for _, c := range certs {
				armored, err := ks.WrapArmor(core.ArmorPubKey, c.Primary.Packet)
				if err != nil {
					errorf(stderr, "%x: %v", c.Primary.Fingerprint, err)
					failed++
					continue
				}
				if !strings.HasSuffix(armored, "\n") {
					armored += "\n"
				}
				io.WriteString(stdout, armored)
			}
			return keysExit(failed)
		},
	}
	addKeystoreFlags(cmd, false)
	return cmd
}

func newKeysDeleteCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "delete FINGERPRINT...",
		Aliases: []string{"erase"},
		Short:   "Remove keys from the keystore (rpmkeys --delete)",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ks, err := openKeys(cmd, stderr, true)
			if err != nil {
				return err
			}
			defer ks.end()
			certs, failed := ks.matching(stderr, args)
			for _, c := range certs {
				if _, err := ks.store.Delete(fmt.Sprintf("%x", c.Primary.Fingerprint)); err != nil {
					errorf(stderr, "%x: %v", c.Primary.Fingerprint, err)
					failed++
				}
			}
			return keysExit(failed)
		},
	}
	addKeystoreFlags(cmd, false)
	return cmd
}

func newKeysImportCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import ASCII-armored certificates, or update them (rpmkeys --import)",
		Long: `Import the ASCII-armored public keys of each file ("-" reads standard input)
like rpm 6's rpmkeys --import: every "-----BEGIN PGP " block must be a public
key block; each certificate passes the backend's lint gate; a certificate
already in the keystore is merged with the new one (rpm 6 updates keys) and
written only when it changed. Refused keys say why; the exit status is the
number of failures.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ks, err := openKeys(cmd, stderr, true)
			if err != nil {
				return err
			}
			defer ks.end()
			before := packetsByFingerprint(ks.keyring)
			failed := 0
			var results []core.ImportResult
			for _, name := range args {
				data, err := readImportFile(name)
				if err != nil {
					// rpmcliImportPubkeys: "%s: import read failed(%d)."
					errorf(stderr, "%s: import read failed: %v", name, err)
					failed++
					continue
				}
				results = append(results, ks.keyring.Import(data, name)...)
			}
			reportImports(stderr, results)
			for _, r := range results {
				if !r.OK() {
					failed++
				}
			}
			// Write what is new or changed, one atomic file per key.
			for fp, pkt := range packetsByFingerprint(ks.keyring) {
				if old, ok := before[fp]; ok && bytes.Equal(old, pkt) {
					continue
				}
				armored, err := ks.WrapArmor(core.ArmorPubKey, pkt)
				if err == nil {
					err = ks.store.Put(fp, []byte(armored))
				}
				if err != nil {
					errorf(stderr, "%s: %v", fp, err)
					failed++
				}
			}
			return keysExit(failed)
		},
	}
	addKeystoreFlags(cmd, false)
	return cmd
}

func packetsByFingerprint(kr *core.Keyring) map[string][]byte {
	certs, _ := kr.Snapshot()
	out := make(map[string][]byte, len(certs))
	for _, c := range certs {
		out[fmt.Sprintf("%x", c.Primary.Fingerprint)] = c.Primary.Packet
	}
	return out
}

// readImportFile reads a key file, or standard input for "-" (rpm 6's
// rpmkeys --import works from a pipe), bounded.
func readImportFile(name string) ([]byte, error) {
	if name != "-" {
		return core.ReadKeyFile(name)
	}
	data, err := io.ReadAll(io.LimitReader(os.Stdin, maxStdinKey+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxStdinKey {
		return nil, fmt.Errorf("standard input: larger than the %d MiB limit for a key file", maxStdinKey>>20)
	}
	return data, nil
}
