package core

import "os"

// KeyFile is the contents of one key file and where it came from.
type KeyFile struct {
	Source string
	Data   []byte
}

// KeyImporter is optionally implemented by a [Backend] that can build a
// whole keyring next to its parser (an out-of-process backend: one round
// trip instead of several per certificate). ImportKeys must give exactly
// what [Keyring.Add] gives for each file in order, on an empty keyring: the
// resulting certificates and the import results. An error wrapping
// [ErrNotSupported] makes [LoadKeyring] import the files itself.
type KeyImporter interface {
	ImportKeys(files []KeyFile) ([]KeyringCert, []ImportResult, error)
}

// PackageVerifier is optionally implemented by a [Backend] that can run the
// whole of [Verifier.Verify] next to its crypto (an out-of-process backend:
// one round trip per package, and the package read by the backend process
// itself, so that its bytes cross no process boundary). VerifyPackage must
// give exactly what a [Verifier] with this backend, kr and cfg gives on the
// contents of f from offset 0; it must not move f's offset. An error
// wrapping [ErrNotSupported] makes [Verifier.VerifyFile] run the flow
// itself; any other error is "no verdict" for the package.
type PackageVerifier interface {
	VerifyPackage(f *os.File, name string, kr *Keyring, cfg Config) (*Result, error)
}
