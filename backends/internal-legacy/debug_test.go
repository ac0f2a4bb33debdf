//go:debug rsa1024min=0

package legacy

// The directive above lets crypto/rsa verify keys shorter than 1024 bits in
// this package's tests, as rpm 4.18 (libgcrypt) does. A backend binary needs
// the same directive in its main package.
