package main

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/rpmpgp/rpmpgp/internal/rpmgen"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// corpus is the generated input, all under one temporary directory.
type corpus struct {
	dir        string
	small      []string // the first -small of pkgs
	pkgs       []string // copies (hard links) of rpmsign-rsa4096.rpm, max(-small, -many, -huge)
	mid        string   // a package with a random payload of -mid MiB
	big        string   // a package with a -big MiB payload, "" with -big 0
	data       string   // -detached MiB of random data
	dataSig    string   // a detached signature over data
	keyring    string   // the armored certificate (rpmpgp, sqv, rpmkeys)
	gpgKeyring string   // the same certificate, binary (gpgv)
	secret     *openpgp.Entity
}

// makeCorpus writes n small packages (the first small of them are
// c.small), the mid-size package and the detached data with its signature
// under dir. The big package is made by makeBig, later, and removed after
// its rows.
func makeCorpus(dir string, small, n, midMiB, detachedMiB int) (*corpus, error) {
	fixtures := testutil.Fixtures()
	c := &corpus{dir: dir, keyring: filepath.Join(fixtures, "keys", "rsa4096.asc")}
	base := filepath.Join(fixtures, "rpms", "rpmsign-rsa4096.rpm")
	first := filepath.Join(dir, "small-00000.rpm")
	if err := copyFile(base, first); err != nil {
		return nil, err
	}
	c.pkgs = append(c.pkgs, first)
	// Hard links to first; when it has as many as the file system allows
	// (ext4: 65,000), the next package is a copy and becomes first.
	for i := 1; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("small-%05d.rpm", i))
		if err := os.Link(first, p); err != nil {
			if err := copyFile(base, p); err != nil {
				return nil, err
			}
			first = p
		}
		c.pkgs = append(c.pkgs, p)
	}
	c.small = c.pkgs[:small]
	secret, err := readSecret(filepath.Join(fixtures, "keys", "rsa4096.secret.asc"))
	if err != nil {
		return nil, err
	}
	c.secret = secret
	c.gpgKeyring = filepath.Join(dir, "keyring.gpg")
	var pub bytes.Buffer
	if err := secret.Serialize(&pub); err != nil {
		return nil, err
	}
	if err := os.WriteFile(c.gpgKeyring, pub.Bytes(), 0o644); err != nil {
		return nil, err
	}
	c.mid = filepath.Join(dir, "mid.rpm")
	if err := writePackage(c.mid, int64(midMiB)<<20, secret); err != nil {
		return nil, fmt.Errorf("%d MiB package: %w", midMiB, err)
	}
	c.data = filepath.Join(dir, "data.bin")
	if err := writeData(c.data, int64(detachedMiB)<<20); err != nil {
		return nil, err
	}
	c.dataSig = c.data + ".sig"
	return c, signFile(c.data, c.dataSig, secret)
}

// makeBig writes the big package, streamed: nothing of it is held in
// memory. Its payload is pseudo-random data written out, not a sparse
// file, so that every reader reads data from the page cache as it would
// for a real package, not holes the kernel fills with zeros on each read.
func (c *corpus) makeBig(mib int) error {
	c.big = filepath.Join(c.dir, "big.rpm")
	return writePackage(c.big, int64(mib)<<20, c.secret)
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// payload returns the payload stream of a package: a fixed pseudo-random
// stream (the same every call).
func payload(size int64) io.Reader {
	return io.LimitReader(rand.NewChaCha8([32]byte{'r', 'p', 'm', 'p', 'g', 'p'}), size)
}

// writeData writes size bytes of pseudo-random data to path.
func writeData(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := io.Copy(w, payload(size)); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// RPM tags rewritten in the generated packages (include/rpm/rpmtag.h).
const (
	tagPayloadDigest    = 5092
	tagPayloadDigestAlt = 5097
)

// writePackage writes rpmsign-rsa4096.rpm with a payload of size bytes
// (see payload), the payload digest in its main header fixed, its digests
// recomputed and its header signed again with secret, as rpmsign would.
// The payload is streamed (generated twice for its digests, once to write
// it), never held in memory.
func writePackage(path string, size int64, secret *openpgp.Entity) error {
	base, err := os.ReadFile(filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa4096.rpm"))
	if err != nil {
		return err
	}
	p, err := rpmgen.Parse(base)
	if err != nil {
		return err
	}
	region, entries, _, err := rpmgen.DecodeHeader(p.Header)
	if err != nil {
		return err
	}
	h := sha256.New()
	if _, err := io.Copy(h, payload(size)); err != nil {
		return err
	}
	found := false
	var kept []rpmgen.Entry
	for _, e := range entries {
		switch e.Tag {
		case tagPayloadDigest:
			e = rpmgen.StringArray(tagPayloadDigest, hex.EncodeToString(h.Sum(nil)))
			found = true
		case tagPayloadDigestAlt:
			continue // over the uncompressed payload, which this one is not
		}
		kept = append(kept, e)
	}
	if !found {
		return errors.New("base package has no payload digest")
	}
	header, err := rpmgen.EncodeHeader(region, kept)
	if err != nil {
		return err
	}
	if int64(len(header))+size >= 1<<32 {
		return fmt.Errorf("payload of %d bytes: SIZE (1000) holds 32 bits", size)
	}
	m := md5.New()
	m.Write(header)
	if _, err := io.Copy(m, payload(size)); err != nil {
		return err
	}
	var sig bytes.Buffer
	if err := openpgp.DetachSign(&sig, secret, bytes.NewReader(header), &packet.Config{DefaultHash: crypto.SHA256}); err != nil {
		return err
	}
	p.Header, p.Payload = header, nil
	head, err := p.Resign(
		rpmgen.SHA1Entry(header),
		rpmgen.SHA256Entry(header),
		rpmgen.Int32(rpmgen.SigTagSize, uint32(int64(len(header))+size)),
		rpmgen.Bin(rpmgen.SigTagMD5, m.Sum(nil)),
		rpmgen.Bin(rpmgen.SigTagRSA, sig.Bytes()),
	)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(head); err != nil {
		f.Close()
		return err
	}
	if _, err := io.Copy(f, payload(size)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// signFile writes a binary detached signature (SHA-256) over data to sig,
// streaming data.
func signFile(data, sig string, secret *openpgp.Entity) error {
	in, err := os.Open(data)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(sig)
	if err != nil {
		return err
	}
	if err := openpgp.DetachSign(out, secret, bufio.NewReaderSize(in, 1<<20), &packet.Config{DefaultHash: crypto.SHA256}); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// readSecret reads the first key of an armored secret keyring.
func readSecret(path string) (*openpgp.Entity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ring, err := openpgp.ReadArmoredKeyRing(f)
	if err != nil {
		return nil, err
	}
	if len(ring) == 0 {
		return nil, errors.New("no key in " + path)
	}
	return ring[0], nil
}
