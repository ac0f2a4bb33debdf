/*
 * shims.c: OpenSSL 3 EVP calls for package ossl. See shims.h for the
 * conventions (NULL property queries, error queue drained into errbuf,
 * RPMPGP_* return codes). Every object allocated here is freed on every
 * path before returning, except the EVP_MD, EVP_MD_CTX, EVP_PKEY,
 * EVP_PKEY_CTX and OSSL_LIB_CTX objects handed to Go, which Go frees (or,
 * for library contexts, keeps for the life of the process).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/conf.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/provider.h>
#include <openssl/rsa.h>

#include "shims.h"

/* A non-NULL pointer for empty inputs: some OpenSSL functions reject NULL
 * even when the length is 0. */
static const unsigned char empty_input[1];

static const unsigned char *nz(const unsigned char *p)
{
    return p != NULL ? p : empty_input;
}

/*
 * clear_queue empties this thread's OpenSSL error queue when it holds an
 * error (ERR_peek_error(3), then ERR_clear_error(3)). ERR_clear_error
 * resets every slot of the queue even when it is empty, which every shim
 * call paid before (about 1% of a small package's verification); an empty
 * queue is left as it is. Every queued error has a non-zero code (ERR_PACK
 * of a library number >= 1), so ERR_peek_error returns 0 only for a queue
 * with nothing that ERR_get_error_all (see drain) would return.
 */
static void clear_queue(void)
{
    if (ERR_peek_error() != 0)
        ERR_clear_error();
}

/*
 * append adds s to errbuf, separated by "; ", truncating at errlen.
 */
static void append(char *errbuf, size_t errlen, const char *s)
{
    size_t used;

    if (errbuf == NULL || errlen == 0)
        return;
    used = strnlen(errbuf, errlen);
    if (used + 1 >= errlen)
        return;
    if (used > 0) {
        snprintf(errbuf + used, errlen - used, "; %s", s);
    } else {
        snprintf(errbuf, errlen, "%s", s);
    }
}

/*
 * drain empties this thread's OpenSSL error queue (ERR_get_error_all(3)),
 * appending "library: reason (data)" for each entry to errbuf
 * (ERR_lib_error_string(3), ERR_reason_error_string(3)). It returns 1 when an
 * entry says the algorithm is not offered by any loaded provider
 * (ERR_R_UNSUPPORTED, ERR_R_FETCH_FAILED, EVP_R_UNSUPPORTED_ALGORITHM).
 */
static int drain(char *errbuf, size_t errlen)
{
    unsigned long e;
    const char *data = NULL;
    int flags = 0;
    int unavailable = 0;
    char line[512];

    while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
        const char *lib = ERR_lib_error_string(e);
        const char *reason = ERR_reason_error_string(e);
        int r = ERR_GET_REASON(e);

        if (r == ERR_R_UNSUPPORTED || r == ERR_R_FETCH_FAILED
            || (ERR_GET_LIB(e) == ERR_LIB_EVP
                && r == EVP_R_UNSUPPORTED_ALGORITHM))
            unavailable = 1;
        if (reason == NULL) {
            snprintf(line, sizeof(line), "%s: error:%08lX",
                     lib != NULL ? lib : "OpenSSL", e);
        } else if ((flags & ERR_TXT_STRING) && data != NULL && *data != '\0') {
            snprintf(line, sizeof(line), "%s: %s (%s)",
                     lib != NULL ? lib : "OpenSSL", reason, data);
        } else {
            snprintf(line, sizeof(line), "%s: %s",
                     lib != NULL ? lib : "OpenSSL", reason);
        }
        append(errbuf, errlen, line);
    }
    return unavailable;
}

/*
 * fail drains the error queue into errbuf and returns RPMPGP_UNAVAILABLE
 * when OpenSSL said the algorithm is not offered, else RPMPGP_ERR. what is
 * used when the queue is empty.
 */
static int fail(const char *what, char *errbuf, size_t errlen)
{
    int unavailable;

    if (errbuf != NULL && errlen > 0)
        errbuf[0] = '\0';
    unavailable = drain(errbuf, errlen);
    if (errbuf != NULL && errlen > 0 && errbuf[0] == '\0')
        append(errbuf, errlen, what);
    return unavailable ? RPMPGP_UNAVAILABLE : RPMPGP_ERR;
}

