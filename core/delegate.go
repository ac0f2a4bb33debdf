package core

import "os"

// Capabilities are the batch paths a [Backend] declares: calls that run
// core's own logic (the key import, the package flow) next to the
// backend's crypto, which an out-of-process backend offers so that a whole
// keyring or a batch of packages costs one round trip instead of several
// per certificate or per package, and the bulk digest update of the
// call-by-call path, which feeds a package's bytes to all its digests in
// one stream instead of one call per chunk and digest. Core takes a batch
// path exactly when the backend declares it, never by guessing from the
// backend's type, so a wrapper that embeds a Backend keeps the batch paths
// of what it wraps (its Capabilities method is promoted with the rest); a
// wrapper that must see every call itself declares none.
//
// The zero value declares none: core runs every step itself, call by call
// through the [Backend] methods, which is what an in-process backend wants.
type Capabilities struct {
	// Keys, when set, imports whole key files ([ImportKeyFiles]); nil:
	// core imports them certificate by certificate.
	Keys KeyImporter
	// Packages, when set, runs the whole package flow on batches of open
	// files ([Verifier.VerifyFiles]); nil: core runs the flow call by
	// call.
	Packages PackageVerifier
	// Digests, when set, feeds the same bytes into several digests at
	// once ([UpdateDigests]) on the call-by-call path; nil: core writes
	// every chunk to every digest itself.
	Digests BulkUpdater
}

// Capable is the part of [Backend] that declares its batch paths.
type Capable interface {
	// Capabilities returns the batch paths of the backend; it is cheap
	// and gives the same answer for the backend's whole life.
	Capabilities() Capabilities
}

// KeyFile is the contents of one key file and where it came from.
type KeyFile struct {
	Source string
	Data   []byte
}

// KeyImporter is the batch path of the key import ([Capabilities.Keys]):
// a backend that can build a whole keyring next to its parser.
// ImportKeys must give exactly what [Keyring.Add] gives for each file in
// order, on an empty keyring: the resulting certificates and the import
// results. An error wrapping [ErrNotSupported] makes [ImportKeyFiles]
// import the files itself.
type KeyImporter interface {
	ImportKeys(files []KeyFile) ([]KeyringCert, []ImportResult, error)
}

// PackageVerifier is the batch path of the package flow
// ([Capabilities.Packages]): a backend that can run the whole of
// [Verifier.Verify] next to its crypto, each package read by the backend
// process itself, so that its bytes cross no process boundary.
// VerifyPackages must give for each file exactly what a [Verifier] with
// this backend, kr and cfg gives on its contents from offset 0, and must
// not move the files' offsets. A package the backend could not verify gets
// an error in its PackageResult ("no verdict"). An error wrapping
// [ErrNotSupported] for the whole call makes the [Verifier] run the flow
// itself.
type PackageVerifier interface {
	VerifyPackages(files []*os.File, names []string, kr *Keyring, cfg VerifyConfig) ([]PackageResult, error)
}

// PackageResult is a [PackageVerifier]'s answer for one package: a Result,
// or the error that kept the backend from giving one.
type PackageResult struct {
	Result *Result
	Err    error
}
