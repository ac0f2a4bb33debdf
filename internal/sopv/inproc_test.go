package sopv

import (
	"bytes"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/gocrypto"
	"github.com/rpmpgp/rpmpgp/backends/openssl"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
)

// inproc is a strict backend in process (gocrypto unless name says
// "openssl"): the backend's semantics without starting a plugin.
type inproc struct {
	t    testing.TB
	at   time.Time
	name string
}

func (b inproc) backend() core.Backend {
	var be core.Backend = gocrypto.New()
	if b.name == "openssl" {
		o, err := openssl.New(openssl.Options{})
		if err != nil {
			b.t.Fatal(err)
		}
		be = o
	}
	if err := be.Init(core.Options{Time: b.at}); err != nil {
		b.t.Fatal(err)
	}
	return be
}

func (b inproc) Describe() (core.Description, error) { return b.backend().Describe() }

func (b inproc) Open(certs []core.KeyFile) (*Session, error) {
	be := b.backend()
	kr, imports, err := core.ImportKeyFiles(be, certs)
	if err != nil {
		return nil, err
	}
	v, err := verify.NewVerifier(be, kr, core.Defaults(core.ProfileStrict))
	if err != nil {
		return nil, err
	}
	return &Session{Verifier: v, Keyring: kr, Imports: imports}, nil
}

// runSopv runs a sopv command line in process and returns its exit code,
// stdout and stderr.
func runSopv(t testing.TB, stdin []byte, args ...string) (int, string, string) {
	t.Helper()
	return runSopvWith(t, inproc{t: t}, stdin, args...)
}

// runSopvWith is runSopv on backend b.
func runSopvWith(t testing.TB, b Backend, stdin []byte, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &Env{Stdin: bytes.NewReader(stdin), Stdout: &out, Stderr: &errb, Name: "rpmpgp-sopv", Version: "test",
		Backend: b, TempDir: t.TempDir(),
		LookupEnv: func(string) (string, bool) { return "", false }}
	code := e.Run(args)
	return code, out.String(), errb.String()
}