/*
 * verdict turns the result of EVP_PKEY_verify(3) / EVP_DigestVerify(3)
 * (1 valid, 0 invalid, negative error) into RPMPGP_OK or RPMPGP_BAD. A
 * negative result comes from a malformed signature (for example DER that
 * does not decode), which is a bad signature for our callers too.
 */
static int verdict(int r, char *errbuf, size_t errlen)
{
    if (r == 1) {
        clear_queue();
        return RPMPGP_OK;
    }
    if (errbuf != NULL && errlen > 0)
        errbuf[0] = '\0';
    drain(errbuf, errlen);
    return RPMPGP_BAD;
}

/* OpenSSL_version(3) with OPENSSL_VERSION: "OpenSSL 3.0.19 27 Jan 2026". */
const char *rpmpgp_version(void)
{
    return OpenSSL_version(OPENSSL_VERSION);
}

/* EVP_default_properties_is_fips_enabled(3). */
int rpmpgp_fips_enabled(OSSL_LIB_CTX *libctx)
{
    return EVP_default_properties_is_fips_enabled(libctx);
}

/*
 * rpmpgp_ctx_off creates a library context with only the "default" provider
 * (OSSL_LIB_CTX_new(3), OSSL_PROVIDER_load(3)) and no configuration file, so
 * a system-wide FIPS configuration does not apply to it.
 */
int rpmpgp_ctx_off(OSSL_LIB_CTX **out, char *errbuf, size_t errlen)
{
    OSSL_LIB_CTX *ctx;
    OSSL_PROVIDER *prov;

    clear_queue();
    *out = NULL;
    if ((ctx = OSSL_LIB_CTX_new()) == NULL)
        return fail("OSSL_LIB_CTX_new failed", errbuf, errlen);
    if ((prov = OSSL_PROVIDER_load(ctx, "default")) == NULL) {
        int rc = fail("OSSL_PROVIDER_load(default) failed", errbuf, errlen);

        OSSL_LIB_CTX_free(ctx);
        return rc;
    }
    /* The provider stays loaded for the life of the context. */
    *out = ctx;
    return RPMPGP_OK;
}

/*
 * rpmpgp_ctx_fips creates a library context that runs in FIPS mode: it
 * reads the OpenSSL configuration conf (NULL: the system's,
 * CONF_get1_default_config_file(3), which honours $OPENSSL_CONF) with
 * OSSL_LIB_CTX_load_config(3) (an upstream FIPS provider needs the
 * fipsmodule.cnf section it includes), loads the "fips" and "base" providers
 * (OSSL_PROVIDER_load(3)), sets "fips=yes" in the default properties
 * (EVP_default_properties_enable_fips(3)) and checks that SHA2-256 can be
 * fetched. On failure everything is unloaded and freed and errbuf names
 * OpenSSL's reasons.
 */
int rpmpgp_ctx_fips(const char *conf, OSSL_LIB_CTX **out, char *errbuf,
                    size_t errlen)
{
    OSSL_LIB_CTX *ctx = NULL;
    OSSL_PROVIDER *fips = NULL, *base = NULL;
    EVP_MD *md = NULL;
    char *cnf = NULL;
    char cnferr[RPMPGP_ERRBUF] = "";
    int rc = RPMPGP_ERR;

    clear_queue();
    *out = NULL;
    if (errbuf != NULL && errlen > 0)
        errbuf[0] = '\0';
    if ((ctx = OSSL_LIB_CTX_new()) == NULL) {
        rc = fail("OSSL_LIB_CTX_new failed", errbuf, errlen);
        goto end;
    }
    cnf = conf != NULL ? OPENSSL_strdup(conf) : CONF_get1_default_config_file();
    if (cnf != NULL && !OSSL_LIB_CTX_load_config(ctx, cnf)) {
        /* Not fatal by itself: remember why, in case the provider fails. */
        char head[600];

        snprintf(head, sizeof(head), "loading %s", cnf);
        append(cnferr, sizeof(cnferr), head);
        drain(cnferr, sizeof(cnferr));
    }
    clear_queue();
    if ((fips = OSSL_PROVIDER_load(ctx, "fips")) == NULL) {
        rc = fail("OSSL_PROVIDER_load(fips) failed", errbuf, errlen);
        if (cnferr[0] != '\0')
            append(errbuf, errlen, cnferr);
        goto end;
    }
    if ((base = OSSL_PROVIDER_load(ctx, "base")) == NULL) {
        rc = fail("OSSL_PROVIDER_load(base) failed", errbuf, errlen);
        goto end;
    }
    if (!EVP_default_properties_enable_fips(ctx, 1)) {
        rc = fail("EVP_default_properties_enable_fips failed", errbuf, errlen);
        goto end;
    }
    if ((md = EVP_MD_fetch(ctx, "SHA2-256", NULL)) == NULL) {
        rc = fail("the FIPS provider does not offer SHA2-256", errbuf, errlen);
        goto end;
    }
    rc = RPMPGP_OK;

end:
    EVP_MD_free(md);
    OPENSSL_free(cnf);
    if (rc == RPMPGP_OK) {
        *out = ctx;
        return rc;
    }
    if (base != NULL)
        OSSL_PROVIDER_unload(base);
    if (fips != NULL)
        OSSL_PROVIDER_unload(fips);
    OSSL_LIB_CTX_free(ctx);
    clear_queue();
    return rc;
}

