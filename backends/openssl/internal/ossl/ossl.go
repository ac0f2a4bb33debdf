//go:build cgo

package ossl

/*
#cgo pkg-config: libcrypto
#cgo CFLAGS: -Wall -DOPENSSL_API_COMPAT=30000 -DOPENSSL_NO_DEPRECATED
#include <stdlib.h>
#include "shims.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// ErrUnavailable is wrapped by errors for algorithms that no provider loaded
// in the [Context] offers (OpenSSL's ERR_R_UNSUPPORTED / ERR_R_FETCH_FAILED),
// for example MD5 in FIPS mode.
var ErrUnavailable = errors.New("algorithm not offered by the loaded OpenSSL providers")

// ErrVerify is wrapped by errors for signatures that do not verify.
var ErrVerify = errors.New("signature did not verify")

// ErrFIPSUnavailable is wrapped by the error of [Open] in [ModeRequire] when
// OpenSSL cannot run in FIPS mode.
var ErrFIPSUnavailable = errors.New("FIPS mode required but OpenSSL's FIPS provider is unavailable")

// Error is a failed OpenSSL operation. Reason carries the entries of
// OpenSSL's error queue ("library: reason (data)", joined by "; "), which
// may be empty when OpenSSL gave none (an invalid Ed25519 signature).
type Error struct {
	// Op names the operation ("RSA verify", "EVP_MD_fetch SHA2-256").
	Op string
	// Reason is OpenSSL's error queue, drained.
	Reason string
	// Kind is ErrUnavailable, ErrVerify, ErrFIPSUnavailable or nil (any
	// other failure).
	Kind error
}

// Error implements error.
func (e *Error) Error() string {
	s := "openssl: " + e.Op
	if e.Kind != nil {
		s += ": " + e.Kind.Error()
	} else {
		s += " failed"
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Unwrap returns Kind, so errors.Is(err, ErrUnavailable) works.
func (e *Error) Unwrap() error { return e.Kind }

// errBuf receives the drained error queue from a shim.
type errBuf [C.RPMPGP_ERRBUF]C.char

var errBufs = sync.Pool{New: func() any { return new(errBuf) }}

func getErrBuf() *errBuf {
	b := errBufs.Get().(*errBuf)
	b[0] = 0
	return b
}

func (b *errBuf) ptr() *C.char { return &b[0] }

func (b *errBuf) size() C.size_t { return C.size_t(len(b)) }

// result turns a shim's return code into an error, releasing b.
func result(op string, rc C.int, b *errBuf) error { return resultOf(op, "", rc, b) }

// resultOf is result for the operation op on the algorithm name ("" for
// none): the error's Op is "op name". The two are joined only on failure,
// so that the calls made for every package allocate nothing for it.
func resultOf(op, name string, rc C.int, b *errBuf) error {
	if rc == C.RPMPGP_OK {
		errBufs.Put(b)
		return nil
	}
	defer errBufs.Put(b)
	if name != "" {
		op += " " + name
	}
	e := &Error{Op: op, Reason: C.GoString(b.ptr())}
	switch rc {
	case C.RPMPGP_BAD:
		e.Kind = ErrVerify
	case C.RPMPGP_UNAVAILABLE:
		e.Kind = ErrUnavailable
	}
	return e
}

// bytesPtr returns a C view of b (nil when empty). The C side never keeps
// it beyond the call.
func bytesPtr(b []byte) *C.uchar {
	if len(b) == 0 {
		return nil
	}
	return (*C.uchar)(unsafe.Pointer(unsafe.SliceData(b)))
}

func size(b []byte) C.size_t { return C.size_t(len(b)) }

// Version returns OpenSSL_version(OPENSSL_VERSION) of the libcrypto the
// program runs with, for example "OpenSSL 3.0.19 27 Jan 2026".
func Version() string { return C.GoString(C.rpmpgp_version()) }

// Mode selects how [Open] chooses the library context.
type Mode int

// Modes of [Open].
const (
	// ModeAuto uses OpenSSL's default library context as the system
	// configures it (openssl.cnf, a system-wide FIPS setting).
	ModeAuto Mode = iota
	// ModeOff uses a private library context with only the "default"
	// provider: never FIPS, whatever the system says.
	ModeOff
	// ModeRequire uses a private library context in FIPS mode: the OpenSSL
	// configuration is read into it, only the "fips" and "base" providers
	// may be loaded and "fips=yes" is the default property query; [Open]
	// fails when that cannot be had.
	ModeRequire
)

// String returns the mode's name as [ParseMode] accepts it.
func (m Mode) String() string {
	switch m {
	case ModeAuto:
		return "auto"
	case ModeOff:
		return "off"
	case ModeRequire:
		return "require"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Context is an OpenSSL library context and the digests fetched in it. It
// is safe for concurrent use. Contexts live as long as the process: [Open]
// returns one shared Context per mode, so no OpenSSL object outlives its
// library context.
type Context struct {
	mode   Mode
	conf   string
	libctx *C.OSSL_LIB_CTX // nil: OpenSSL's default library context
	fips   bool

	mu  sync.Mutex // serialises the fetches of mds
	mds sync.Map   // digest name -> *md

	keys keyCache // imported public keys, see [Context.VerifyRSA]
}

// md is a fetched digest implementation (EVP_MD), kept for the life of its
// Context.
type md struct {
	ptr  *C.EVP_MD
	size int
}

// ctxKey identifies a shared Context.
type ctxKey struct {
	mode Mode
	conf string
}

var (
	ctxMu sync.Mutex
	ctxs  = map[ctxKey]*Context{}
)

// fipsProviders are the only providers a FIPS-mode Context may have
// loaded: the FIPS provider does the crypto, the base provider only
// encoders, decoders and the seed source (OSSL_PROVIDER-base(7)).
var fipsProviders = []string{"base", "fips"}

// Open returns the shared [Context] for mode, creating it on first use. conf
// is the OpenSSL configuration file [ModeRequire] reads ("": the system's,
// as OpenSSL finds it, $OPENSSL_CONF first); the other modes ignore it. For
// [ModeRequire] it fails, naming OpenSSL's reason, when the FIPS provider
// cannot be loaded (Debian, for example, ships none) or when the
// configuration also loads a provider other than fips and base; a failed
// attempt is not cached.
//
// OpenSSL API: OSSL_LIB_CTX_new(3), OSSL_LIB_CTX_load_config(3),
// OSSL_PROVIDER_load(3), EVP_default_properties_enable_fips(3),
// EVP_default_properties_is_fips_enabled(3).
func Open(mode Mode, conf string) (*Context, error) {
	if mode != ModeRequire {
		conf = ""
	}
	ctxMu.Lock()
	defer ctxMu.Unlock()
	key := ctxKey{mode, conf}
	if c, ok := ctxs[key]; ok {
		return c, nil
	}
	c := &Context{mode: mode, conf: conf}
	switch mode {
	case ModeAuto:
		// The default library context (NULL).
	case ModeOff:
		b := getErrBuf()
		if err := result("creating a library context with the default provider",
			C.rpmpgp_ctx_off(&c.libctx, b.ptr(), b.size()), b); err != nil {
			return nil, err
		}
	case ModeRequire:
		var cconf *C.char
		if conf != "" {
			cconf = C.CString(conf)
			defer C.free(unsafe.Pointer(cconf))
		}
		b := getErrBuf()
		rc := C.rpmpgp_ctx_fips(cconf, &c.libctx, b.ptr(), b.size())
		if rc != C.RPMPGP_OK {
			reason := C.GoString(b.ptr())
			errBufs.Put(b)
			return nil, &Error{Op: "loading the fips provider", Reason: reason, Kind: ErrFIPSUnavailable}
		}
		errBufs.Put(b)
	default:
		return nil, fmt.Errorf("openssl: unknown FIPS mode %d", int(mode))
	}
	c.fips = C.rpmpgp_fips_enabled(c.libctx) == 1
	if mode == ModeRequire && !c.fips {
		// Cannot happen after EVP_default_properties_enable_fips succeeded;
		// checked so that "require" can never silently run without FIPS.
		return nil, &Error{Op: "enabling FIPS mode", Reason: "EVP_default_properties_is_fips_enabled reports FIPS off", Kind: ErrFIPSUnavailable}
	}
	if mode == ModeRequire {
		provs, complete := c.providers()
		if !complete {
			return nil, &Error{Op: "checking the providers", Reason: "the list of loaded providers does not fit rpmpgp's buffer, so it cannot be checked", Kind: ErrFIPSUnavailable}
		}
		for _, p := range provs {
			if !slices.Contains(fipsProviders, p.Name) {
				// The library context is kept (never freed, like every
				// Context) but not used.
				return nil, &Error{Op: "checking the providers", Reason: fmt.Sprintf("the OpenSSL configuration also loads the %q provider; in FIPS mode only fips and base may be loaded", p.Name), Kind: ErrFIPSUnavailable}
			}
		}
	}
	ctxs[key] = c
	return c, nil
}

// DefaultFIPS reports whether OpenSSL's default library context, as the
// system configures it ($OPENSSL_CONF or openssl.cnf), asks for FIPS:
// EVP_default_properties_is_fips_enabled(3) on the default context.
func DefaultFIPS() bool { return C.rpmpgp_fips_enabled(nil) == 1 }

// Provider is an OpenSSL provider loaded in a [Context].
type Provider struct {
	// Name is the name it was loaded under ("fips", "base", "default").
	Name string
	// FullName and Version are what the provider reports about itself
	// ("OpenSSL FIPS Provider", "3.0.20"; OSSL_PROV_PARAM_NAME and
	// OSSL_PROV_PARAM_VERSION).
	FullName, Version string
	// Active is OSSL_PROV_PARAM_STATUS: false after a failed self-test.
	Active bool
}

// String returns "FullName Version (Name, active)".
func (p Provider) String() string {
	state := "active"
	if !p.Active {
		state = "inactive"
	}
	return fmt.Sprintf("%s %s (%s, %s)", p.FullName, p.Version, p.Name, state)
}

// Providers lists the providers loaded in the context
// (OSSL_PROVIDER_do_all(3)), sorted by name; a list too long for its
// buffer is cut short (see providers).
func (c *Context) Providers() []Provider {
	out, _ := c.providers()
	return out
}

// providers is Providers, and whether the list is complete: a provider
// whose line did not fit the buffer is left out, which the FIPS allow-list
// check must not take for its absence.
func (c *Context) providers() ([]Provider, bool) { return c.providersIn(4096) }

// providersIn is providers with a buffer of size bytes.
func (c *Context) providersIn(size int) ([]Provider, bool) {
	buf := make([]C.char, size)
	complete := C.rpmpgp_providers(c.libctx, &buf[0], C.size_t(len(buf))) == 0
	var out []Provider
	for _, line := range strings.Split(C.GoString(&buf[0]), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			continue
		}
		out = append(out, Provider{Name: f[0], FullName: f[1], Version: f[2], Active: f[3] == "active"})
	}
	slices.SortFunc(out, func(a, b Provider) int { return strings.Compare(a.Name, b.Name) })
	return out, complete
}

// Operation kinds for [Context.ServedBy].
const (
	OpDigest    = 0 // EVP_MD_fetch
	OpSignature = 1 // EVP_SIGNATURE_fetch
	OpKeyMgmt   = 2 // EVP_KEYMGMT_fetch
)

// ServedBy returns the name of the provider that serves algorithm name
// for the operation kind op (OpDigest, OpSignature, OpKeyMgmt) with the
// context's default properties, "" when none does.
func (c *Context) ServedBy(op int, name string) string {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var buf [128]C.char
	C.rpmpgp_served_by(c.libctx, C.int(op), cname, &buf[0], C.size_t(len(buf)))
	return C.GoString(&buf[0])
}

// Mode returns the mode the Context was opened with.
func (c *Context) Mode() Mode { return c.mode }

// FIPS reports whether the context's default properties require the FIPS
// provider ("fips=yes"; EVP_default_properties_is_fips_enabled(3)).
func (c *Context) FIPS() bool { return c.fips }

// fetch returns the cached EVP_MD for name, fetching it on first use
// (EVP_MD_fetch(3) with the context's default properties). Failures are not
// cached.
func (c *Context) fetch(name string) (*md, error) {
	// Every digest and RSA verification looks its digest up: no lock once
	// it is fetched.
	if m, ok := c.mds.Load(name); ok {
		return m.(*md), nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.mds.Load(name); ok {
		return m.(*md), nil
	}
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var (
		ptr *C.EVP_MD
		sz  C.int
	)
	b := getErrBuf()
	if err := resultOf("EVP_MD_fetch", name, C.rpmpgp_md_fetch(c.libctx, cname, &ptr, &sz, b.ptr(), b.size()), b); err != nil {
		return nil, err
	}
	m := &md{ptr: ptr, size: int(sz)}
	c.mds.Store(name, m)
	return m, nil
}

// DigestSize returns the output size in bytes of the digest called name
// (EVP_MD_get_size(3)).
func (c *Context) DigestSize(name string) (int, error) {
	m, err := c.fetch(name)
	if err != nil {
		return 0, err
	}
	return m.size, nil
}
