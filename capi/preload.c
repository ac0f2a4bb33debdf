/*
 * librpmpgp-preload.so: rpm 4.18's rpmpgp.h, answered by an rpmpgp backend.
 *
 * Every function here is exported with the prototype of rpm 4.18's
 * include/rpm/rpmpgp.h (when that header is installed it is included, so
 * the compiler checks each definition against it). librpmio, librpm and
 * librpmsign call these through their PLT, so LD_PRELOAD replaces rpm's
 * internal parser for all of them (../shared/reference/ldpreload.md).
 *
 * Rules (ldpreload.md, section 5):
 *  - the whole pgpDigParams handle family is ours: rpm never sees a handle
 *    of its own parser, and we never see one of rpm's;
 *  - everything rpm frees or keeps is malloc'd here or by exports.go;
 *  - rpm's digests stay rpm's: rpmDigestDup/Update/Final are looked up at
 *    run time with dlsym(RTLD_DEFAULT), never exported or linked;
 *  - pgpIdentItem, pgpValString and pgpReadPkts stay rpm's, so its
 *    wording is unchanged.
 *
 * RPMPGP_PRELOAD_TRACE=1 writes one line per call to stderr, starting
 * "rpmpgp-preload: " and naming the function, so that a test can prove
 * rpm went through this library.
 *
 * After fork() without exec the Go runtime of the parent is unusable in
 * the child: calls that need the backend fail closed there (rpm 4.18 makes
 * none). Programs rpm execs load the library afresh.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<rpm/rpmpgp.h>)
#include <rpm/rpmpgp.h>
#include <rpm/rpmcrypto.h>
#define RPMPGP_HAVE_RPM_HEADERS 1
#endif
#endif

#ifndef RPMPGP_HAVE_RPM_HEADERS
/* The declarations of rpm 4.18's rpmpgp.h and rpmtypes.h this file uses. */
typedef enum rpmRC_e {
	RPMRC_OK = 0,
	RPMRC_NOTFOUND = 1,
	RPMRC_FAIL = 2,
	RPMRC_NOTTRUSTED = 3,
	RPMRC_NOKEY = 4
} rpmRC;
typedef struct DIGEST_CTX_s *DIGEST_CTX;
typedef struct pgpDigParams_s *pgpDigParams;
typedef struct pgpDig_s *pgpDig;
typedef uint8_t pgpKeyID_t[8];
typedef int pgpArmor;
#define PGPTAG_SIGNATURE 2
#define PGPTAG_PUBLIC_KEY 6
#define PGPVAL_PUBKEYALGO 6
#define PGPVAL_HASHALGO 9
#define PGPARMOR_ERR_NO_BEGIN_PGP (-1)
#endif

#include "preload.h"
#include "_cgo_export.h"

/* The deprecated pgpDig container (rpm 4.18: rpmpgp_internal.c). */
struct pgpDig_s {
	pgpDigParams signature;
	pgpDigParams pubkey;
};

static pid_t load_pid;
static int trace_on;

__attribute__((constructor)) static void rpmpgp_preload_init(void)
{
	const char *t = getenv("RPMPGP_PRELOAD_TRACE");
	load_pid = getpid();
	trace_on = t != NULL && *t != '\0' && strcmp(t, "0") != 0;
}

/* trace writes one line "rpmpgp-preload: <fn>..." to stderr. */
__attribute__((format(printf, 1, 2))) static void trace(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int saved = errno;
	if (!trace_on) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "rpmpgp-preload: %s\n", buf);
	errno = saved;
}

/* forked reports (once per process, on stderr) that the Go half cannot be
 * used: this is a fork() child of the process that loaded the library. */
static int forked(const char *fn)
{
	static int said;
	if (getpid() == load_pid) {
		return 0;
	}
	if (!said) {
		said = 1;
		fprintf(stderr, "rpmpgp-preload: %s called in a forked child before exec; "
			"every OpenPGP operation of this process fails\n", fn);
	}
	return 1;
}

static char preload_dir[4096];

static void find_preload_dir(void)
{
	Dl_info info;
	char *slash;
	if (dladdr((void *)find_preload_dir, &info) == 0 || info.dli_fname == NULL) {
		return;
	}
	snprintf(preload_dir, sizeof(preload_dir), "%s", info.dli_fname);
	if ((slash = strrchr(preload_dir, '/')) != NULL) {
		*slash = '\0';
	} else {
		preload_dir[0] = '\0';
	}
}