/*
 * fips_served checks, in a library context whose default properties say
 * "fips=yes", that prov (the provider serving an operation) is the "fips"
 * provider; elsewhere it accepts anything. It is the runtime half of the
 * proof that nothing outside the FIPS provider does crypto in FIPS mode
 * (OSSL_PROVIDER_get0_name(3)).
 */
static int fips_served(OSSL_LIB_CTX *libctx, const OSSL_PROVIDER *prov,
                       const char *what, char *errbuf, size_t errlen)
{
    const char *name;
    char line[256];

    if (EVP_default_properties_is_fips_enabled(libctx) != 1)
        return RPMPGP_OK;
    name = prov != NULL ? OSSL_PROVIDER_get0_name(prov) : NULL;
    if (name != NULL && strcmp(name, "fips") == 0)
        return RPMPGP_OK;
    if (errbuf != NULL && errlen > 0)
        errbuf[0] = '\0';
    snprintf(line, sizeof(line),
             "FIPS mode: %s is served by the %s provider, not by fips", what,
             name != NULL ? name : "(unknown)");
    append(errbuf, errlen, line);
    return RPMPGP_ERR;
}

/* provider_list is the buffer rpmpgp_providers fills. */
struct provider_list {
    char *buf;
    size_t size;
    int truncated;
};

/*
 * provider_line appends "provider\tname\tversion\tstatus\n" for prov, or
 * marks the list truncated when the line or the buffer is too short.
 */
static int provider_line(OSSL_PROVIDER *prov, void *arg)
{
    struct provider_list *list = arg;
    const char *name = NULL, *version = NULL;
    unsigned int status = 0;
    OSSL_PARAM params[4];
    char line[512];
    size_t used;
    int n;

    params[0] = OSSL_PARAM_construct_utf8_ptr(OSSL_PROV_PARAM_NAME,
                                              (char **)&name, 0);
    params[1] = OSSL_PARAM_construct_utf8_ptr(OSSL_PROV_PARAM_VERSION,
                                              (char **)&version, 0);
    params[2] = OSSL_PARAM_construct_uint(OSSL_PROV_PARAM_STATUS, &status);
    params[3] = OSSL_PARAM_construct_end();
    if (!OSSL_PROVIDER_get_params(prov, params))
        status = 0;
    n = snprintf(line, sizeof(line), "%s\t%s\t%s\t%s\n",
                 OSSL_PROVIDER_get0_name(prov),
                 name != NULL ? name : "", version != NULL ? version : "",
                 status ? "active" : "inactive");
    used = strnlen(list->buf, list->size);
    if (n < 0 || (size_t)n >= sizeof(line) || used + (size_t)n + 1 > list->size) {
        list->truncated = 1;
        return 1;
    }
    memcpy(list->buf + used, line, (size_t)n + 1);
    return 1;
}

/*
 * rpmpgp_providers writes one line per provider loaded in libctx (NULL:
 * the default context) into buf: "provider\tname\tversion\tstatus\n"
 * (OSSL_PROVIDER_do_all(3), OSSL_PROVIDER_get_params(3)). It returns 0, or
 * -1 when a line did not fit (the list is then incomplete).
 */
int rpmpgp_providers(OSSL_LIB_CTX *libctx, char *buf, size_t len)
{
    struct provider_list list;

    if (buf == NULL || len == 0)
        return -1;
    buf[0] = '\0';
    list.buf = buf;
    list.size = len;
    list.truncated = 0;
    OSSL_PROVIDER_do_all(libctx, provider_line, &list);
    clear_queue();
    return list.truncated ? -1 : 0;
}

