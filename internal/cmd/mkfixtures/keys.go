package main

import (
	"bytes"
	"crypto"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Fixed times used for every key and signature, so that regeneration is
// reproducible wherever the algorithm allows it.
var (
	tKeys    = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // creation of most keys
	tSign    = time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC) // package signatures
	tOldKey  = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) // creation of the expired key
	tLateSig = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC) // signature after the expired key's end
	tFuture  = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC) // signature "from the future"
	tRevoke  = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC) // revocation of the revoked key
	tAfterRv = time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC) // signature after the revocation
)

// keySpec describes one test key.
type keySpec struct {
	name    string // file base name in testdata/keys
	desc    string // one line for the README
	maker   string // "gpg" or "go-crypto"
	algo    string // gpg --quick-gen-key algorithm
	usage   string // gpg usage (sign, cert)
	expire  string // gpg expire argument
	created time.Time
	gpgOpts []string // extra gpg options for key generation
	subkey  string   // if set: add a signing subkey of this gpg algorithm
	revoke  bool     // import the key's own revocation certificate
	gomake  func(cfg *packet.Config) (*openpgp.Entity, error)
}

func uid(name string) string {
	return fmt.Sprintf("rpmpgp test %s <%s@rpmpgp.invalid>", name, name)
}

var keySpecs = []keySpec{
	{name: "rsa2048", desc: "RSA-2048, v4, sign-only primary", maker: "gpg", algo: "rsa2048", usage: "sign", expire: "never", created: tKeys},
	{name: "rsa4096", desc: "RSA-4096, v4, sign-only primary", maker: "gpg", algo: "rsa4096", usage: "sign", expire: "never", created: tKeys},
	{name: "ed25519", desc: "Ed25519 as legacy EdDSA (algo 22), v4", maker: "gpg", algo: "ed25519", usage: "sign", expire: "never", created: tKeys},
	{name: "dsa2048", desc: "DSA-2048, v4", maker: "gpg", algo: "dsa2048", usage: "sign", expire: "never", created: tKeys},
	{name: "p256", desc: "ECDSA NIST P-256, v4", maker: "gpg", algo: "nistp256", usage: "sign", expire: "never", created: tKeys},
	{name: "p384", desc: "ECDSA NIST P-384, v4", maker: "gpg", algo: "nistp384", usage: "sign", expire: "never", created: tKeys},
	{name: "p521", desc: "ECDSA NIST P-521, v4", maker: "gpg", algo: "nistp521", usage: "sign", expire: "never", created: tKeys},
	{name: "rsa1024", desc: "RSA-1024, v4 (too weak for the default policy)", maker: "gpg", algo: "rsa1024", usage: "sign", expire: "never", created: tKeys},
	{name: "dsa1024", desc: "DSA-1024, v4 (too weak for the default policy)", maker: "gpg", algo: "dsa1024", usage: "sign", expire: "never", created: tKeys},
	{name: "expired", desc: "RSA-2048 created 2020-01-01, expired 2021-01-01", maker: "gpg", algo: "rsa2048", usage: "sign", expire: "seconds=31622400", created: tOldKey},
	{name: "revoked", desc: "RSA-2048 with a key revocation (no reason given) made at creation, imported 2024-06-01", maker: "gpg", algo: "rsa2048", usage: "sign", expire: "never", created: tKeys, revoke: true},
	{name: "subkey", desc: "RSA-2048 certify-only primary with an RSA-2048 signing subkey (with back-signature)", maker: "gpg", algo: "rsa2048", usage: "cert", expire: "never", created: tKeys, subkey: "rsa2048"},
	{name: "nosign", desc: "RSA-2048 primary with only the certify flag and no subkey", maker: "gpg", algo: "rsa2048", usage: "cert", expire: "never", created: tKeys},
	{name: "sha1selfsig", desc: "RSA-2048 whose self-signature uses SHA-1 (made 2024)", maker: "gpg", algo: "rsa2048", usage: "sign", expire: "never", created: tKeys, gpgOpts: []string{"--cert-digest-algo", "SHA1"}},
	{name: "v6-ed25519", desc: "v6 (RFC 9580) Ed25519 primary, sign+certify", maker: "go-crypto", created: tKeys, gomake: func(cfg *packet.Config) (*openpgp.Entity, error) {
		cfg.V6Keys = true
		cfg.Algorithm = packet.PubKeyAlgoEd25519
		return openpgp.NewEntity("rpmpgp test v6-ed25519", "", "v6-ed25519@rpmpgp.invalid", cfg)
	}},
	{name: "v6-ed448", desc: "v6 (RFC 9580) Ed448 primary, sign+certify", maker: "go-crypto", created: tKeys, gomake: func(cfg *packet.Config) (*openpgp.Entity, error) {
		cfg.V6Keys = true
		cfg.Algorithm = packet.PubKeyAlgoEd448
		return openpgp.NewEntity("rpmpgp test v6-ed448", "", "v6-ed448@rpmpgp.invalid", cfg)
	}},
	{name: "nobacksig", desc: "v4 EdDSA primary with an EdDSA signing subkey whose binding has NO primary-key back-signature", maker: "go-crypto", created: tKeys, gomake: makeNoBacksig},
}

