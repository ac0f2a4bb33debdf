/*
 * The handle behind rpm 4.18's opaque pgpDigParams, shared by preload.c
 * (rpm's side: accessors, trace) and exports.go (Go's side: filled from the
 * backend's answer). Everything here is malloc'd C memory; handle is a
 * runtime/cgo.Handle of the Go params, never a Go pointer.
 */
#ifndef RPMPGP_PRELOAD_H
#define RPMPGP_PRELOAD_H

#include <stddef.h>
#include <stdint.h>

/* "rpmpgpP1": marks a handle made by this library. */
#define RPMPGP_PARAMS_MAGIC 0x72706d7067705031ULL

/* OpenPGP packet tags of a handle (RFC 9580, Section 5). */
#define RPMPGP_TAG_SIGNATURE 2
#define RPMPGP_TAG_PUBLIC_KEY 6
#define RPMPGP_TAG_PUBLIC_SUBKEY 14

struct pgpDigParams_s {
	uint64_t magic;
	uintptr_t handle;	/* cgo.Handle of the Go *core.Params */
	uint8_t tag;
	uint8_t version;
	uint8_t pubkey_algo;
	uint8_t hash_algo;
	int sigtype;		/* -1 for keys */
	uint32_t time;
	uint8_t signid[8];	/* issuer (signatures) or key ID (keys) */
	char *userid;		/* NULL when none */
	uint8_t *trailer;	/* signatures: what pgpVerifySignature hashes after the data */
	size_t trailer_len;
};

typedef struct pgpDigParams_s rpmpgp_params;

/* Frees a handle made by exports.go (pgpDigParamsFree without the trace). */
void rpmpgp_params_free(rpmpgp_params *p);

/* The directory librpmpgp-preload.so was loaded from ("" if unknown). */
const char *rpmpgp_preload_dir(void);

#endif
