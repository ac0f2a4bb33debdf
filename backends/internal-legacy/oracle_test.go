package legacy

import (
	"crypto/rand"
	"crypto/sha3"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// The live oracle: Debian 12's librpmio.so.9 (rpm 4.18 internal parser +
// libgcrypt), called through Python ctypes exactly as the corpus'
// observed_rpm418 column was produced (pgpPrtParams, pgpPrtParamsSubkeys,
// rpmDigestInit/Update, pgpVerifySignature, findbySig's key-ID + algorithm
// match), and rpmkeys --import with a throwaway --dbpath for key import.
// Both are skipped with a message when absent. Every case also carries the
// verdict rpm 4.18's source says it must give, asserted with or without the
// oracle.

const oraclePy = `
import ctypes, sys, json
L = ctypes.CDLL("librpmio.so.9")
L.rpmInitCrypto()
P = ctypes.c_void_p
L.pgpPrtParams.argtypes=[ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.POINTER(P)]
L.pgpPrtParamsSubkeys.argtypes=[ctypes.c_char_p, ctypes.c_size_t, P, ctypes.POINTER(ctypes.POINTER(P)), ctypes.POINTER(ctypes.c_int)]
L.rpmDigestInit.restype=P; L.rpmDigestInit.argtypes=[ctypes.c_int, ctypes.c_int]
L.rpmDigestUpdate.argtypes=[P, ctypes.c_char_p, ctypes.c_size_t]
L.pgpVerifySignature.argtypes=[P,P,P]
L.pgpDigParamsSignID.restype=ctypes.POINTER(ctypes.c_uint8*8); L.pgpDigParamsSignID.argtypes=[P]
L.pgpDigParamsAlgo.argtypes=[P, ctypes.c_uint]
L.pgpDigParamsUserID.restype=ctypes.c_char_p; L.pgpDigParamsUserID.argtypes=[P]
def parse(b, tag):
    p=P()
    return p if L.pgpPrtParams(b, len(b), tag, ctypes.byref(p))==0 else None
def subkeys(cert, k):
    arr=ctypes.POINTER(P)(); n=ctypes.c_int()
    if L.pgpPrtParamsSubkeys(cert,len(cert),k,ctypes.byref(arr),ctypes.byref(n))!=0: return None
    return [arr[i] for i in range(n.value)]
c=json.loads(sys.stdin.read())
out={}
if c["op"]=="key":
    cert=bytes.fromhex(c["cert"]); k=parse(cert,6)
    out["parse"]= k is not None
    out["subkeys"]=-2
    if k:
        sys.stdout.write(json.dumps(out)+"\n"); sys.stdout.flush()
        s=subkeys(cert,k)
        out["subkeys"]= -1 if s is None else len(s)
        out["keyid"]=bytes(L.pgpDigParamsSignID(k).contents).hex()
        u=L.pgpDigParamsUserID(k); out["userid"]= u.decode('latin1') if u else ""
elif c["op"]=="armor":
    L.pgpParsePkts.argtypes=[ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(ctypes.c_uint8)), ctypes.POINTER(ctypes.c_size_t)]
    pk=ctypes.POINTER(ctypes.c_uint8)(); n=ctypes.c_size_t()
    rc=L.pgpParsePkts(bytes.fromhex(c["text"]), ctypes.byref(pk), ctypes.byref(n))
    out["kind"]=rc
    out["data"]=bytes(pk[:n.value]).hex() if rc==2 else ""
else:
    s=parse(bytes.fromhex(c["sig"]),2)
    if s is None:
        out["rc"]="parse-fail"
    else:
        key=None
        if c.get("cert"):
            cert=bytes.fromhex(c["cert"]); k=parse(cert,6)
            cands=[]
            if k:
                cands=[k]+(subkeys(cert,k) or [])
            sid=bytes(L.pgpDigParamsSignID(s).contents); seen=set()
            for cand in cands:
                cid=bytes(L.pgpDigParamsSignID(cand).contents)
                if cid in seen: continue
                seen.add(cid)
                if cid==sid:
                    if L.pgpDigParamsAlgo(cand,6)==L.pgpDigParamsAlgo(s,6): key=cand
                    break
        ctx=L.rpmDigestInit(L.pgpDigParamsAlgo(s,9),0)
        data=bytes.fromhex(c["data"])
        if ctx: L.rpmDigestUpdate(ctx,data,len(data))
        out["rc"]={0:"OK",1:"NOTFOUND",2:"BAD",3:"NOTTRUSTED",4:"NOKEY"}[L.pgpVerifySignature(key,s,ctx)]
print(json.dumps(out))
`

// oracle runs the Python/librpmio oracle; ok is false when it is unusable.
type oracle struct {
	script string
	ok     bool
	why    string
}

var (
	oracleOnce sync.Once
	theOracle  oracle
)

func getOracle(t *testing.T) *oracle {
	oracleOnce.Do(func() {
		py, err := exec.LookPath("python3")
		if err != nil {
			theOracle.why = "python3 not found"
			return
		}
		dir, err := os.MkdirTemp("", "legacy-oracle")
		if err != nil {
			theOracle.why = err.Error()
			return
		}
		theOracle.script = filepath.Join(dir, "oracle.py")
		if err := os.WriteFile(theOracle.script, []byte(oraclePy), 0o600); err != nil {
			theOracle.why = err.Error()
			return
		}
		probe := exec.Command(py, "-c", `import ctypes; ctypes.CDLL("librpmio.so.9")`)
		if out, err := probe.CombinedOutput(); err != nil {
			theOracle.why = "librpmio.so.9 not loadable: " + strings.TrimSpace(string(out))
			return
		}
		theOracle.ok = true
	})
	return &theOracle
}

// run returns the oracle's JSON answer; a crash of librpmio is reported as
// {"crash": true} plus whatever it printed before crashing.
func (o *oracle) run(t *testing.T, req map[string]string) map[string]any {
	t.Helper()
	in, _ := json.Marshal(req)
	cmd := exec.Command("python3", o.script)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	res := map[string]any{}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if last := lines[len(lines)-1]; last != "" {
		if jerr := json.Unmarshal([]byte(last), &res); jerr != nil {
			t.Fatalf("oracle output %q: %v", out, jerr)
		}
	}
	if err != nil {
		res["crash"] = true
	}
	return res
}

// keyCase is a certificate and what rpm 4.18 does with it.
type keyCase struct {
	name     string
	cert     []byte
	parse    bool // pgpPrtParams(PUBLIC_KEY) succeeds
	subkeys  int  // pgpPrtParamsSubkeys count, -1: fails (crash included)
	userID   string
	importOK bool // rpmkeys --import exit 0
}

// sigCase is a signature verified over data with an optional certificate.
type sigCase struct {
	name string
	sig  []byte
	cert []byte // nil: no key
	data []byte
	want string // OK, BAD, NOKEY or parse-fail
}

// testMaterial is generated once per test binary (DSA parameters are slow).
type testMaterial struct {
	rsa2048, rsa1024, dsa1024, ed, foreign, sub *testKey
}

var (
	materialOnce sync.Once
	material     testMaterial
)

func getMaterial(t *testing.T) *testMaterial {
	materialOnce.Do(func() {
		const created = 1600000000
		material = testMaterial{
			rsa2048: genRSA(t, 2048, created),
			rsa1024: genRSA(t, 1024, created),
			dsa1024: genDSA(t, created),
			ed:      genEd25519(t, created),
			foreign: genRSA(t, 1024, created),
			sub:     genRSA(t, 1024, created+1),
		}
	})
	return &material
}

func keyCases(t *testing.T) []keyCase {
	m := getMaterial(t)
	uid := []string{"Legacy Test <legacy@example.org>"}
	sign := &sigOpts{hashed: [][]byte{flagsSub(0x02)}}
	enc := &sigOpts{hashed: [][]byte{flagsSub(0x0c)}}
	corrupt := &sigOpts{hashed: [][]byte{flagsSub(0x02)}, corrupt: true}
	expiredUID := sigOpts{created: 1000000000, hashed: [][]byte{subpacket(9, false, be32(1))}}
	critExpiry := sigOpts{hashed: [][]byte{subpacket(9, true, be32(1))}}
	fp := func(k *testKey) []byte {
		f, _ := fingerprintOf(k.body)
		return append([]byte{4}, f...)
	}
	// An RSA key whose exponent MPI claims 16392 bits (2049 bytes): fine for
	// the fingerprint, too large for libgcrypt's gcry_mpi_scan.
	bigE := make([]byte, 2049)
	bigE[len(bigE)-3], bigE[len(bigE)-2], bigE[len(bigE)-1] = 1, 0, 1
	bigMPIKey := &testKey{algo: algoRSA, rsa: m.rsa1024.rsa, created: 1600000000,
		body: keyBody(algoRSA, 1600000000, mpi(m.rsa1024.rsa.N.Bytes()), mpiBits(bigE, 16392))}
	// The same key with an over-stated modulus bit count of the same length.
	nb := m.rsa1024.rsa.N.Bytes()
	defectKey := &testKey{algo: algoRSA, rsa: m.rsa1024.rsa, created: 1600000000,
		body: keyBody(algoRSA, 1600000000, mpiBits(nb, len(nb)*8-3), mpi([]byte{1, 0, 1}))}
	ecdsaBody := keyBody(algoECDSA, 1600000000, []byte{8, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07},
		mpi(append([]byte{4}, make([]byte, 64)...)))
	v3Body := append([]byte{3}, m.rsa1024.body[1:]...)
	old := oldPacket(tagPublicKey, m.rsa1024.body)
	old = append(old, oldPacket(tagUserID, []byte(uid[0]))...)
	old = append(old, sigV3(t, m.rsa1024, append(keyFrame(m.rsa1024.body), uidFrame([]byte(uid[0]))...), sigTypePositiveCert, hashSHA256, 1600000000)...)

	return []keyCase{
		{"rsa2048", buildCert(t, m.rsa2048, certOpts{uids: uid}), true, 0, uid[0], true},
		{"rsa1024", buildCert(t, m.rsa1024, certOpts{uids: uid}), true, 0, uid[0], true},
		{"dsa1024-sha1", buildCert(t, m.dsa1024, certOpts{uids: uid, uidSig: sigOpts{hash: hashSHA1}}), true, 0, uid[0], true},
		{"ed25519", buildCert(t, m.ed, certOpts{uids: uid}), true, 0, uid[0], true},
		{"expired-key", buildCert(t, m.rsa1024, certOpts{uids: uid, uidSig: expiredUID}), true, 0, uid[0], true},
		{"critical-key-expiry", buildCert(t, m.rsa1024, certOpts{uids: uid, uidSig: critExpiry}), false, 0, "", false},
		{"bad-uid-selfsig", buildCert(t, m.rsa1024, certOpts{uids: uid, uidSig: sigOpts{corrupt: true}}), true, 0, uid[0], true},
		{"no-uid-selfsig", append(newPacket(tagPublicKey, m.rsa1024.body), newPacket(tagUserID, []byte(uid[0]))...), true, 0, uid[0], true},
		{"two-uids-last-wins", buildCert(t, m.rsa1024, certOpts{uids: []string{"First <a@b>", "Second <c@d>"}}), true, 0, "Second <c@d>", true},
		{"signing-subkey-no-backsig", buildCert(t, m.rsa2048, certOpts{uids: uid, subkey: m.sub, subSig: sign}), true, 1, uid[0], true},
		{"encryption-subkey", buildCert(t, m.rsa2048, certOpts{uids: uid, subkey: m.sub, subSig: enc}), true, 0, uid[0], true},
		{"subkey-bad-binding", buildCert(t, m.rsa2048, certOpts{uids: uid, subkey: m.sub, subSig: corrupt}), false, 0, "", false},
		{"subkey-no-binding", buildCert(t, m.rsa2048, certOpts{uids: uid, subkey: m.sub}), false, 0, "", false},
		{"subkey-revoked-first", buildCert(t, m.rsa2048, certOpts{uids: uid, subkey: m.sub, subSig: sign, subRevoke: true}), false, 0, "", false},
		{"subkey-foreign-binding", buildCert(t, m.rsa2048, certOpts{uids: uid, subkey: m.sub, subSig: sign, subBySigner: m.foreign}), false, 0, "", false},
		{"subkey-dsa-primary", buildCert(t, m.dsa1024, certOpts{uids: uid, subkey: m.sub, subSig: &sigOpts{hash: hashSHA1, hashed: [][]byte{flagsSub(0x02)}}}), true, 1, uid[0], true},
		{"no-uid-with-subkey", buildCert(t, m.rsa2048, certOpts{subkey: m.sub, subSig: sign}), true, -1, "", false},
		{"critical-issuer-fpr", buildCert(t, m.rsa1024, certOpts{uids: uid, uidSig: sigOpts{hashed: [][]byte{subpacket(33, true, fp(m.rsa1024))}}}), false, 0, "", false},
		{"issuer-fpr", buildCert(t, m.rsa1024, certOpts{uids: uid, uidSig: sigOpts{hashed: [][]byte{subpacket(33, false, fp(m.rsa1024))}}}), true, 0, uid[0], true},
		{"critical-issuer", buildCert(t, m.rsa1024, certOpts{uids: uid, uidSig: sigOpts{noIssuer: true, hashed: [][]byte{subpacket(subIssuerKeyID, true, keyIDSlice(m.rsa1024))}}}), true, 0, uid[0], true},
		{"unhashed-critical-ctime", buildCert(t, m.rsa1024, certOpts{uids: uid, uidSig: sigOpts{unhashed: [][]byte{subpacket(subSigCreateTime, true, be32(5))}}}), false, 0, "", false},
		{"duplicate-key-flags", buildCert(t, m.rsa1024, certOpts{uids: uid, uidSig: sigOpts{hashed: [][]byte{flagsSub(1), flagsSub(3)}}}), false, 0, "", false},
		{"mpi-over-16384-bits", buildCert(t, bigMPIKey, certOpts{uids: uid}), false, 0, "", false},
		{"mpi-bitcount-defect", buildCert(t, defectKey, certOpts{uids: uid}), true, 0, uid[0], true},
		{"ecdsa-p256", append(newPacket(tagPublicKey, ecdsaBody), newPacket(tagUserID, []byte(uid[0]))...), false, 0, "", false},
		{"v3-key", append(newPacket(tagPublicKey, v3Body), newPacket(tagUserID, []byte(uid[0]))...), false, 0, "", false},
		{"old-format-v3-selfsig", old, true, 0, uid[0], true},
		{"private-packet-ignored", append(buildCert(t, m.rsa1024, certOpts{uids: uid}), newPacket(60, []byte("x"))...), true, 0, uid[0], true},
	}
}

func sigCases(t *testing.T) []sigCase {
	m := getMaterial(t)
	uid := []string{"Legacy Test <legacy@example.org>"}
	data := []byte("hello rpm 4.18\n")
	bad := []byte("hello rpm 4.19\n")
	c2048 := buildCert(t, m.rsa2048, certOpts{uids: uid})
	c1024 := buildCert(t, m.rsa1024, certOpts{uids: uid})
	cDSA := buildCert(t, m.dsa1024, certOpts{uids: uid, uidSig: sigOpts{hash: hashSHA1}})
	cEd := buildCert(t, m.ed, certOpts{uids: uid})
	cSub := buildCert(t, m.rsa2048, certOpts{uids: uid, subkey: m.sub, subSig: &sigOpts{hashed: [][]byte{flagsSub(0x02)}}})
	cEnc := buildCert(t, m.rsa2048, certOpts{uids: uid, subkey: m.sub, subSig: &sigOpts{hashed: [][]byte{flagsSub(0x0c)}}})
	cForeign := buildCert(t, m.foreign, certOpts{uids: uid})
	at := uint32(1700000000)
	s := func(k *testKey, o sigOpts) []byte {
		if o.created == 0 {
			o.created = at
		}
		return sigV4(t, k, data, o)
	}
	// An x/crypto-style signature: RSA MPI with bit count 8*len while its
	// top bit is 0 (rpm issue 2351). Retry until the defect is real.
	var defect []byte
	for i := uint32(0); i < 64 && defect == nil; i++ {
		p := sigV4(t, m.rsa2048, data, sigOpts{created: at + i, rsaRawBits: true})
		pp, _ := decodePkt(p, 0)
		body := pp.bodyOf(p)
		mp := body[len(body)-2-256:]
		if mp[2]&0x80 == 0 {
			defect = p
		}
	}
	if defect == nil {
		t.Fatal("could not produce an MPI bit-count defect")
	}
	// s + n: a signature value not reduced modulo n.
	good := s(m.rsa1024, sigOpts{})
	gp, _ := decodePkt(good, 0)
	gbody := gp.bodyOf(good)
	sv := new(big.Int).SetBytes(gbody[len(gbody)-128:])
	sv.Add(sv, m.rsa1024.rsa.N)
	unreduced := newPacket(tagSignature, append(append([]byte{}, gbody[:len(gbody)-130]...), mpi(sv.Bytes())...))
	// SHA3-256 (hash 12) over the data, signed with Ed25519.
	sha3sig := func() []byte {
		hashed := subpacket(subSigCreateTime, false, be32(at))
		id := m.ed.keyID()
		head := append([]byte{4, 0, algoEdDSA, 12, 0, byte(len(hashed))}, hashed...)
		h := sha3.New256()
		h.Write(data)
		h.Write(head)
		h.Write(append([]byte{4, 0xff}, be32(uint32(len(head)))...))
		dg := h.Sum(nil)
		un := subpacket(subIssuerKeyID, false, id[:])
		body := append(append(append([]byte{}, head...), 0, byte(len(un))), un...)
		body = append(body, dg[0], dg[1])
		body = append(body, m.ed.signMPIs(t, dg, hashSHA256, false)...)
		return newPacket(tagSignature, body)
	}()
	fpr, _ := fingerprintOf(m.rsa2048.body)
	issuerFpr := subpacket(33, false, append([]byte{4}, fpr...))
	critIssuerFpr := subpacket(33, true, append([]byte{4}, fpr...))
	trailing := append(s(m.rsa2048, sigOpts{}), 0xc0|tagUserID, 1, 'x')
	random := make([]byte, 32)
	rand.Read(random)

	return []sigCase{
		{"rsa2048-good", s(m.rsa2048, sigOpts{}), c2048, data, "OK"},
		{"rsa2048-baddata", s(m.rsa2048, sigOpts{}), c2048, bad, "BAD"},
		{"rsa2048-nokey", s(m.rsa2048, sigOpts{}), nil, data, "NOKEY"},
		{"rsa2048-nokey-baddata", s(m.rsa2048, sigOpts{}), nil, bad, "BAD"},
		{"rsa2048-corrupt-math", s(m.rsa2048, sigOpts{corrupt: true}), c2048, data, "BAD"},
		{"rsa2048-wrong-cert", s(m.rsa2048, sigOpts{}), cForeign, data, "NOKEY"},
		{"rsa1024-good", s(m.rsa1024, sigOpts{}), c1024, data, "OK"},
		{"rsa1024-md5", s(m.rsa1024, sigOpts{hash: hashMD5}), c1024, data, "OK"},
		{"rsa1024-sha1", s(m.rsa1024, sigOpts{hash: hashSHA1}), c1024, data, "OK"},
		{"rsa1024-sha224", s(m.rsa1024, sigOpts{hash: hashSHA224}), c1024, data, "OK"},
		{"rsa1024-sha384", s(m.rsa1024, sigOpts{hash: hashSHA384}), c1024, data, "OK"},
		{"rsa1024-sha512", s(m.rsa1024, sigOpts{hash: hashSHA512}), c1024, data, "OK"},
		{"dsa1024-sha1", s(m.dsa1024, sigOpts{hash: hashSHA1}), cDSA, data, "OK"},
		{"dsa1024-sha256-truncated", s(m.dsa1024, sigOpts{hash: hashSHA256}), cDSA, data, "OK"},
		{"dsa1024-baddata", s(m.dsa1024, sigOpts{hash: hashSHA1}), cDSA, bad, "BAD"},
		{"ed25519-good", s(m.ed, sigOpts{}), cEd, data, "OK"},
		{"ed25519-sha512", s(m.ed, sigOpts{hash: hashSHA512}), cEd, data, "OK"},
		{"ed25519-corrupt", s(m.ed, sigOpts{corrupt: true}), cEd, data, "BAD"},
		{"v3-rsa-good", sigV3(t, m.rsa2048, data, sigTypeBinary, hashSHA256, at), c2048, data, "OK"},
		{"v3-rsa-nokey", sigV3(t, m.rsa2048, data, sigTypeBinary, hashSHA256, at), nil, data, "NOKEY"},
		{"v3-rsa-baddata", sigV3(t, m.rsa2048, data, sigTypeBinary, hashSHA256, at), c2048, bad, "BAD"},
		{"mpi-bitcount-defect", defect, c2048, data, "OK"},
		{"subkey-without-backsig", s(m.sub, sigOpts{}), cSub, data, "OK"},
		{"non-signing-subkey", s(m.sub, sigOpts{}), cEnc, data, "NOKEY"},
		{"expired-signature", s(m.rsa2048, sigOpts{created: 1000000000, hashed: [][]byte{subpacket(3, false, be32(1))}}), c2048, data, "OK"},
		{"future-signature", s(m.rsa2048, sigOpts{created: 4000000000}), c2048, data, "OK"},
		{"certification-type-over-data", s(m.rsa2048, sigOpts{sigType: sigTypePositiveCert}), c2048, data, "OK"},
		{"direct-key-type-issuer-ignored", s(m.rsa2048, sigOpts{sigType: 0x1f}), c2048, data, "NOKEY"},
		{"text-type", s(m.rsa2048, sigOpts{sigType: sigTypeText}), c2048, data, "OK"},
		{"no-issuer", s(m.rsa2048, sigOpts{noIssuer: true}), c2048, data, "NOKEY"},
		{"issuer-fpr-only", s(m.rsa2048, sigOpts{noIssuer: true, hashed: [][]byte{issuerFpr}}), c2048, data, "NOKEY"},
		{"critical-issuer-fpr", s(m.rsa2048, sigOpts{hashed: [][]byte{critIssuerFpr}}), c2048, data, "parse-fail"},
		{"critical-issuer", s(m.rsa2048, sigOpts{noIssuer: true, hashed: [][]byte{subpacket(subIssuerKeyID, true, keyIDSlice(m.rsa2048))}}), c2048, data, "OK"},
		{"no-creation-time", s(m.rsa2048, sigOpts{noCreation: true}), c2048, data, "parse-fail"},
		{"trailing-data", trailing, c2048, data, "parse-fail"},
		{"unreduced-rsa-s-plus-n", unreduced, c1024, data, "OK"},
		{"sha3-256-unsupported", sha3sig, cEd, data, "BAD"},
		{"random-bytes", random, c2048, data, "parse-fail"},
	}
}

// ourKey runs a key case through the backend.
func ourKey(b *Backend, cert []byte) (parse bool, subkeys int, uid string) {
	pr, err := b.ParseCertificate(cert)
	if err != nil || !pr.OK() {
		return false, 0, ""
	}
	subs, err := b.Subkeys(cert)
	if err != nil {
		return true, -1, pr.Params.UserID
	}
	return true, len(subs), pr.Params.UserID
}

// ourSig runs a signature case like rpm 4.18's rpmKeyringVerifySig.
func ourSig(t *testing.T, b *Backend, c sigCase) string {
	t.Helper()
	pr, err := b.ParseSignature(c.sig)
	if err != nil {
		t.Fatal(err)
	}
	if !pr.OK() {
		return "parse-fail"
	}
	var ring []keyringEntry
	if c.cert != nil {
		if kp, err := b.ParseCertificate(c.cert); err == nil && kp.OK() {
			ring = append(ring, keyringEntry{kp.Params})
			subs, err := b.Subkeys(c.cert)
			if err == nil {
				for _, s := range subs {
					ring = append(ring, keyringEntry{s})
				}
			}
		}
	}
	d, err := b.NewDigest(pr.Params.HashAlgo)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	d.Write(c.data)
	v, err := b.VerifySignature(findBySig(ring, pr.Params), pr.Params, d)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	if v.RC == core.RCNotTrusted || v.RC == core.RCInvalid {
		t.Fatalf("%s: verdict %v is impossible in the legacy profile", c.name, v.RC)
	}
	return v.RC.String()
}

func TestGeneratedKeys(t *testing.T) {
	b := New()
	o := getOracle(t)
	agreed := 0
	for _, c := range keyCases(t) {
		t.Run(c.name, func(t *testing.T) {
			parse, subs, uid := ourKey(b, c.cert)
			if parse != c.parse || (parse && (subs != c.subkeys || uid != c.userID)) {
				t.Errorf("backend: parse=%v subkeys=%d uid=%q; rpm 4.18 source says parse=%v subkeys=%d uid=%q",
					parse, subs, uid, c.parse, c.subkeys, c.userID)
			}
			if !o.ok {
				return
			}
			res := o.run(t, map[string]string{"op": "key", "cert": hex.EncodeToString(c.cert)})
			oParse, _ := res["parse"].(bool)
			oSubs := -1
			if v, ok := res["subkeys"].(float64); ok && res["crash"] == nil {
				oSubs = int(v)
			}
			if oParse != parse || (parse && oSubs != subs) {
				t.Errorf("librpmio 4.18: parse=%v subkeys=%d crash=%v; backend parse=%v subkeys=%d", oParse, oSubs, res["crash"] != nil, parse, subs)
				return
			}
			if parse && oSubs >= 0 {
				if ou, _ := res["userid"].(string); ou != uid {
					t.Errorf("librpmio 4.18 user ID %q, backend %q", ou, uid)
					return
				}
			}
			agreed++
		})
	}
	if o.ok {
		t.Logf("librpmio oracle agreed on %d/%d generated certificates", agreed, len(keyCases(t)))
	} else {
		// The checks against the rpm 4.18 source ran; the oracle's did
		// not: skipped, or a failure under CI.
		testutil.Missing(t, "librpmio oracle unavailable (%s): only the rpm 4.18 source expectations were checked", o.why)
	}
}

func TestGeneratedSignatures(t *testing.T) {
	b := New()
	o := getOracle(t)
	cases := sigCases(t)
	agreed := 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ourSig(t, b, c)
			if got != c.want {
				t.Errorf("backend %s, rpm 4.18 source says %s", got, c.want)
			}
			if !o.ok {
				return
			}
			req := map[string]string{"op": "verify", "sig": hex.EncodeToString(c.sig), "data": hex.EncodeToString(c.data)}
			if c.cert != nil {
				req["cert"] = hex.EncodeToString(c.cert)
			}
			res := o.run(t, req)
			if res["crash"] != nil || res["rc"] != got {
				t.Errorf("librpmio 4.18 %v (crash=%v), backend %s", res["rc"], res["crash"] != nil, got)
				return
			}
			agreed++
		})
	}
	if o.ok {
		t.Logf("librpmio oracle agreed on %d/%d generated signatures", agreed, len(cases))
	} else {
		// The checks against the rpm 4.18 source ran; the oracle's did
		// not: skipped, or a failure under CI.
		testutil.Missing(t, "librpmio oracle unavailable (%s): only the rpm 4.18 source expectations were checked", o.why)
	}
}