// makeNoBacksig makes a v4 EdDSA key and adds a signing subkey bound without
// the embedded primary-key binding signature (0x19) that RFC 4880 5.2.1 requires.
func makeNoBacksig(cfg *packet.Config) (*openpgp.Entity, error) {
	cfg.Algorithm = packet.PubKeyAlgoEdDSA
	e, err := openpgp.NewEntity("rpmpgp test nobacksig", "", "nobacksig@rpmpgp.invalid", cfg)
	if err != nil {
		return nil, err
	}
	if err := e.AddSigningSubkey(cfg); err != nil {
		return nil, err
	}
	sub := &e.Subkeys[len(e.Subkeys)-1]
	sig := &packet.Signature{
		Version:           4,
		SigType:           packet.SigTypeSubkeyBinding,
		PubKeyAlgo:        e.PrimaryKey.PubKeyAlgo,
		Hash:              crypto.SHA256,
		CreationTime:      cfg.Now(),
		IssuerKeyId:       &e.PrimaryKey.KeyId,
		IssuerFingerprint: e.PrimaryKey.Fingerprint,
		FlagsValid:        true,
		FlagSign:          true,
	}
	if err := sig.SignKey(sub.PublicKey, e.PrivateKey, cfg); err != nil {
		return nil, err
	}
	sub.Sig = sig
	return e, nil
}

// seededRand is a deterministic randomness source for go-crypto key generation.
type seededRand struct{ r *rand.ChaCha8 }

func (s seededRand) Read(p []byte) (int, error) { return s.r.Read(p) }

func newSeeded(name string) seededRand {
	var seed [32]byte
	copy(seed[:], "rpmpgp-fixtures:"+name)
	return seededRand{rand.NewChaCha8(seed)}
}

func keyPaths(dir, name string) (pub, sec string) {
	return filepath.Join(dir, name+".asc"), filepath.Join(dir, name+".secret.asc")
}

