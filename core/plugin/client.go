package plugin

import (
	"io"
	"os"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/batch"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/calls"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/supervise"
)

// Client is an out-of-process backend: it implements [core.Backend] by
// calling a backend binary over gRPC, declares both batch paths and the
// bulk digest update ([Client.Capabilities]), and implements [io.Closer].
// It is safe for concurrent use.
//
// Isolation: when the backend process crashes, exits or does not answer
// within the call timeout during a call, that call returns an error wrapping
// [ErrBackendFailed] (never a verdict), the process is killed if it still
// runs, and the next call starts a new process, initialised with the
// Options of the last successful Init. [Client.Restarts] counts those
// restarts. Digests created by a process that is gone return errors.
//
// After a failed Init every call fails until an Init succeeds, so that a
// caller that ignores the error cannot verify with default settings.
type Client struct {
	sup   *supervise.Supervisor
	calls *calls.Client
	batch *batch.Client
}

var (
	_ core.Backend      = (*Client)(nil)
	_ core.BulkUpdater  = (*Client)(nil)
	_ core.HashVerifier = (*Client)(nil)
	_ io.Closer         = (*Client)(nil)
)

// newClient returns the Client of a supervised backend.
func newClient(s *supervise.Supervisor) *Client {
	return &Client{sup: s, calls: calls.New(s), batch: batch.New(s)}
}

// Name returns the backend's name ("gocrypto").
func (c *Client) Name() string { return c.sup.Name() }

// Path returns the backend binary's path.
func (c *Client) Path() string { return c.sup.Path() }

// Restarts returns how many times a backend process was started to replace
// one that failed.
func (c *Client) Restarts() int { return c.sup.Restarts() }

// PID returns the process ID of the running backend process, or 0 when none
// runs (not started yet, failed, or closed).
func (c *Client) PID() int {
	if inst := c.sup.Running(); inst != nil {
		return inst.PID()
	}
	return 0
}

// Close kills the backend process and waits for it to exit; calls in
// flight fail with [ErrClosed]. Close is idempotent.
func (c *Client) Close() error {
	c.sup.Close()
	unregister(c)
	return nil
}

// Abandon is Close for a program that is about to exit: the backend
// process is killed (SIGKILL) and its socket removed at once, but not
// waited for, which saves about a millisecond of a one-package run; the
// kernel reaps it when the program exits. A long-running program uses
// Close.
func (c *Client) Abandon() {
	c.sup.Abandon()
	unregister(c)
}

// Capabilities implements [core.Capable]: a Client declares both batch
// paths, the key import ([Client.ImportKeys]) and the package flow
// ([Client.VerifyPackages]), which run in the backend process, and the
// bulk digest update of the call-by-call path ([Client.UpdateDigests]).
func (c *Client) Capabilities() core.Capabilities {
	return core.Capabilities{Keys: c, Packages: c, Digests: c}
}

// Init implements [core.Initializer]. The Options are remembered and
// applied again to every restarted process. After an error, every call
// fails until an Init succeeds.
func (c *Client) Init(opts core.Options) error {
	_, err := c.sup.Init(opts, nil)
	return err
}

// Describe implements [core.Describer]; Path is the backend binary and
// Protocol the negotiated protocol version.
func (c *Client) Describe() (core.Description, error) { return c.calls.Describe() }

// ParseSignature implements [core.Parser].
func (c *Client) ParseSignature(pkt []byte) (core.ParseResult, error) {
	return c.calls.ParseSignature(pkt)
}

// ParseCertificate implements [core.Parser].
func (c *Client) ParseCertificate(cert []byte) (core.ParseResult, error) {
	return c.calls.ParseCertificate(cert)
}

// Subkeys implements [core.Parser].
func (c *Client) Subkeys(cert []byte) ([]*core.Params, error) { return c.calls.Subkeys(cert) }

// VerifySignature implements [core.SignatureVerifier]. d must be a digest of
// this Client (from NewDigest or Dup) whose process is still running.
func (c *Client) VerifySignature(key *core.Params, sig *core.Params, d core.Digest) (core.Verdict, error) {
	return c.calls.VerifySignature(key, sig, d)
}

