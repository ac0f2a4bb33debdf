//go:build cgo

package ossl

/*
#include "shims.h"
*/
import "C"

import (
	"errors"
	"runtime"
)

// errClosed is returned by a [Digest] used after Close.
var errClosed = errors.New("openssl: digest used after Close")

// Digest is a running OpenSSL digest (EVP_MD_CTX). It is not safe for
// concurrent use. Close releases it at once; otherwise the garbage collector
// does.
type Digest struct {
	ctx     *C.EVP_MD_CTX
	name    string
	size    int
	cleanup runtime.Cleanup
}

func newDigest(ctx *C.EVP_MD_CTX, name string, size int) *Digest {
	d := &Digest{ctx: ctx, name: name, size: size}
	d.cleanup = runtime.AddCleanup(d, func(p *C.EVP_MD_CTX) { C.rpmpgp_md_ctx_free(p) }, ctx)
	return d
}

// NewDigest starts the digest OpenSSL calls name ("SHA2-256", "SHA3-512",
// "MD5", ...), fetched with the context's default properties
// (EVP_MD_fetch(3), EVP_DigestInit_ex2(3)). In FIPS mode a digest the FIPS
// provider does not offer fails with an error wrapping [ErrUnavailable].
func (c *Context) NewDigest(name string) (*Digest, error) {
	m, err := c.fetch(name)
	if err != nil {
		return nil, err
	}
	var ctx *C.EVP_MD_CTX
	b := getErrBuf()
	if err := resultOf("EVP_DigestInit_ex2", name, C.rpmpgp_md_ctx_new(m.ptr, &ctx, b.ptr(), b.size()), b); err != nil {
		return nil, err
	}
	return newDigest(ctx, name, m.size), nil
}

// Name returns the OpenSSL name the digest was created with.
func (d *Digest) Name() string { return d.name }

// Size returns the digest length in bytes.
func (d *Digest) Size() int { return d.size }

// Write adds p to the digest (EVP_DigestUpdate(3)). It never keeps p.
func (d *Digest) Write(p []byte) (int, error) {
	if d.ctx == nil {
		return 0, errClosed
	}
	if len(p) == 0 {
		return 0, nil
	}
	b := getErrBuf()
	err := resultOf("EVP_DigestUpdate", d.name, C.rpmpgp_md_update(d.ctx, bytesPtr(p), size(p), b.ptr(), b.size()), b)
	runtime.KeepAlive(d)
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// Clone returns an independent copy of the current state
// (EVP_MD_CTX_copy_ex(3)).
func (d *Digest) Clone() (*Digest, error) {
	if d.ctx == nil {
		return nil, errClosed
	}
	var ctx *C.EVP_MD_CTX
	b := getErrBuf()
	err := resultOf("EVP_MD_CTX_copy_ex", d.name, C.rpmpgp_md_ctx_dup(d.ctx, &ctx, b.ptr(), b.size()), b)
	runtime.KeepAlive(d)
	if err != nil {
		return nil, err
	}
	return newDigest(ctx, d.name, d.size), nil
}

// Sum returns the digest of everything written so far. It finalises a copy
// (EVP_MD_CTX_copy_ex(3), EVP_DigestFinal_ex(3)), so d is unchanged and
// more can be written.
func (d *Digest) Sum() ([]byte, error) {
	if d.ctx == nil {
		return nil, errClosed
	}
	out := make([]byte, d.size)
	b := getErrBuf()
	err := resultOf("EVP_DigestFinal_ex", d.name, C.rpmpgp_md_sum(d.ctx, bytesPtr(out), size(out), b.ptr(), b.size()), b)
	runtime.KeepAlive(d)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Final returns the digest of everything written so far and frees the
// digest, like Sum followed by Close but without Sum's copy and in one
// call into C (EVP_DigestFinal_ex(3) on the context itself,
// EVP_MD_CTX_free(3)). The digest is freed whether or not it succeeds.
func (d *Digest) Final() ([]byte, error) {
	if d.ctx == nil {
		return nil, errClosed
	}
	ctx := d.ctx
	d.ctx = nil
	d.cleanup.Stop()
	out := make([]byte, d.size)
	b := getErrBuf()
	if err := resultOf("EVP_DigestFinal_ex", d.name, C.rpmpgp_md_final_free(ctx, bytesPtr(out), size(out), b.ptr(), b.size()), b); err != nil {
		return nil, err
	}
	return out, nil
}

// Close frees the digest (EVP_MD_CTX_free(3)). Further use returns an
// error; Close is idempotent.
func (d *Digest) Close() {
	if d.ctx == nil {
		return
	}
	d.cleanup.Stop()
	C.rpmpgp_md_ctx_free(d.ctx)
	d.ctx = nil
}