/*
 * rpmpgp_served_by writes into buf the name of the provider that serves
 * algorithm name in libctx with its default properties: kind 0 a digest
 * (EVP_MD_fetch(3)), 1 a signature algorithm (EVP_SIGNATURE_fetch(3)), 2 a
 * key manager (EVP_KEYMGMT_fetch(3)); "" when none does.
 */
void rpmpgp_served_by(OSSL_LIB_CTX *libctx, int kind, const char *name,
                      char *buf, size_t len)
{
    const OSSL_PROVIDER *prov = NULL;
    EVP_MD *md = NULL;
    EVP_SIGNATURE *sig = NULL;
    EVP_KEYMGMT *km = NULL;

    if (buf == NULL || len == 0)
        return;
    buf[0] = '\0';
    switch (kind) {
    case 0:
        if ((md = EVP_MD_fetch(libctx, name, NULL)) != NULL)
            prov = EVP_MD_get0_provider(md);
        break;
    case 1:
        if ((sig = EVP_SIGNATURE_fetch(libctx, name, NULL)) != NULL)
            prov = EVP_SIGNATURE_get0_provider(sig);
        break;
    case 2:
        if ((km = EVP_KEYMGMT_fetch(libctx, name, NULL)) != NULL)
            prov = EVP_KEYMGMT_get0_provider(km);
        break;
    }
    if (prov != NULL)
        snprintf(buf, len, "%s", OSSL_PROVIDER_get0_name(prov));
    EVP_MD_free(md);
    EVP_SIGNATURE_free(sig);
    EVP_KEYMGMT_free(km);
    clear_queue();
}

/* EVP_MD_fetch(3) with a NULL property query; EVP_MD_get_size(3). */
int rpmpgp_md_fetch(OSSL_LIB_CTX *libctx, const char *name, EVP_MD **out,
                    int *size, char *errbuf, size_t errlen)
{
    EVP_MD *md;

    clear_queue();
    *out = NULL;
    *size = 0;
    if ((md = EVP_MD_fetch(libctx, name, NULL)) == NULL)
        return fail("EVP_MD_fetch failed", errbuf, errlen);
    if (fips_served(libctx, EVP_MD_get0_provider(md), name, errbuf, errlen)
        != RPMPGP_OK) {
        EVP_MD_free(md);
        return RPMPGP_ERR;
    }
    *size = EVP_MD_get_size(md);
    if (*size <= 0 || *size > EVP_MAX_MD_SIZE) {
        EVP_MD_free(md);
        return fail("EVP_MD_get_size failed", errbuf, errlen);
    }
    *out = md;
    return RPMPGP_OK;
}

/* EVP_MD_free(3). */
void rpmpgp_md_free(EVP_MD *md)
{
    EVP_MD_free(md);
}

/* EVP_MD_CTX_new(3) + EVP_DigestInit_ex2(3). */
int rpmpgp_md_ctx_new(const EVP_MD *md, EVP_MD_CTX **out, char *errbuf,
                      size_t errlen)
{
    EVP_MD_CTX *ctx;

    clear_queue();
    *out = NULL;
    if ((ctx = EVP_MD_CTX_new()) == NULL)
        return fail("EVP_MD_CTX_new failed", errbuf, errlen);
    if (!EVP_DigestInit_ex2(ctx, md, NULL)) {
        int rc = fail("EVP_DigestInit_ex2 failed", errbuf, errlen);

        EVP_MD_CTX_free(ctx);
        return rc;
    }
    *out = ctx;
    return RPMPGP_OK;
}

/* EVP_MD_CTX_new(3) + EVP_MD_CTX_copy_ex(3). */
int rpmpgp_md_ctx_dup(const EVP_MD_CTX *in, EVP_MD_CTX **out, char *errbuf,
                      size_t errlen)
{
    EVP_MD_CTX *ctx;

    clear_queue();
    *out = NULL;
    if ((ctx = EVP_MD_CTX_new()) == NULL)
        return fail("EVP_MD_CTX_new failed", errbuf, errlen);
    if (!EVP_MD_CTX_copy_ex(ctx, in)) {
        int rc = fail("EVP_MD_CTX_copy_ex failed", errbuf, errlen);

        EVP_MD_CTX_free(ctx);
        return rc;
    }
    *out = ctx;
    return RPMPGP_OK;
}

