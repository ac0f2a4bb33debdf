// Package ossl holds all the cgo of the openssl backend: thin Go wrappers
// around OpenSSL 3's EVP API (libcrypto), with the C side in shims.h and
// shims.c. Nothing else in rpmpgp calls C.
//
// # Library contexts and FIPS
//
// A [Context] is an OpenSSL library context (OSSL_LIB_CTX) chosen by a
// [Mode]: [ModeAuto] uses OpenSSL's default library context, so the
// system's openssl.cnf decides (a system-wide FIPS configuration applies);
// [ModeOff] uses a private context with only the "default" provider;
// [ModeRequire] uses a private context with the "fips" provider and
// "fips=yes" default properties, and fails with OpenSSL's reason when the
// FIPS provider cannot be loaded. Every fetch passes a NULL property query,
// so the context's default properties decide which provider serves each
// algorithm: in FIPS mode only the FIPS provider does.
//
// # Errors
//
// Every shim clears the calling thread's OpenSSL error queue before it
// starts and drains it into the returned [Error] when it fails, inside the
// same C call (the queue is per thread, and a goroutine may change thread
// between two cgo calls). [ErrUnavailable] and [ErrVerify] classify errors.
//
// Without cgo the package is empty; the openssl backend then reports that it
// was built without cgo.
package ossl