const char *rpmpgp_preload_dir(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, find_preload_dir);
	return preload_dir;
}

static int ours(pgpDigParams p)
{
	return p != NULL && p->magic == RPMPGP_PARAMS_MAGIC;
}

static const char *why_text(const char *why)
{
	return why != NULL ? why : "";
}

void rpmpgp_params_free(rpmpgp_params *p)
{
	if (!ours(p)) {
		return;
	}
	if (p->handle != 0 && getpid() == load_pid) {
		rpmpgpGoRelease(p->handle);
	}
	free(p->userid);
	free(p->trailer);
	memset(p, 0, sizeof(*p));
	free(p);
}

/* ---- the pgpDigParams handle family ---- */

int pgpPrtParams(const uint8_t *pkts, size_t pktlen, unsigned int pkttype, pgpDigParams *ret)
{
	pgpDigParams p = NULL;
	char *why = NULL;
	int rc = -1;
	if (ret == NULL || forked("pgpPrtParams")) {
		trace("pgpPrtParams(len=%zu, type=%u) = -1", pktlen, pkttype);
		return -1;
	}
	rc = rpmpgpGoParse((uint8_t *)pkts, pktlen, pkttype, &p, &why);
	*ret = rc == 0 ? p : NULL;
	trace("pgpPrtParams(len=%zu, type=%u) = %d%s%s", pktlen, pkttype, rc,
	      why ? ": " : "", why_text(why));
	free(why);
	return rc;
}

int pgpPrtParamsSubkeys(const uint8_t *pkts, size_t pktlen, pgpDigParams mainkey,
			pgpDigParams **subkeys, int *subkeysCount)
{
	pgpDigParams *list = NULL;
	int count = 0;
	char *why = NULL;
	int rc = -1;
	(void)mainkey;
	if (subkeys == NULL || subkeysCount == NULL || forked("pgpPrtParamsSubkeys")) {
		trace("pgpPrtParamsSubkeys(len=%zu) = -1", pktlen);
		return -1;
	}
	rc = rpmpgpGoSubkeys((uint8_t *)pkts, pktlen, &list, &count, &why);
	if (rc == 0) {
		*subkeys = list;
		*subkeysCount = count;
	}
	trace("pgpPrtParamsSubkeys(len=%zu) = %d, %d subkeys%s%s", pktlen, rc, count,
	      why ? ": " : "", why_text(why));
	free(why);
	return rc;
}

pgpDigParams pgpDigParamsFree(pgpDigParams digp)
{
	trace("pgpDigParamsFree(%p)", (void *)digp);
	rpmpgp_params_free(digp);
	return NULL;
}

/* rpm 4.18's pgpDigParamsCmp: 1 when either is NULL or any of tag, hash
 * and public-key algorithm, version, signature type, key ID and (when both
 * have one) user ID differ. */
int pgpDigParamsCmp(pgpDigParams p1, pgpDigParams p2)
{
	int rc = 1;
	if (ours(p1) && ours(p2) && p1->tag == p2->tag && p1->hash_algo == p2->hash_algo &&
	    p1->pubkey_algo == p2->pubkey_algo && p1->version == p2->version &&
	    p1->sigtype == p2->sigtype && memcmp(p1->signid, p2->signid, sizeof(p1->signid)) == 0 &&
	    !(p1->userid && p2->userid && strcmp(p1->userid, p2->userid) != 0)) {
		rc = 0;
	}
	trace("pgpDigParamsCmp(%p, %p) = %d", (void *)p1, (void *)p2, rc);
	return rc;
}

unsigned int pgpDigParamsAlgo(pgpDigParams digp, unsigned int algotype)
{
	unsigned int algo = 0;
	if (ours(digp)) {
		switch (algotype) {
		case PGPVAL_PUBKEYALGO:
			algo = digp->pubkey_algo;
			break;
		case PGPVAL_HASHALGO:
			algo = digp->hash_algo;
			break;
		}
	}
	trace("pgpDigParamsAlgo(%p, %u) = %u", (void *)digp, algotype, algo);
	return algo;
}

const uint8_t *pgpDigParamsSignID(pgpDigParams digp)
{
	const uint8_t *id = ours(digp) ? digp->signid : NULL;
	trace("pgpDigParamsSignID(%p)", (void *)digp);
	return id;
}

const char *pgpDigParamsUserID(pgpDigParams digp)
{
	const char *uid = ours(digp) ? digp->userid : NULL;
	trace("pgpDigParamsUserID(%p)", (void *)digp);
	return uid;
}

