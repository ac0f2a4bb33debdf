// Command librpmpgp-preload is the rpm 4.18 rpmpgp.h library built with
// -buildmode=c-shared (make preload): LD_PRELOAD it into rpm, rpmkeys,
// rpmsign or dnf and their OpenPGP calls are answered by the configured
// rpmpgp backend. preload.c holds the exported C functions with rpm 4.18's
// prototypes; the functions below are their Go half, called only from
// preload.c (internal/preload does the work).
package main

/*
#cgo CFLAGS: -O2 -Wall -Wno-unused-function
#cgo LDFLAGS: -ldl
#include <stdlib.h>
#include <string.h>
#include "preload.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/rpmpgp/rpmpgp/capi/internal/preload"
	"github.com/rpmpgp/rpmpgp/core"
)

func main() {}

func init() {
	preload.LibraryDir = func() string { return C.GoString(C.rpmpgp_preload_dir()) }
}

// maxInput bounds the bytes one call copies out of rpm's memory; rpm's own
// limits are far lower (64 KiB keys, header-sized signatures, armor files).
const maxInput = 64 << 20

// input copies n bytes at p into Go memory (the backend keeps packets after
// the call returns); ok is false for a NULL pointer with a length or an
// absurd length.
func input(p unsafe.Pointer, n C.size_t) ([]byte, bool) {
	if n == 0 {
		return []byte{}, true
	}
	if p == nil || n > maxInput {
		return nil, false
	}
	return C.GoBytes(p, C.int(n)), true
}

// newParams copies p into a malloc'd handle.
func newParams(p *core.Params) *C.rpmpgp_params {
	var trailer []byte
	if p.Kind == core.KindSignature {
		t, err := preload.Trailer(p.Packet)
		if err != nil {
			return nil
		}
		trailer = t
	}
	cp := (*C.rpmpgp_params)(C.calloc(1, C.size_t(unsafe.Sizeof(C.rpmpgp_params{}))))
	if cp == nil {
		return nil
	}
	cp.magic = C.RPMPGP_PARAMS_MAGIC
	cp.handle = C.uintptr_t(cgo.NewHandle(p))
	switch p.Kind {
	case core.KindSignature:
		cp.tag = C.RPMPGP_TAG_SIGNATURE
	case core.KindSubkey:
		cp.tag = C.RPMPGP_TAG_PUBLIC_SUBKEY
	default:
		cp.tag = C.RPMPGP_TAG_PUBLIC_KEY
	}
	cp.version = C.uint8_t(p.Version)
	cp.pubkey_algo = C.uint8_t(p.PubKeyAlgo)
	cp.hash_algo = C.uint8_t(p.HashAlgo)
	cp.sigtype = C.int(p.SigType)
	if p.Kind != core.KindSignature {
		cp.sigtype = -1
	}
	cp.time = C.uint32_t(p.CreationTime)
	for i, b := range p.KeyID {
		cp.signid[i] = C.uint8_t(b)
	}
	if p.UserID != "" || (p.Kind != core.KindSignature && preload.HasUserID(p.Packet)) {
		cp.userid = C.CString(p.UserID)
	}
	if trailer != nil {
		cp.trailer = (*C.uint8_t)(C.CBytes(trailer))
		cp.trailer_len = C.size_t(len(trailer))
	}
	return cp
}

// params returns the Go params of a handle made by newParams (0: nil).
func params(h C.uintptr_t) *core.Params {
	if h == 0 {
		return nil
	}
	p, _ := cgo.Handle(h).Value().(*core.Params)
	return p
}

//export rpmpgpGoParse
func rpmpgpGoParse(pkts *C.uint8_t, n C.size_t, pkttype C.uint, out **C.rpmpgp_params, why **C.char) C.int {
	*out, *why = nil, nil
	data, ok := input(unsafe.Pointer(pkts), n)
	if !ok {
		return -1
	}
	p, err := preload.Parse(data, int(pkttype))
	if err != nil {
		*why = C.CString(preload.OneLine(err.Error()))
		return -1
	}
	if *out = newParams(p); *out == nil {
		return -1
	}
	return 0
}

//export rpmpgpGoSubkeys
func rpmpgpGoSubkeys(pkts *C.uint8_t, n C.size_t, out ***C.rpmpgp_params, count *C.int, why **C.char) C.int {
	*out, *count, *why = nil, 0, nil
	data, ok := input(unsafe.Pointer(pkts), n)
	if !ok {
		return -1
	}
	subs, err := preload.Subkeys(data)
	if err != nil {
		*why = C.CString(preload.OneLine(err.Error()))
		return -1
	}
	if len(subs) == 0 {
		return 0
	}
	arr := (**C.rpmpgp_params)(C.calloc(C.size_t(len(subs)), C.size_t(unsafe.Sizeof((*C.rpmpgp_params)(nil)))))
	if arr == nil {
		return -1
	}
	list := unsafe.Slice(arr, len(subs))
	for i, s := range subs {
		if list[i] = newParams(s); list[i] == nil {
			for _, cp := range list[:i] {
				C.rpmpgp_params_free(cp)
			}
			C.free(unsafe.Pointer(arr))
			return -1
		}
	}
	*out, *count = arr, C.int(len(subs))
	return 0
}

//export rpmpgpGoRelease
func rpmpgpGoRelease(h C.uintptr_t) {
	if h != 0 {
		cgo.Handle(h).Delete()
	}
}

//export rpmpgpGoVerify
func rpmpgpGoVerify(key, sig C.uintptr_t, sum *C.uint8_t, n C.size_t, lint **C.char) C.int {
	*lint = nil
	s, ok := input(unsafe.Pointer(sum), n)
	if !ok {
		return preload.RPMRCFail
	}
	rc, why := preload.VerifyHash(params(key), params(sig), s)
	if why != "" {
		*lint = C.CString(why)
	}
	return C.int(rc)
}

//export rpmpgpGoFingerprint
func rpmpgpGoFingerprint(pkt *C.uint8_t, n C.size_t, fp **C.uint8_t, fplen *C.size_t) C.int {
	data, ok := input(unsafe.Pointer(pkt), n)
	if !ok {
		return -1
	}
	f, err := preload.Fingerprint(data)
	if err != nil || len(f) == 0 {
		return -1
	}
	*fp = (*C.uint8_t)(C.CBytes(f))
	*fplen = C.size_t(len(f))
	return 0
}

//export rpmpgpGoKeyID
func rpmpgpGoKeyID(pkt *C.uint8_t, n C.size_t, keyid *C.uint8_t) C.int {
	data, ok := input(unsafe.Pointer(pkt), n)
	if !ok {
		return -1
	}
	id, err := preload.KeyID(data)
	if err != nil {
		return -1
	}
	out := unsafe.Slice(keyid, len(id))
	for i, b := range id {
		out[i] = C.uint8_t(b)
	}
	return 0
}

//export rpmpgpGoParseArmor
func rpmpgpGoParseArmor(armor *C.char, pkt **C.uint8_t, pktlen *C.size_t) C.int {
	kind, data := preload.ParseArmor([]byte(C.GoString(armor)))
	if kind > 0 {
		*pkt = (*C.uint8_t)(C.CBytes(data))
		*pktlen = C.size_t(len(data))
	}
	return C.int(kind)
}

//export rpmpgpGoCertLen
func rpmpgpGoCertLen(pkts *C.uint8_t, n C.size_t, certlen *C.size_t) C.int {
	data, ok := input(unsafe.Pointer(pkts), n)
	if !ok {
		return -1
	}
	l, err := preload.CertLen(data)
	if err != nil {
		return -1
	}
	*certlen = C.size_t(l)
	return 0
}

//export rpmpgpGoLint
func rpmpgpGoLint(pkts *C.uint8_t, n C.size_t, explanation **C.char) C.int {
	data, ok := input(unsafe.Pointer(pkts), n)
	if !ok {
		return preload.RPMRCFail
	}
	rc, why := preload.Lint(data)
	if why != "" {
		*explanation = C.CString(why)
	}
	return C.int(rc)
}

//export rpmpgpGoArmorWrap
func rpmpgpGoArmorWrap(atype C.int, s *C.uchar, n C.size_t) *C.char {
	data, ok := input(unsafe.Pointer(s), n)
	if !ok {
		return nil
	}
	text, ok := preload.WrapArmor(int(atype), data)
	if !ok {
		return nil
	}
	return C.CString(text)
}