// TestRpmkeysImport compares `rpmkeys --import` of each generated
// certificate, armored by this backend's WrapArmor, with the import
// emulation the corpus test uses.
func TestRpmkeysImport(t *testing.T) {
	rpmkeys, err := exec.LookPath("rpmkeys")
	if err != nil {
		testutil.Missing(t, "rpmkeys not found: live rpm 4.18 import comparison skipped")
	}
	if testing.Short() {
		t.Skip("-short: rpmkeys runs skipped")
	}
	b := New()
	agreed := 0
	cases := keyCases(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, err := b.WrapArmor(core.ArmorPubKey, c.cert)
			if err != nil {
				t.Fatal(err)
			}
			st := &importState{names: map[core.KeyID]string{}}
			ours := st.importFile(b, []byte(text)) == 0
			if ours != c.importOK {
				t.Errorf("backend import=%v, rpm 4.18 source says %v", ours, c.importOK)
			}
			dir := t.TempDir()
			f := filepath.Join(dir, "key.asc")
			if err := os.WriteFile(f, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			db := filepath.Join(dir, "db")
			if err := os.Mkdir(db, 0o700); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(rpmkeys, "--dbpath", db, "--import", f)
			out, err := cmd.CombinedOutput()
			theirs := err == nil
			if theirs != ours {
				t.Errorf("rpmkeys --import ok=%v (%s), backend ok=%v", theirs, strings.TrimSpace(string(out)), ours)
				return
			}
			agreed++
		})
	}
	t.Logf("rpmkeys --import agreed on %d/%d generated certificates", agreed, len(cases))
}

func keyIDSlice(k *testKey) []byte {
	id := k.keyID()
	return id[:]
}
