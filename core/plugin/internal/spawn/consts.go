package spawn

import "fmt"

// BinaryPrefix starts the file name of every backend binary:
// rpmpgp-backend-<name>.
const BinaryPrefix = "rpmpgp-backend-"

// EnvPluginDir names the environment variable that lists directories to
// search first (separated by ':', like PATH).
const EnvPluginDir = "RPMPGP_PLUGIN_DIR"

// EnvChannel names the environment variable that tells a backend process
// that descriptor [ChildFD] is its end of the descriptor channel (package
// fdpass).
const EnvChannel = "RPMPGP_BACKEND_FD_CHANNEL"

// ChildFD is the descriptor number of the child's end of the descriptor
// channel: the first of exec.Cmd.ExtraFiles.
const ChildFD = 3

// EnvExecFD names the environment variable that tells a backend process
// which inherited descriptor is its own binary, the one the host executed
// through /proc/self/fd/N after checking it; the backend closes it.
const EnvExecFD = "RPMPGP_BACKEND_EXEC_FD"

// ExecFD is the descriptor a backend's binary is executed through when it
// has a descriptor channel: the second of exec.Cmd.ExtraFiles.
const ExecFD = ChildFD + 1

// EnvInheritedFDs names the variable through which a host tells a
// resident instance which of its descriptors it inherited from the host's
// caller (InheritedFDs), for the instance to close (CloseInheritedFDs).
const EnvInheritedFDs = "RPMPGP_BACKEND_INHERITED_FDS"

// EnvInstance names the variable that starts a backend as a resident
// instance: the path of its files without suffix (package resident).
const EnvInstance = "RPMPGP_BACKEND_RESIDENT"

// The go-plugin handshake of rpmpgp backends (package wire's Handshake):
// the magic cookie, a UX feature (running a backend binary by hand prints a
// hint instead of hanging), not a security measure, and the protocol
// version.
const (
	CookieKey       = "RPMPGP_BACKEND_PLUGIN"
	CookieValue     = "a7d1b2f0-rpmpgp-backend-6c3e"
	ProtocolVersion = 1
)

// EnvUnixSocketDir is go-plugin's variable naming the directory a plugin
// creates its Unix socket in (github.com/hashicorp/go-plugin,
// EnvUnixSocketDir).
const EnvUnixSocketDir = "PLUGIN_UNIX_SOCKET_DIR"

// HandshakeEnv is what go-plugin adds to a plugin's environment when it
// starts one with rpmpgp's handshake (github.com/hashicorp/go-plugin
// client.go, Client.Start: the magic cookie, PLUGIN_MIN_PORT and
// PLUGIN_MAX_PORT at NewClient's defaults of 10000 and 25000, and
// PLUGIN_PROTOCOL_VERSIONS). An early start adds it itself; the adopting
// host checks that go-plugin would have added the same.
func HandshakeEnv() []string {
	return []string{
		CookieKey + "=" + CookieValue,
		"PLUGIN_MIN_PORT=10000",
		"PLUGIN_MAX_PORT=25000",
		fmt.Sprintf("PLUGIN_PROTOCOL_VERSIONS=%d", ProtocolVersion),
	}
}
