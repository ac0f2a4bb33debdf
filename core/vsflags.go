package core

// VSFlags is rpm's rpmVSFlags: each bit disables one kind of item.
type VSFlags uint32

// Verification disablers (include/rpm/rpmts.h, RPMVSF_*).
const (
	VSFNoSHA1Header      VSFlags = 1 << 8
	VSFNoSHA256Header    VSFlags = 1 << 9
	VSFNoDSAHeader       VSFlags = 1 << 10
	VSFNoRSAHeader       VSFlags = 1 << 11
	VSFNoOpenPGP         VSFlags = 1 << 12
	VSFNoSHA3_256Header  VSFlags = 1 << 13
	VSFNoSHA512Payload   VSFlags = 1 << 14
	VSFNoSHA3_256Payload VSFlags = 1 << 15
	// VSFNoSHA256Payload is RPMVSF_NOSHA256PAYLOAD (4.x RPMVSF_NOPAYLOAD).
	VSFNoSHA256Payload VSFlags = 1 << 16
	VSFNoMD5           VSFlags = 1 << 17
	VSFNoDSA           VSFlags = 1 << 18
	VSFNoRSA           VSFlags = 1 << 19

	// VSFNoDigests disables every digest (RPMVSF_MASK_NODIGESTS).
	VSFNoDigests = VSFNoSHA1Header | VSFNoSHA256Header | VSFNoSHA3_256Header | VSFNoSHA256Payload |
		VSFNoSHA512Payload | VSFNoSHA3_256Payload | VSFNoMD5
	// VSFNoSignatures disables every signature (RPMVSF_MASK_NOSIGNATURES).
	VSFNoSignatures = VSFNoDSAHeader | VSFNoRSAHeader | VSFNoOpenPGP | VSFNoDSA | VSFNoRSA
)
