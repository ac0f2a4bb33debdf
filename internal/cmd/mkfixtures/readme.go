package main

import (
	"fmt"
	"strings"
)

func (g *gen) readme() string {
	var b strings.Builder
	b.WriteString(`# testdata: rpmpgp's own fixtures

Everything here is written by the generator; nothing is hand-made. Regenerate with

    go run ./internal/cmd/mkfixtures -out testdata

(needs Debian 12's rpm 4.18 tools ` + "`rpmbuild`, `rpmsign`, `rpmkeys`, `rpm`" + ` and gpg 2.2 on PATH).
Keys are generated once and reused from ` + "`keys/`" + ` on later runs (` + "`-regen-keys`" + ` makes new ones and
changes every fixture). With the same keys, every package is byte-for-byte reproducible (rpmbuild with
SOURCE_DATE_EPOCH, gpg with a faked clock, Go signatures with fixed times and seeded randomness) except
the Go-made DSA and ECDSA signatures (Go's crypto/dsa and crypto/ecdsa draw their own nonces):
` + "`rpms/go-p256.rpm`, `go-p384.rpm`, `go-p521.rpm`, `go-dsa1024-sha1.rpm`, `go-legacy-dsa.rpm`" + ` change on every run;
their verdicts and rpm418 outputs do not.

## Layout
- ` + "`specs/rpmpgp-fixture.spec`" + ` - the one package: noarch, one 6-byte file. Built with ` + "`rpmbuild -bb`" + ` in a temporary
  ` + "`_topdir`" + `, SOURCE_DATE_EPOCH=2024-01-01, fixed build host, gzip payload.
- ` + "`keys/<name>.asc`" + ` public key (ASCII armor with CRC), ` + "`keys/<name>.secret.asc`" + ` the unprotected secret key (test
  only: used to re-sign when regenerating). Never trust these keys for anything else.
- ` + "`rpms/`" + ` packages (below).
- ` + "`fixtures.tsv`" + ` - one row per case in the grammar of the shared corpus ` + "`cases.tsv`" + ` (see CASES-FORMAT.md there);
  kinds ` + "`package`" + ` and ` + "`key`" + `. ` + "`observed_rpm418`" + `/` + "`expect_legacy`" + ` come from running Debian rpm 4.18 here
  (` + "`rpmkeys --dbpath <fresh dir> --import <key>...; rpmkeys --dbpath <dir> -Kv <pkg>`" + `).
  ` + "`expect_strict`" + ` (rpm 6 + rpm-sequoia default policy) is reasoned, not observed (` + "`strict-src=reasoned`" + `):
  the per-signature verdict comes from the case table in ` + "`internal/cmd/mkfixtures/main.go`" + ` (why: in the notes),
  the printed items and pass/fail from a re-implementation of rpm 6's ` + "`rpmvsVerify`" + ` (` + "`strict.go`" + `), and
  the digest results from hashing the bytes.
- ` + "`rpm418/<case_id>.txt`" + ` - the exact stdout of ` + "`rpmkeys -Kv`" + ` 4.18 for each package case, with the package path
  replaced by ` + "`<file>`" + `; ` + "`rpm418/<case_id>.stderr.txt`" + ` when rpm also wrote to stderr.
- ` + "`demo/`" + ` - four packages for the README demo (good RSA, good Ed25519, tampered payload, unsigned) and
  ` + "`demo/keys/`" + ` with the two public keys; copies of files in ` + "`rpms/`" + ` and ` + "`keys/`" + `.

## Keys
| file | made by | what |
|---|---|---|
`)
	for _, k := range keySpecs {
		fmt.Fprintf(&b, "| `keys/%s.asc` | %s | %s |\n", k.name, k.maker, k.desc)
	}
	b.WriteString(`
gpg-made keys: ` + "`gpg --quick-gen-key`" + ` in a temporary GNUPGHOME with ` + "`--faked-system-time`" + ` (creation
2024-01-01 00:00 UTC, expired key 2020-01-01). go-crypto keys: ProtonMail/go-crypto with a seeded
ChaCha8 random source (deterministic).

## Packages
| file | made by | what |
|---|---|---|
`)
	for _, p := range g.pkgs {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", p.rel, p.maker, p.desc)
	}
	b.WriteString(`
rpmsign-made packages: ` + "`rpmsign --addsign --define '__gpg /usr/bin/gpg' --define '_gpg_name <fpr>'`" + ` with gpg's
clock faked to 2024-01-02; rpmsign 4.18 writes one header-only signature (RSA in tag 268, EdDSA and
DSA in tag 267) and shrinks RESERVEDSPACE (1008) so the signature header keeps its size.
Go-made packages: ` + "`internal/rpmgen.Resign`" + ` on ` + "`rpms/unsigned.rpm`" + ` (same digests, the given signature tags
added, 1008 shrunk exactly as rpmsign does), signatures made with go-crypto's packet layer at
2024-01-02 unless stated; the v3 packet and the bad-MPI rewrite are written by hand.

## Cases
See ` + "`fixtures.tsv`" + `; NOKEY cases are the same packages verified with an empty keyring.
`)
	return b.String()
}