/* EVP_DigestUpdate(3). */
int rpmpgp_md_update(EVP_MD_CTX *ctx, const unsigned char *p, size_t len,
                     char *errbuf, size_t errlen)
{
    clear_queue();
    if (!EVP_DigestUpdate(ctx, nz(p), len))
        return fail("EVP_DigestUpdate failed", errbuf, errlen);
    return RPMPGP_OK;
}

/*
 * rpmpgp_md_sum finalises a copy of ctx (EVP_MD_CTX_copy_ex(3),
 * EVP_DigestFinal_ex(3)) so ctx itself can still be updated. outlen must be
 * the digest size.
 */
int rpmpgp_md_sum(const EVP_MD_CTX *ctx, unsigned char *out, size_t outlen,
                  char *errbuf, size_t errlen)
{
    EVP_MD_CTX *tmp;
    int rc;

    clear_queue();
    if ((tmp = EVP_MD_CTX_new()) == NULL)
        return fail("EVP_MD_CTX_new failed", errbuf, errlen);
    if (!EVP_MD_CTX_copy_ex(tmp, ctx))
        rc = fail("EVP_MD_CTX_copy_ex failed", errbuf, errlen);
    else
        rc = rpmpgp_md_final(tmp, out, outlen, errbuf, errlen);
    EVP_MD_CTX_free(tmp);
    return rc;
}

/*
 * rpmpgp_md_final finalises ctx itself (EVP_DigestFinal_ex(3)), for a
 * digest that is not used afterwards: no copy is made. outlen must be the
 * digest size.
 */
int rpmpgp_md_final(EVP_MD_CTX *ctx, unsigned char *out, size_t outlen,
                    char *errbuf, size_t errlen)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    int rc = RPMPGP_OK;

    clear_queue();
    if (!EVP_DigestFinal_ex(ctx, md, &n)) {
        rc = fail("EVP_DigestFinal_ex failed", errbuf, errlen);
    } else if ((size_t)n != outlen) {
        rc = fail("EVP_DigestFinal_ex returned an unexpected length", errbuf,
                  errlen);
    } else {
        memcpy(out, md, n);
    }
    OPENSSL_cleanse(md, sizeof(md));
    return rc;
}

/*
 * rpmpgp_md_final_free is rpmpgp_md_final followed by EVP_MD_CTX_free(3) on
 * every path: a digest finalised for the last time costs one call from Go.
 */
int rpmpgp_md_final_free(EVP_MD_CTX *ctx, unsigned char *out, size_t outlen,
                         char *errbuf, size_t errlen)
{
    int rc = rpmpgp_md_final(ctx, out, outlen, errbuf, errlen);

    EVP_MD_CTX_free(ctx);
    return rc;
}

/* EVP_MD_CTX_free(3). */
void rpmpgp_md_ctx_free(EVP_MD_CTX *ctx)
{
    EVP_MD_CTX_free(ctx);
}

/*
 * import_public builds a public key of the given type from params
 * (EVP_PKEY_CTX_new_from_name(3), EVP_PKEY_fromdata_init(3),
 * EVP_PKEY_fromdata(3) with EVP_PKEY_PUBLIC_KEY).
 */
static int import_public(OSSL_LIB_CTX *libctx, const char *type,
                         OSSL_PARAM_BLD *bld, EVP_PKEY **out, char *errbuf,
                         size_t errlen)
{
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *kctx = NULL;
    int rc = RPMPGP_OK;

    *out = NULL;
    if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL) {
        rc = fail("OSSL_PARAM_BLD_to_param failed", errbuf, errlen);
    } else if ((kctx = EVP_PKEY_CTX_new_from_name(libctx, type, NULL)) == NULL) {
        rc = fail("EVP_PKEY_CTX_new_from_name failed", errbuf, errlen);
    } else if (EVP_PKEY_fromdata_init(kctx) <= 0) {
        rc = fail("EVP_PKEY_fromdata_init failed", errbuf, errlen);
    } else if (EVP_PKEY_fromdata(kctx, out, EVP_PKEY_PUBLIC_KEY, params) <= 0
               || *out == NULL) {
        rc = fail("EVP_PKEY_fromdata failed", errbuf, errlen);
    } else {
        rc = fips_served(libctx, EVP_PKEY_get0_provider(*out), type, errbuf,
                         errlen);
    }
    EVP_PKEY_CTX_free(kctx);
    OSSL_PARAM_free(params);
    return rc;
}

/*
 * push_bn adds an unsigned big-endian integer to bld (BN_bin2bn(3),
 * OSSL_PARAM_BLD_push_BN(3)). The BIGNUM is freed by the caller after
 * OSSL_PARAM_BLD_to_param, which copies it.
 */