int pgpDigParamsVersion(pgpDigParams digp)
{
	int v = ours(digp) ? digp->version : 0;
	trace("pgpDigParamsVersion(%p) = %d", (void *)digp, v);
	return v;
}

uint32_t pgpDigParamsCreationTime(pgpDigParams digp)
{
	uint32_t t = ours(digp) ? digp->time : 0;
	trace("pgpDigParamsCreationTime(%p) = %u", (void *)digp, t);
	return t;
}

int pgpSignatureType(pgpDigParams sig)
{
	int t = (ours(sig) && sig->tag == RPMPGP_TAG_SIGNATURE) ? sig->sigtype : -1;
	trace("pgpSignatureType(%p) = %d", (void *)sig, t);
	return t;
}

/* rpm's digest functions, from librpmio in the host process. */
typedef DIGEST_CTX (*digest_dup_fn)(DIGEST_CTX);
typedef int (*digest_update_fn)(DIGEST_CTX, const void *, size_t);
typedef int (*digest_final_fn)(DIGEST_CTX, void **, size_t *, int);
static digest_dup_fn digest_dup;
static digest_update_fn digest_update;
static digest_final_fn digest_final;

static void resolve_digest(void)
{
	digest_dup = (digest_dup_fn)dlsym(RTLD_DEFAULT, "rpmDigestDup");
	digest_update = (digest_update_fn)dlsym(RTLD_DEFAULT, "rpmDigestUpdate");
	digest_final = (digest_final_fn)dlsym(RTLD_DEFAULT, "rpmDigestFinal");
}

/* pgpVerifySignature as rpm 4.18 does it: duplicate hashctx (which holds
 * the signed data), append the signature's trailer, finalise; then the
 * backend decides on the sum. hashctx is left unchanged. */
rpmRC pgpVerifySignature(pgpDigParams key, pgpDigParams sig, DIGEST_CTX hashctx)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	DIGEST_CTX ctx;
	void *sum = NULL;
	size_t sumlen = 0;
	char *lint = NULL;
	rpmRC rc = RPMRC_FAIL;
	const char *why = "";

	pthread_once(&once, resolve_digest);
	if (forked("pgpVerifySignature")) {
		why = "forked child";
	} else if (!ours(sig) || hashctx == NULL || (key != NULL && !ours(key))) {
		why = "no signature or digest";
	} else if (digest_dup == NULL || digest_update == NULL || digest_final == NULL) {
		why = "rpmDigestDup/Update/Final not found in the process";
	} else if ((ctx = digest_dup(hashctx)) == NULL) {
		why = "rpmDigestDup failed";
	} else {
		if (sig->trailer_len > 0) {
			digest_update(ctx, sig->trailer, sig->trailer_len);
		}
		digest_final(ctx, &sum, &sumlen, 0);
		if (sum == NULL) {
			why = "rpmDigestFinal failed";
		} else {
			rc = (rpmRC)rpmpgpGoVerify(key ? key->handle : 0, sig->handle, sum, sumlen, &lint);
			why = why_text(lint);
			free(sum);
		}
	}
	trace("pgpVerifySignature(key=%p, sig=%p) = %d%s%s", (void *)key, (void *)sig, (int)rc,
	      *why ? ": " : "", why);
	free(lint);
	return rc;
}

/* ---- deprecated pgpDig API (4.18) ---- */

pgpDig pgpNewDig(void)
{
	pgpDig dig = calloc(1, sizeof(*dig));
	trace("pgpNewDig() = %p", (void *)dig);
	return dig;
}

static void clean_dig(pgpDig dig)
{
	if (dig != NULL) {
		rpmpgp_params_free(dig->signature);
		rpmpgp_params_free(dig->pubkey);
		dig->signature = NULL;
		dig->pubkey = NULL;
	}
}

void pgpCleanDig(pgpDig dig)
{
	trace("pgpCleanDig(%p)", (void *)dig);
	clean_dig(dig);
}

pgpDig pgpFreeDig(pgpDig dig)
{
	trace("pgpFreeDig(%p)", (void *)dig);
	clean_dig(dig);
	free(dig);
	return NULL;
}

pgpDigParams pgpDigGetParams(pgpDig dig, unsigned int pkttype)
{
	pgpDigParams p = NULL;
	if (dig != NULL) {
		if (pkttype == PGPTAG_SIGNATURE) {
			p = dig->signature;
		} else if (pkttype == PGPTAG_PUBLIC_KEY) {
			p = dig->pubkey;
		}
	}
	trace("pgpDigGetParams(%p, %u) = %p", (void *)dig, pkttype, (void *)p);
	return p;
}