// ensureKeys creates every missing key pair in dir. Existing key files are
// kept: keys are generated once and committed.
func ensureKeys(dir string, regen bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, k := range keySpecs {
		pub, sec := keyPaths(dir, k.name)
		if !regen && exists(pub) && exists(sec) {
			continue
		}
		logf("generating key %s (%s)", k.name, k.maker)
		var pubA, secA []byte
		var err error
		if k.maker == "gpg" {
			pubA, secA, err = gpgMakeKey(k)
		} else {
			pubA, secA, err = goMakeKey(k)
		}
		if err != nil {
			return fmt.Errorf("key %s: %w", k.name, err)
		}
		if err := os.WriteFile(pub, pubA, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(sec, secA, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func goMakeKey(k keySpec) (pub, sec []byte, err error) {
	t := k.created
	cfg := &packet.Config{Rand: newSeeded(k.name), Time: func() time.Time { return t }, DefaultHash: crypto.SHA256}
	e, err := k.gomake(cfg)
	if err != nil {
		return nil, nil, err
	}
	var pb, sb bytes.Buffer
	w, _ := armor.EncodeWithChecksumOption(&pb, openpgp.PublicKeyType, nil, true)
	if err := e.Serialize(w); err != nil {
		return nil, nil, err
	}
	w.Close()
	pb.WriteByte('\n')
	w, _ = armor.EncodeWithChecksumOption(&sb, openpgp.PrivateKeyType, nil, true)
	if err := e.SerializePrivateWithoutSigning(w, cfg); err != nil {
		return nil, nil, err
	}
	w.Close()
	sb.WriteByte('\n')
	return pb.Bytes(), sb.Bytes(), nil
}

// gpgHome is a temporary GNUPGHOME.
type gpgHome struct{ dir string }

func newGPGHome() (*gpgHome, error) {
	d, err := os.MkdirTemp("", "mkfixtures-gnupg-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(d, 0o700); err != nil {
		return nil, err
	}
	return &gpgHome{d}, nil
}

func (g *gpgHome) close() {
	c := exec.Command("gpgconf", "--kill", "gpg-agent")
	c.Env = append(os.Environ(), "GNUPGHOME="+g.dir)
	_ = c.Run()
	os.RemoveAll(g.dir)
}

func (g *gpgHome) run(t time.Time, args ...string) ([]byte, error) {
	a := []string{"--batch", "--no-tty", "--quiet", "--pinentry-mode", "loopback", "--passphrase", ""}
	if !t.IsZero() {
		a = append(a, "--faked-system-time", fmt.Sprintf("%d!", t.Unix()))
	}
	a = append(a, args...)
	c := exec.Command("gpg", a...)
	c.Env = append(os.Environ(), "GNUPGHOME="+g.dir, "TZ=UTC")
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		return nil, fmt.Errorf("gpg %s: %v: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.Bytes(), nil
}

func (g *gpgHome) fingerprint(u string) (string, error) {
	out, err := g.run(time.Time{}, "--with-colons", "--list-keys", u)
	if err != nil {
		return "", err
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "fpr:") {
			return strings.Split(l, ":")[9], nil
		}
	}
	return "", fmt.Errorf("no fingerprint for %s", u)
}

func gpgMakeKey(k keySpec) (pub, sec []byte, err error) {
	g, err := newGPGHome()
	if err != nil {
		return nil, nil, err
	}
	defer g.close()
	u := uid(k.name)
	args := append(append([]string{}, k.gpgOpts...), "--quick-gen-key", u, k.algo, k.usage, k.expire)
	if _, err := g.run(k.created, args...); err != nil {
		return nil, nil, err
	}
	fpr, err := g.fingerprint(u)
	if err != nil {
		return nil, nil, err
	}
	if k.subkey != "" {
		if _, err := g.run(k.created, "--quick-add-key", fpr, k.subkey, "sign", "never"); err != nil {
			return nil, nil, err
		}
	}
	if k.revoke {
		rev, err := os.ReadFile(filepath.Join(g.dir, "openpgp-revocs.d", fpr+".rev"))
		if err != nil {
			return nil, nil, err
		}
		rev = bytes.Replace(rev, []byte(":-----BEGIN"), []byte("-----BEGIN"), 1)
		rf := filepath.Join(g.dir, "rev.asc")
		if err := os.WriteFile(rf, rev, 0o600); err != nil {
			return nil, nil, err
		}
		if _, err := g.run(tRevoke, "--import", rf); err != nil {
			return nil, nil, err
		}
	}
	if pub, err = g.run(time.Time{}, "--armor", "--export", fpr); err != nil {
		return nil, nil, err
	}
	if sec, err = g.run(time.Time{}, "--armor", "--export-secret-keys", fpr); err != nil {
		return nil, nil, err
	}
	return pub, sec, nil
}

// loadSecret reads keys/<name>.secret.asc.
func loadSecret(dir, name string) (*openpgp.Entity, error) {
	_, sec := keyPaths(dir, name)
	f, err := os.Open(sec)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	el, err := openpgp.ReadArmoredKeyRing(f)
	if err != nil {
		// go-crypto refuses invalid certificates (e.g. keys/nobacksig, whose
		// subkey binding lacks the back-signature); read the raw packets.
		return loadRawSecret(sec)
	}
	if len(el) != 1 {
		return nil, fmt.Errorf("%s: %d keys", sec, len(el))
	}
	return el[0], nil
}

// loadRawSecret builds a minimal Entity from a secret key file without
// validating it: the primary secret key and every secret subkey, each
// subkey marked signing-capable as its binding says.
func loadRawSecret(path string) (*openpgp.Entity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	blk, err := armor.Decode(f)
	if err != nil {
		return nil, err
	}
	r := packet.NewReader(blk.Body)
	e := &openpgp.Entity{}
	var cur *packet.PrivateKey
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		switch p := p.(type) {
		case *packet.PrivateKey:
			if !p.IsSubkey {
				e.PrimaryKey, e.PrivateKey = &p.PublicKey, p
			} else {
				cur = p
			}
		case *packet.Signature:
			if cur != nil && p.SigType == packet.SigTypeSubkeyBinding {
				e.Subkeys = append(e.Subkeys, openpgp.Subkey{PublicKey: &cur.PublicKey, PrivateKey: cur, Sig: p})
				cur = nil
			}
		}
	}
	if e.PrivateKey == nil {
		return nil, fmt.Errorf("%s: no secret primary key", path)
	}
	return e, nil
}
