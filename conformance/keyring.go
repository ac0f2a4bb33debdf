package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp/armor"

	"github.com/rpmpgp/rpmpgp/core"
)

// userKeyring is the keyring of a package-directory run (--keyring) in the
// forms the verifiers need.
type userKeyring struct {
	// files are the key files as `rpmpgp checksig --keyring` reads them
	// (core.ReadKeyFiles: directories expanded to their regular files,
	// sorted; bounded reads; rpm databases refused), absolute. Our backends
	// load exactly these, armored or binary, like checksig.
	files []string
	// certs hold one certificate per file, armored, in the run's scratch
	// directory: what the external tools get. gosop reads only the first
	// certificate of a CERTS file (a multi-certificate keyring makes it
	// say "No acceptable signatures found"), rpm 4.18's `rpmkeys --import`
	// takes armored files, sqv takes one --keyring per file and gpgv gets
	// them dearmored into one binary keyring.
	certs []string
	// notes name key files of which nothing could be split (they are still
	// given to our backends, which report the refused import).
	notes []string
}

// prepareKeyring reads paths like checksig's --keyring and writes every
// certificate found to its own armored file in dir. An unreadable path, a
// directory without files or a keyring without a single certificate is an
// error naming the paths: a run against an empty keyring would only
// compare NOKEY verdicts.
func prepareKeyring(paths []string, dir string) (*userKeyring, error) {
	if len(paths) == 0 {
		return nil, errors.New("no keyring: give --keyring FILE|DIR with the certificates the packages are signed with (without one every signature is NOKEY)")
	}
	abs := make([]string, 0, len(paths))
	for _, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("keyring %s: %w", p, err)
		}
		abs = append(abs, a)
	}
	files, err := core.ReadKeyFiles(abs...)
	if err != nil {
		return nil, err
	}
	kr := &userKeyring{}
	for _, f := range files {
		kr.files = append(kr.files, f.Source)
		bin, err := dearmor(f.Data)
		var certs [][]byte
		if err == nil {
			certs, err = splitCertificates(bin)
		}
		if err != nil {
			kr.notes = append(kr.notes, fmt.Sprintf("keyring %s: no certificate for the external verifiers: %v", f.Source, err))
			continue
		}
		for _, c := range certs {
			p := filepath.Join(dir, fmt.Sprintf("cert-%04d.asc", len(kr.certs)+1))
			if err := writeArmoredCert(p, c); err != nil {
				return nil, fmt.Errorf("keyring %s: %w", f.Source, err)
			}
			kr.certs = append(kr.certs, p)
		}
	}
	if len(kr.certs) == 0 {
		return nil, fmt.Errorf("keyring %s: no OpenPGP certificate found", strings.Join(paths, ", "))
	}
	return kr, nil
}

// writeArmoredCert writes one binary certificate as an armored PUBLIC KEY
// BLOCK (RFC 9580, Section 6.2).
func writeArmoredCert(path string, cert []byte) error {
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, "PGP PUBLIC KEY BLOCK", nil)
	if err != nil {
		return err
	}
	if _, err := w.Write(cert); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	buf.WriteByte('\n')
	return os.WriteFile(path, buf.Bytes(), 0o600)
}