static int push_bn(OSSL_PARAM_BLD *bld, const char *key,
                   const unsigned char *p, size_t len, BIGNUM **bn)
{
    if (len > (size_t)0x7fffffff)
        return 0;
    if ((*bn = BN_bin2bn(nz(p), (int)len, NULL)) == NULL)
        return 0;
    return OSSL_PARAM_BLD_push_BN(bld, key, *bn);
}

/*
 * rpmpgp_rsa_import builds an RSA public key from the unsigned big-endian n
 * and e: OSSL_PARAM_BLD_push_BN(3) with OSSL_PKEY_PARAM_RSA_N and
 * OSSL_PKEY_PARAM_RSA_E, then EVP_PKEY_fromdata(3) (see import_public, which
 * also checks that the FIPS provider made it in FIPS mode). The caller owns
 * *out (rpmpgp_pkey_free).
 */
int rpmpgp_rsa_import(OSSL_LIB_CTX *libctx, const unsigned char *n,
                      size_t nlen, const unsigned char *e, size_t elen,
                      EVP_PKEY **out, char *errbuf, size_t errlen)
{
    OSSL_PARAM_BLD *bld = NULL;
    BIGNUM *bn_n = NULL, *bn_e = NULL;
    int rc;

    clear_queue();
    *out = NULL;
    if ((bld = OSSL_PARAM_BLD_new()) == NULL
        || !push_bn(bld, OSSL_PKEY_PARAM_RSA_N, n, nlen, &bn_n)
        || !push_bn(bld, OSSL_PKEY_PARAM_RSA_E, e, elen, &bn_e)) {
        rc = fail("building RSA key parameters failed", errbuf, errlen);
        goto end;
    }
    rc = import_public(libctx, "RSA", bld, out, errbuf, errlen);
    if (rc != RPMPGP_OK) {
        EVP_PKEY_free(*out);
        *out = NULL;
    }

end:
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_n);
    BN_free(bn_e);
    return rc;
}

/* EVP_PKEY_free(3). */
void rpmpgp_pkey_free(EVP_PKEY *pkey)
{
    EVP_PKEY_free(pkey);
}

/*
 * rpmpgp_rsa_verifier makes the template of a PKCS#1 v1.5 verification with
 * an RSA key from rpmpgp_rsa_import and the digest md:
 * EVP_PKEY_CTX_new_from_pkey(3), EVP_PKEY_verify_init(3) (checked to be
 * served by the FIPS provider in FIPS mode), EVP_PKEY_CTX_set_rsa_padding(3)
 * with RSA_PKCS1_PADDING, EVP_PKEY_CTX_set_signature_md(3). The template is
 * never used itself: each verification works on a copy
 * (rpmpgp_verify_rsa), which spares the signature and digest fetches that
 * EVP_PKEY_verify_init and EVP_PKEY_CTX_set_signature_md do. The caller
 * owns *out (rpmpgp_pkey_ctx_free).
 */
int rpmpgp_rsa_verifier(OSSL_LIB_CTX *libctx, EVP_PKEY *pkey, const EVP_MD *md,
                        EVP_PKEY_CTX **out, char *errbuf, size_t errlen)
{
    EVP_PKEY_CTX *vctx = NULL;
    int rc;

    clear_queue();
    *out = NULL;
    if ((vctx = EVP_PKEY_CTX_new_from_pkey(libctx, pkey, NULL)) == NULL) {
        rc = fail("EVP_PKEY_CTX_new_from_pkey failed", errbuf, errlen);
    } else if (EVP_PKEY_verify_init(vctx) <= 0) {
        rc = fail("EVP_PKEY_verify_init failed", errbuf, errlen);
    } else if ((rc = fips_served(libctx, EVP_PKEY_CTX_get0_provider(vctx),
                                 "RSA verification", errbuf, errlen))
               != RPMPGP_OK) {
        /* rc says why */
    } else if (EVP_PKEY_CTX_set_rsa_padding(vctx, RSA_PKCS1_PADDING) <= 0) {
        rc = fail("EVP_PKEY_CTX_set_rsa_padding failed", errbuf, errlen);
    } else if (EVP_PKEY_CTX_set_signature_md(vctx, md) <= 0) {
        rc = fail("EVP_PKEY_CTX_set_signature_md failed", errbuf, errlen);
    } else {
        *out = vctx;
        return RPMPGP_OK;
    }
    EVP_PKEY_CTX_free(vctx);
    return rc;
}

