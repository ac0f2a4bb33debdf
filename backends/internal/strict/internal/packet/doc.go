// Package packet is the strict backends' OpenPGP packet reader: packet
// framing (RFC 9580, Section 4.2; packet.go), MPIs (Section 3.2; mpi.go)
// and signature packets with their subpackets (Section 5.2; signature.go),
// each bounded by the limits in limits.go and failing with Sequoia's error
// texts (errors.go, format.go). It parses and describes; it verifies
// nothing and applies no policy beyond what Sequoia's parser refuses:
// certificates, validity and the verdicts are package strict's.
package packet
