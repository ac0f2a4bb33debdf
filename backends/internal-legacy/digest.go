package legacy

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
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

func newStdHash(algo core.HashAlgo) (hash.Cloner, error) {
	switch algo {
	case core.HashMD5:
		return md5.New().(hash.Cloner), nil
	case core.HashSHA1:
		return sha1.New().(hash.Cloner), nil
	case core.HashSHA224:
		return sha256.New224().(hash.Cloner), nil
	case core.HashSHA256:
		return sha256.New().(hash.Cloner), nil
	case core.HashSHA384:
		return sha512.New384().(hash.Cloner), nil
	case core.HashSHA512:
		return sha512.New().(hash.Cloner), nil
	case core.HashSHA3_256:
		return sha3.New256(), nil
	case core.HashSHA3_512:
		return sha3.New512(), nil
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