/* EVP_PKEY_CTX_free(3). */
void rpmpgp_pkey_ctx_free(EVP_PKEY_CTX *ctx)
{
    EVP_PKEY_CTX_free(ctx);
}

/*
 * rpmpgp_rsa_verifier_dup copies a template of rpmpgp_rsa_verifier
 * (EVP_PKEY_CTX_dup(3)); the caller passes the copy to rpmpgp_verify_rsa.
 * The Go side serialises the copies of one template.
 */
int rpmpgp_rsa_verifier_dup(EVP_PKEY_CTX *tmpl, EVP_PKEY_CTX **out,
                            char *errbuf, size_t errlen)
{
    clear_queue();
    if ((*out = EVP_PKEY_CTX_dup(tmpl)) == NULL)
        return fail("EVP_PKEY_CTX_dup failed", errbuf, errlen);
    return RPMPGP_OK;
}

/*
 * rpmpgp_verify_rsa checks a PKCS#1 v1.5 signature over a precomputed
 * digest with vctx, a copy of a template of rpmpgp_rsa_verifier, which the
 * caller keeps (for another verification with the same parameters, which
 * EVP_PKEY_verify(3) allows) or frees: EVP_PKEY_verify(3). sig must be exactly as long as the modulus (the
 * caller pads). The key in vctx is only read, so several threads may
 * verify with copies of templates of the same key at once (OpenSSL 3
 * EVP_PKEY objects are safe for concurrent read-only use; the RSA
 * Montgomery context that the first verification caches in the key is set
 * under the key's lock, BN_MONT_CTX_set_locked).
 */
int rpmpgp_verify_rsa(EVP_PKEY_CTX *vctx, const unsigned char *dgst,
                      size_t dlen, const unsigned char *sig, size_t siglen,
                      char *errbuf, size_t errlen)
{
    int rc;

    clear_queue();
    rc = verdict(EVP_PKEY_verify(vctx, nz(sig), siglen, nz(dgst), dlen),
                 errbuf, errlen);
    return rc;
}

/*
 * verify_raw runs EVP_PKEY_verify_init(3) + EVP_PKEY_verify(3) without a
 * digest name: DSA and ECDSA take the digest as is and truncate it to the
 * bit length of the group order (FIPS 186-4).
 */
static int verify_raw(OSSL_LIB_CTX *libctx, EVP_PKEY *pkey,
                      const unsigned char *dgst, size_t dlen,
                      const unsigned char *sig, size_t siglen, char *errbuf,
                      size_t errlen)
{
    EVP_PKEY_CTX *vctx;
    int rc;

    if ((vctx = EVP_PKEY_CTX_new_from_pkey(libctx, pkey, NULL)) == NULL)
        return fail("EVP_PKEY_CTX_new_from_pkey failed", errbuf, errlen);
    if (EVP_PKEY_verify_init(vctx) <= 0)
        rc = fail("EVP_PKEY_verify_init failed", errbuf, errlen);
    else if ((rc = fips_served(libctx, EVP_PKEY_CTX_get0_provider(vctx),
                               "signature verification", errbuf, errlen))
             != RPMPGP_OK)
        ; /* rc says why */
    else
        rc = verdict(EVP_PKEY_verify(vctx, nz(sig), siglen, nz(dgst), dlen),
                     errbuf, errlen);
    EVP_PKEY_CTX_free(vctx);
    return rc;
}

/*
 * rpmpgp_verify_dsa checks a DSA signature (DER Dss-Sig-Value): p, q, g, pub
 * -> EVP_PKEY_fromdata(3) (OSSL_PKEY_PARAM_FFC_P/Q/G, OSSL_PKEY_PARAM_PUB_KEY),
 * then EVP_PKEY_verify(3).
 */
