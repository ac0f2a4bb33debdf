package pgparmor

// CRC24 is the armor checksum (RFC 9580, Section 6.1.1; rpm's pgpCRC):
// CRC-24 with generator 0x1864cfb and initial value 0xb704ce.
func CRC24(data []byte) uint32 {
	const (
		crc24Init = 0xb704ce
		crc24Poly = 0x1864cfb
	)
	crc := uint32(crc24Init)
	for _, c := range data {
		crc ^= uint32(c) << 16
		for range 8 {
			crc <<= 1
			if crc&0x1000000 != 0 {
				crc ^= crc24Poly
			}
		}
	}
	return crc & 0xffffff
}
