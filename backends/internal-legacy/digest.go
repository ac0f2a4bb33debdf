package legacy

import (
	_ "crypto/md5"    // crypto.Hash.New (core.HashInfo.Crypto)
	_ "crypto/sha1"   // crypto.Hash.New (core.HashInfo.Crypto)
	_ "crypto/sha256" // crypto.Hash.New (core.HashInfo.Crypto)
	_ "crypto/sha3"   // crypto.Hash.New (core.HashInfo.Crypto)
	_ "crypto/sha512" // crypto.Hash.New (core.HashInfo.Crypto)
	"errors"
	"fmt"
	"hash"

	"github.com/rpmpgp/rpmpgp/core"
)

// Digests (rpm's rpmDigestInit/Update/Dup/Final, rpmio/digest_libgcrypt.c),
// computed with Go's standard library. rpm 4.18 offers MD5, SHA-1 and SHA-2;
// the contract also requires SHA3-256/512, which this backend provides
// although 4.18 has none (a 4.18 signature over SHA-3 is still FAIL in
// VerifySignature, because 4.18 could not have computed it).

// errDigestDone is returned when a finalised or closed digest is used.
var errDigestDone = errors.New("internal-legacy: digest already finalised or closed")

// NewDigest implements [core.Digester] (rpmDigestInit).
func (b *Backend) NewDigest(algo core.HashAlgo) (core.Digest, error) {
	h, err := newStdHash(algo)
	if err != nil {
		return nil, err
	}
	return &digest{algo: algo, h: h}, nil
}

// newStdHash starts one of the digests every backend offers
// (core.RequiredDigests), SHA-3 included.
func newStdHash(algo core.HashAlgo) (hash.Cloner, error) {
	if info := algo.Info(); info.Required && info.Crypto.Available() {
		if h, ok := info.Crypto.New().(hash.Cloner); ok {
			return h, nil
		}
	}
	return nil, fmt.Errorf("%w: %v (%d)", core.ErrUnsupportedDigest, algo, uint8(algo))
}

// digest implements [core.Digest]. It is not safe for concurrent use (a
// DIGEST_CTX is not either); distinct digests are independent.
type digest struct {
	algo core.HashAlgo
	h    hash.Cloner // nil once finalised or closed
}

// Algo implements [core.Digest].
func (d *digest) Algo() core.HashAlgo { return d.algo }

// Write implements [core.Digest] (rpmDigestUpdate).
func (d *digest) Write(p []byte) (int, error) {
	if d.h == nil {
		return 0, errDigestDone
	}
	return d.h.Write(p)
}

// Dup implements [core.Digest] (rpmDigestDup).
func (d *digest) Dup() (core.Digest, error) {
	if d.h == nil {
		return nil, errDigestDone
	}
	c, err := d.h.Clone()
	if err != nil {
		return nil, fmt.Errorf("internal-legacy: cloning %v digest: %w", d.algo, err)
	}
	return &digest{algo: d.algo, h: c}, nil
}

// Final implements [core.Digest] (rpmDigestFinal).
func (d *digest) Final() ([]byte, error) {
	if d.h == nil {
		return nil, errDigestDone
	}
	sum := d.h.Sum(nil)
	d.h = nil
	return sum, nil
}

// Close implements [core.Digest].
func (d *digest) Close() error {
	d.h = nil
	return nil
}

// cloneState returns an independent running hash with d's state, for
// VerifySignature; it works on this backend's own digests only.
func cloneState(d core.Digest) (hash.Hash, error) {
	own, ok := d.(*digest)
	if !ok {
		return nil, errors.New("internal-legacy: digest does not belong to this backend")
	}
	if own.h == nil {
		return nil, errDigestDone
	}
	c, err := own.h.Clone()
	if err != nil {
		return nil, err
	}
	return c, nil
}