// VerifyHash implements [core.HashVerifier]: sum is the digest of the
// signed data and the signature trailer, finalised by the caller (the rpm
// 4.18 preload library, whose digests belong to rpm).
func (c *Client) VerifyHash(key *core.Params, sig *core.Params, sum []byte) (core.Verdict, error) {
	return c.calls.VerifyHash(key, sig, sum)
}

// LintKey implements [core.KeyTools].
func (c *Client) LintKey(cert []byte) (core.Verdict, error) { return c.calls.LintKey(cert) }

// Fingerprint implements [core.KeyTools].
func (c *Client) Fingerprint(pkt []byte) ([]byte, error) { return c.calls.Fingerprint(pkt) }

// KeyID implements [core.KeyTools].
func (c *Client) KeyID(pkt []byte) (core.KeyID, error) { return c.calls.KeyID(pkt) }

// CertLen implements [core.KeyTools].
func (c *Client) CertLen(pkts []byte) (int, error) { return c.calls.CertLen(pkts) }

// Merge implements [core.KeyTools].
func (c *Client) Merge(a, b []byte) ([]byte, error) { return c.calls.Merge(a, b) }

// ParseArmor implements [core.Armorer].
func (c *Client) ParseArmor(text []byte) (core.ArmorKind, []byte, error) {
	return c.calls.ParseArmor(text)
}

// WrapArmor implements [core.Armorer].
func (c *Client) WrapArmor(kind core.ArmorKind, data []byte) (string, error) {
	return c.calls.WrapArmor(kind, data)
}

// NewDigest implements [core.Digester]: the digest lives in the backend
// process; the returned value is a handle that buffers small writes.
func (c *Client) NewDigest(algo core.HashAlgo) (core.Digest, error) { return c.calls.NewDigest(algo) }

// UpdateDigests implements [core.BulkUpdater]. When r is an [*os.File]
// (a regular file, a pipe or a socket), the backend process is handed its descriptor
// and reads and hashes it itself: no data crosses the connection, and a
// regular file whose length changes meanwhile fails the update. Other
// readers are read once, in chunks of 1 MiB, each streamed once to the
// backend process, which writes it into every digest of ds. All digests
// must belong to this Client. The deadline is the call timeout per chunk
// sent (per 16 MiB hashed, or per heartbeat while the backend waits for a
// pipe), so it scales with the size of the data. On error the digests of
// ds are unusable.
func (c *Client) UpdateDigests(ds []core.Digest, r io.Reader) (int64, error) {
	return c.calls.UpdateDigests(ds, r)
}

// ImportKeys implements [core.KeyImporter]: the whole import runs in the
// backend process in one call. Files too large for one message are
// refused with [core.ErrNotSupported], so that the caller imports them call
// by call.
func (c *Client) ImportKeys(files []core.KeyFile) ([]core.KeyringCert, []core.ImportResult, error) {
	return c.batch.ImportKeys(files)
}

// InitImport is [Client.Init] followed by [Client.ImportKeys] in one round
// trip: the start-up path of a command that verifies. Key files that do
// not fit one message next to the policy give [core.ErrNotSupported] after
// a successful Init: the caller then imports them call by call
// ([core.ImportKeyFiles]).
func (c *Client) InitImport(opts core.Options, files []core.KeyFile) ([]core.KeyringCert, []core.ImportResult, error) {
	return c.batch.InitImport(opts, files)
}

// VerifyPackages implements [core.PackageVerifier]: the backend process
// runs the package flow on each file itself, receiving the files over the
// descriptor channel, with kr and cfg. When the process dies or hangs,
// the packages not answered yet are sent again to a new process, one per
// call, so that the package that breaks a process gets the error (never a
// verdict) and the others their verdicts. Files that are not regular
// files, or a process without a descriptor channel, give
// [core.ErrNotSupported] so that the caller runs the flow call by call.
func (c *Client) VerifyPackages(files []*os.File, names []string, kr *core.Keyring, cfg core.VerifyConfig) ([]core.PackageResult, error) {
	return c.batch.VerifyPackages(files, names, kr, cfg)
}
