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
// one round trip for many packages, each read by the backend process
// itself, so that its bytes cross no process boundary). VerifyPackages must
// give for each file exactly what a [Verifier] with this backend, kr and cfg
// gives on its contents from offset 0, and must not move the files'
// offsets. A package the backend could not verify gets an error in its
// PackageResult ("no verdict"). An error wrapping [ErrNotSupported] for the
// whole call makes the [Verifier] run the flow itself.
type PackageVerifier interface {
	VerifyPackages(files []*os.File, names []string, kr *Keyring, cfg Config) ([]PackageResult, error)
}

// PackageResult is a [PackageVerifier]'s answer for one package: a Result,
// or the error that kept the backend from giving one.
type PackageResult struct {
	Result *Result
	Err    error
}