int rpmpgp_verify_dsa(OSSL_LIB_CTX *libctx, const unsigned char *p, size_t plen,
                      const unsigned char *q, size_t qlen,
                      const unsigned char *g, size_t glen,
                      const unsigned char *y, size_t ylen,
                      const unsigned char *dgst, size_t dlen,
                      const unsigned char *sig, size_t siglen, char *errbuf,
                      size_t errlen)
{
    OSSL_PARAM_BLD *bld = NULL;
    BIGNUM *bp = NULL, *bq = NULL, *bg = NULL, *by = NULL;
    EVP_PKEY *pkey = NULL;
    int rc;

    clear_queue();
    if ((bld = OSSL_PARAM_BLD_new()) == NULL
        || !push_bn(bld, OSSL_PKEY_PARAM_FFC_P, p, plen, &bp)
        || !push_bn(bld, OSSL_PKEY_PARAM_FFC_Q, q, qlen, &bq)
        || !push_bn(bld, OSSL_PKEY_PARAM_FFC_G, g, glen, &bg)
        || !push_bn(bld, OSSL_PKEY_PARAM_PUB_KEY, y, ylen, &by)) {
        rc = fail("building DSA key parameters failed", errbuf, errlen);
        goto end;
    }
    if ((rc = import_public(libctx, "DSA", bld, &pkey, errbuf, errlen))
        != RPMPGP_OK)
        goto end;
    rc = verify_raw(libctx, pkey, dgst, dlen, sig, siglen, errbuf, errlen);

end:
    EVP_PKEY_free(pkey);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bp);
    BN_free(bq);
    BN_free(bg);
    BN_free(by);
    return rc;
}

/*
 * rpmpgp_verify_ecdsa checks an ECDSA signature (DER ECDSA-Sig-Value): a
 * named group (OSSL_PKEY_PARAM_GROUP_NAME) and an encoded point
 * (OSSL_PKEY_PARAM_PUB_KEY) -> EVP_PKEY_fromdata(3), which checks that the
 * point is on the curve, then EVP_PKEY_verify(3).
 */
int rpmpgp_verify_ecdsa(OSSL_LIB_CTX *libctx, const char *group,
                        const unsigned char *pub, size_t publen,
                        const unsigned char *dgst, size_t dlen,
                        const unsigned char *sig, size_t siglen, char *errbuf,
                        size_t errlen)
{
    OSSL_PARAM_BLD *bld = NULL;
    EVP_PKEY *pkey = NULL;
    int rc;

    clear_queue();
    if ((bld = OSSL_PARAM_BLD_new()) == NULL
        || !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                            group, 0)
        || !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
                                             nz(pub), publen)) {
        rc = fail("building EC key parameters failed", errbuf, errlen);
        goto end;
    }
    if ((rc = import_public(libctx, "EC", bld, &pkey, errbuf, errlen))
        != RPMPGP_OK)
        goto end;
    rc = verify_raw(libctx, pkey, dgst, dlen, sig, siglen, errbuf, errlen);

end:
    EVP_PKEY_free(pkey);
    OSSL_PARAM_BLD_free(bld);
    return rc;
}

/*
 * rpmpgp_verify_eddsa checks a pure Ed25519 / Ed448 signature (empty
 * context) over msg: EVP_PKEY_new_raw_public_key_ex(3), then the one-shot
 * EVP_DigestVerifyInit_ex(3) with no digest name + EVP_DigestVerify(3).
 */
int rpmpgp_verify_eddsa(OSSL_LIB_CTX *libctx, const char *keytype,
                        const unsigned char *pub, size_t publen,
                        const unsigned char *msg, size_t msglen,
                        const unsigned char *sig, size_t siglen, char *errbuf,
                        size_t errlen)
{
    EVP_PKEY *pkey = NULL;
    EVP_MD_CTX *mctx = NULL;
    int rc;

    clear_queue();
    if ((pkey = EVP_PKEY_new_raw_public_key_ex(libctx, keytype, NULL, nz(pub),
                                               publen)) == NULL) {
        rc = fail("EVP_PKEY_new_raw_public_key_ex failed", errbuf, errlen);
    } else if ((mctx = EVP_MD_CTX_new()) == NULL) {
        rc = fail("EVP_MD_CTX_new failed", errbuf, errlen);
    } else if (EVP_DigestVerifyInit_ex(mctx, NULL, NULL, libctx, NULL, pkey,
                                       NULL) <= 0) {
        rc = fail("EVP_DigestVerifyInit_ex failed", errbuf, errlen);
    } else if ((rc = fips_served(libctx,
                                 EVP_PKEY_CTX_get0_provider(
                                     EVP_MD_CTX_get_pkey_ctx(mctx)),
                                 keytype, errbuf, errlen)) != RPMPGP_OK) {
        /* rc says why */
    } else {
        rc = verdict(EVP_DigestVerify(mctx, nz(sig), siglen, nz(msg), msglen),
                     errbuf, errlen);
    }
    EVP_MD_CTX_free(mctx);
    EVP_PKEY_free(pkey);
    return rc;
}
