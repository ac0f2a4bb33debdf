// Package prestart starts a backend process before the host program has
// finished its own start-up, for [github.com/rpmpgp/rpmpgp/core/plugin] to
// adopt once the host knows which backend it needs.
//
// A Go program runs every package's initialisation (protobuf and gRPC
// descriptors, go-plugin, viper, ...) before main: for rpmpgp about 3 ms,
// during which a backend started from main would not run yet. A package
// that imports nothing but os and syscall is initialised in the first
// millisecond, so a start from its init overlaps the backend's own start-up
// (another 3 ms) with the host's. The guess is checked later: core/plugin
// adopts the process only if the binary and the environment are exactly the
// ones it would have started itself, and [Process.Discard] ends it
// otherwise.
//
// This package must keep importing only os and syscall (and what they
// import): each further package may move its initialisation, and the
// start, behind the bulk of the host's.
package prestart

import (
	"os"
	"syscall"
)

// Names shared with core/plugin, here so that a host can start a backend
// before core/plugin is initialised.
const (
	// BinaryPrefix starts the file name of every backend binary.
	BinaryPrefix = "rpmpgp-backend-"
	// EnvPluginDir lists directories searched for backends first.
	EnvPluginDir = "RPMPGP_PLUGIN_DIR"
	// EnvFDChannel names the descriptor number of the backend's descriptor
	// channel.
	EnvFDChannel = "RPMPGP_BACKEND_FD_CHANNEL"
	// ChildFDChannel is the descriptor number the channel gets in the
	// backend (the first of exec.Cmd.ExtraFiles).
	ChildFDChannel = 3
	// EnvOpenSSLFIPS carries the FIPS mode to the openssl backend, which
	// chooses it when it starts.
	EnvOpenSSLFIPS = "RPMPGP_OPENSSL_FIPS"
	// CookieKey and CookieValue are go-plugin's magic cookie of rpmpgp
	// backends.
	CookieKey   = "RPMPGP_BACKEND_PLUGIN"
	CookieValue = "a7d1b2f0-rpmpgp-backend-6c3e"
	// EnvSocketDir is go-plugin's variable for the directory of the
	// backend's Unix socket, which each start of go-plugin's sets anew.
	EnvSocketDir = "PLUGIN_UNIX_SOCKET_DIR"
)

// PluginEnv is what go-plugin's client (v1.8) adds to a backend's
// environment for rpmpgp's ClientConfig: the cookie, its default port range
// and the protocol versions offered. Should go-plugin change them, adoption
// compares unequal and the backend is started the usual way.
var PluginEnv = []string{
	CookieKey + "=" + CookieValue,
	"PLUGIN_MIN_PORT=10000",
	"PLUGIN_MAX_PORT=25000",
	"PLUGIN_PROTOCOL_VERSIONS=1",
}

// Process is a backend process started by [Start] and not adopted yet.
type Process struct {
	// Path is the binary as started; Dev and Ino identify the file.
	Path     string
	Dev, Ino uint64
	// Env is the environment the process got.
	Env []string
	// Proc is the process; Stdout and Stderr the read ends of its pipes;
	// FDChannel the host's end of its descriptor channel.
	Proc      *os.Process
	Stdout    *os.File
	Stderr    *os.File
	FDChannel *os.File
}

// Start starts the backend binary at path with env (the environment
// core/plugin would give it: the descriptor channel variable first, then
// the host's environment, then [PluginEnv]) and a descriptor channel. The
// process dies with the host (Pdeathsig, which follows the thread that
// starts it: package initialisation runs on the main thread, which lives as
// long as the host). Any failure returns nil: the backend is then started
// the usual way.
func Start(path string, env []string) *Process {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Mode&0o111 == 0 {
		return nil
	}
	p := &Process{Path: path, Dev: st.Dev, Ino: st.Ino, Env: env}
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_SEQPACKET|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		p.Discard()
		return nil
	}
	p.FDChannel = os.NewFile(uintptr(fds[0]), "rpmpgp-fdchannel-host")
	child := os.NewFile(uintptr(fds[1]), "rpmpgp-fdchannel-backend")
	defer child.Close()
	var outW, errW *os.File
	if p.Stdout, outW, err = os.Pipe(); err != nil {
		p.Discard()
		return nil
	}
	defer outW.Close()
	if p.Stderr, errW, err = os.Pipe(); err != nil {
		p.Discard()
		return nil
	}
	defer errW.Close()
	p.Proc, err = os.StartProcess(path, []string{path}, &os.ProcAttr{
		Env:   env,
		Files: []*os.File{os.Stdin, outW, errW, child},
		Sys:   &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	})
	if err != nil {
		p.Discard()
		return nil
	}
	return p
}

// Discard ends a process that is not adopted: killed and reaped, its pipes
// closed and the Unix socket it announced removed (go-plugin removes it only
// on a graceful exit). It is safe on nil.
func (p *Process) Discard() {
	if p == nil {
		return
	}
	if p.Proc != nil {
		_ = p.Proc.Kill()
		_, _ = p.Proc.Wait()
		if p.Stdout != nil {
			// The process is gone: the pipe holds what it wrote, then EOF.
			removeSocket(p.Stdout)
		}
	}
	for _, f := range []*os.File{p.Stdout, p.Stderr, p.FDChannel} {
		if f != nil {
			_ = f.Close()
		}
	}
}

// removeSocket removes the Unix socket of go-plugin's handshake line
// ("1|1|unix|/tmp/plugin123|grpc|") if out holds one.
func removeSocket(out *os.File) {
	var buf [4096]byte
	n, _ := out.Read(buf[:])
	line := buf[:n]
	field := 0
	start := 0
	for i := 0; i <= len(line); i++ {
		if i < len(line) && line[i] != '|' && line[i] != '\n' {
			continue
		}
		if field == 2 && string(line[start:i]) != "unix" {
			return
		}
		if field == 3 {
			path := string(line[start:i])
			var st syscall.Stat_t
			if syscall.Lstat(path, &st) == nil && st.Mode&syscall.S_IFMT == syscall.S_IFSOCK {
				_ = os.Remove(path)
			}
			return
		}
		field++
		start = i + 1
	}
}

// Environ is os.Environ with key set to value, the way os.Setenv would
// leave it: the first entry for key is replaced, or the entry appended.
func Environ(key, value string) []string {
	env := os.Environ()
	for i, kv := range env {
		if len(kv) > len(key) && kv[len(key)] == '=' && kv[:len(key)] == key {
			env[i] = key + "=" + value
			return env
		}
	}
	return append(env, key+"="+value)
}
