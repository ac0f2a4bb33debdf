/*
 * shims.h: the whole C surface of package ossl.
 *
 * Every function takes the library context to work in (NULL: OpenSSL's
 * default library context) and passes a NULL property query everywhere, so
 * the context's default properties ("fips=yes" in FIPS mode, see
 * EVP_default_properties_enable_fips(3)) decide which provider serves each
 * algorithm.
 *
 * Functions that can fail clear the calling thread's error queue first
 * (ERR_clear_error(3), when ERR_peek_error(3) finds an error in it) and, on
 * failure, drain it into errbuf before returning
 * (ERR_get_error_all(3)), so Go never reads the queue from another OS thread.
 *
 * Return codes of the verify functions: RPMPGP_OK (valid signature),
 * RPMPGP_BAD (signature does not verify), RPMPGP_ERR (malformed input or
 * internal error), RPMPGP_UNAVAILABLE (no provider in this library context
 * offers the algorithm, ERR_R_UNSUPPORTED / ERR_R_FETCH_FAILED).
 */
#ifndef RPMPGP_OSSL_SHIMS_H
#define RPMPGP_OSSL_SHIMS_H

#include <stddef.h>
#include <openssl/evp.h>

#define RPMPGP_OK 1
#define RPMPGP_BAD 0
#define RPMPGP_ERR (-1)
#define RPMPGP_UNAVAILABLE (-2)

/* Size of the error buffers the Go side passes in. */
#define RPMPGP_ERRBUF 1024

/* Library contexts and FIPS mode. */
const char *rpmpgp_version(void);
int rpmpgp_fips_enabled(OSSL_LIB_CTX *libctx);
int rpmpgp_ctx_off(OSSL_LIB_CTX **out, char *errbuf, size_t errlen);
int rpmpgp_ctx_fips(const char *conf, OSSL_LIB_CTX **out, char *errbuf,
                    size_t errlen);
int rpmpgp_providers(OSSL_LIB_CTX *libctx, char *buf, size_t len);
void rpmpgp_served_by(OSSL_LIB_CTX *libctx, int kind, const char *name,
                      char *buf, size_t len);

/* Digests. */
int rpmpgp_md_fetch(OSSL_LIB_CTX *libctx, const char *name, EVP_MD **out,
                    int *size, char *errbuf, size_t errlen);
void rpmpgp_md_free(EVP_MD *md);
int rpmpgp_md_ctx_new(const EVP_MD *md, EVP_MD_CTX **out, char *errbuf,
                      size_t errlen);
int rpmpgp_md_ctx_dup(const EVP_MD_CTX *in, EVP_MD_CTX **out, char *errbuf,
                      size_t errlen);
int rpmpgp_md_update(EVP_MD_CTX *ctx, const unsigned char *p, size_t len,
                     char *errbuf, size_t errlen);
int rpmpgp_md_sum(const EVP_MD_CTX *ctx, unsigned char *out, size_t outlen,
                  char *errbuf, size_t errlen);
int rpmpgp_md_final(EVP_MD_CTX *ctx, unsigned char *out, size_t outlen,
                    char *errbuf, size_t errlen);
int rpmpgp_md_final_free(EVP_MD_CTX *ctx, unsigned char *out, size_t outlen,
                         char *errbuf, size_t errlen);
void rpmpgp_md_ctx_free(EVP_MD_CTX *ctx);

/* Signatures. */
int rpmpgp_rsa_import(OSSL_LIB_CTX *libctx, const unsigned char *n,
                      size_t nlen, const unsigned char *e, size_t elen,
                      EVP_PKEY **out, char *errbuf, size_t errlen);
void rpmpgp_pkey_free(EVP_PKEY *pkey);
int rpmpgp_rsa_verifier(OSSL_LIB_CTX *libctx, EVP_PKEY *pkey, const EVP_MD *md,
                        EVP_PKEY_CTX **out, char *errbuf, size_t errlen);
void rpmpgp_pkey_ctx_free(EVP_PKEY_CTX *ctx);
int rpmpgp_rsa_verifier_dup(EVP_PKEY_CTX *tmpl, EVP_PKEY_CTX **out,
                            char *errbuf, size_t errlen);
int rpmpgp_verify_rsa(EVP_PKEY_CTX *vctx, const unsigned char *dgst,
                      size_t dlen, const unsigned char *sig, size_t siglen,
                      char *errbuf, size_t errlen);
int rpmpgp_verify_dsa(OSSL_LIB_CTX *libctx, const unsigned char *p, size_t plen,
                      const unsigned char *q, size_t qlen,
                      const unsigned char *g, size_t glen,
                      const unsigned char *y, size_t ylen,
                      const unsigned char *dgst, size_t dlen,
                      const unsigned char *sig, size_t siglen, char *errbuf,
                      size_t errlen);
int rpmpgp_verify_ecdsa(OSSL_LIB_CTX *libctx, const char *group,
                        const unsigned char *pub, size_t publen,
                        const unsigned char *dgst, size_t dlen,
                        const unsigned char *sig, size_t siglen, char *errbuf,
                        size_t errlen);
int rpmpgp_verify_eddsa(OSSL_LIB_CTX *libctx, const char *keytype,
                        const unsigned char *pub, size_t publen,
                        const unsigned char *msg, size_t msglen,
                        const unsigned char *sig, size_t siglen, char *errbuf,
                        size_t errlen);

#endif