/* 4.18: parse with pkttype 0 and keep the result in dig by its tag. */
int pgpPrtPkts(const uint8_t *pkts, size_t pktlen, pgpDig dig, int printing)
{
	pgpDigParams p = NULL;
	char *why = NULL;
	int rc = -1;
	(void)printing;
	if (!forked("pgpPrtPkts")) {
		rc = rpmpgpGoParse((uint8_t *)pkts, pktlen, 0, &p, &why);
	}
	if (dig != NULL && rc == 0) {
		if (p->tag == RPMPGP_TAG_SIGNATURE) {
			rpmpgp_params_free(dig->signature);
			dig->signature = p;
		} else {
			rpmpgp_params_free(dig->pubkey);
			dig->pubkey = p;
		}
	} else {
		rpmpgp_params_free(p);
	}
	trace("pgpPrtPkts(len=%zu) = %d%s%s", pktlen, rc, why ? ": " : "", why_text(why));
	free(why);
	return rc;
}

rpmRC pgpVerifySig(pgpDig dig, DIGEST_CTX hashctx)
{
	trace("pgpVerifySig(%p)", (void *)dig);
	if (dig == NULL || hashctx == NULL) {
		return RPMRC_FAIL;
	}
	return pgpVerifySignature(dig->pubkey, dig->signature, hashctx);
}

/* ---- stateless functions ---- */

int pgpPubkeyFingerprint(const uint8_t *pkt, size_t pktlen, uint8_t **fp, size_t *fplen)
{
	int rc = -1;
	if (fp != NULL && fplen != NULL && !forked("pgpPubkeyFingerprint")) {
		rc = rpmpgpGoFingerprint((uint8_t *)pkt, pktlen, fp, fplen);
	}
	trace("pgpPubkeyFingerprint(len=%zu) = %d", pktlen, rc);
	return rc;
}

int pgpPubkeyKeyID(const uint8_t *pkt, size_t pktlen, pgpKeyID_t keyid)
{
	int rc = -1;
	if (keyid != NULL && !forked("pgpPubkeyKeyID")) {
		rc = rpmpgpGoKeyID((uint8_t *)pkt, pktlen, keyid);
	}
	trace("pgpPubkeyKeyID(len=%zu) = %d", pktlen, rc);
	return rc;
}

pgpArmor pgpParsePkts(const char *armor, uint8_t **pkt, size_t *pktlen)
{
	uint8_t *data = NULL;
	size_t len = 0;
	int kind = PGPARMOR_ERR_NO_BEGIN_PGP;
	if (armor != NULL && !forked("pgpParsePkts")) {
		kind = rpmpgpGoParseArmor((char *)armor, &data, &len);
	}
	if (kind > 0) {
		if (pkt != NULL) {
			*pkt = data;
		} else {
			free(data);
		}
		if (pktlen != NULL) {
			*pktlen = len;
		}
	}
	trace("pgpParsePkts() = %d", kind);
	return (pgpArmor)kind;
}

int pgpPubKeyCertLen(const uint8_t *pkts, size_t pktslen, size_t *certlen)
{
	int rc = -1;
	if (certlen != NULL && !forked("pgpPubKeyCertLen")) {
		rc = rpmpgpGoCertLen((uint8_t *)pkts, pktslen, certlen);
	}
	trace("pgpPubKeyCertLen(len=%zu) = %d", pktslen, rc);
	return rc;
}

rpmRC pgpPubKeyLint(const uint8_t *pkts, size_t pktslen, char **explanation)
{
	char *expl = NULL;
	rpmRC rc = RPMRC_FAIL;
	if (!forked("pgpPubKeyLint")) {
		rc = (rpmRC)rpmpgpGoLint((uint8_t *)pkts, pktslen, &expl);
	}
	if (explanation != NULL) {
		*explanation = expl;
	} else {
		free(expl);
	}
	trace("pgpPubKeyLint(len=%zu) = %d", pktslen, (int)rc);
	return rc;
}

char *pgpArmorWrap(int atype, const unsigned char *s, size_t ns)
{
	char *out = NULL;
	if (!forked("pgpArmorWrap")) {
		out = rpmpgpGoArmorWrap(atype, (unsigned char *)s, ns);
	}
	trace("pgpArmorWrap(%d, len=%zu) = %s", atype, ns, out ? "text" : "NULL");
	return out;
}
