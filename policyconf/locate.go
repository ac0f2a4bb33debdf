package policyconf

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/rpmpgp/rpmpgp/internal/readlimit"
)

// The policy search order of rpm-sequoia (src/lib.rs _rpmInitCrypto, 1.7.0
// and later), which falls back to sequoia-policy-config's
// parse_default_config.
const (
	// EnvRPMSequoia names rpm-sequoia's own policy variable.
	EnvRPMSequoia = "RPM_SEQUOIA_CRYPTO_POLICY"
	// EnvSequoia names the generic Sequoia policy variable.
	EnvSequoia = "SEQUOIA_CRYPTO_POLICY"
	// RPMSequoiaConfig is the crypto-policies back end for rpm-sequoia.
	RPMSequoiaConfig = "/etc/crypto-policies/back-ends/rpm-sequoia.config"
	// RPMSequoiaConfigUsr is the image-based-system fallback for
	// [RPMSequoiaConfig] (rpm-sequoia 1.7.0, PR #72).
	RPMSequoiaConfigUsr = "/usr/share/crypto-policies/back-ends/rpm-sequoia.config"
	// SequoiaConfig is the crypto-policies back end for every Sequoia user.
	SequoiaConfig = "/etc/crypto-policies/back-ends/sequoia.config"
)

// ErrRelativePath is wrapped by the error [Locate] returns when a policy
// variable holds a relative path (sequoia-policy-config's RelativePathError).
var ErrRelativePath = errors.New("relative path not allowed")

// Env is what [Locate] and [Load] read: the environment and the file system.
// A nil field means the real one (os.LookupEnv, a bounded read, and a stat that
// follows symbolic links, like Rust's Path::exists).
type Env struct {
	// Getenv returns a variable's value and whether it is set.
	Getenv func(name string) (string, bool)
	// ReadFile returns a file's contents; a missing file is an error
	// satisfying errors.Is(err, fs.ErrNotExist).
	ReadFile func(path string) ([]byte, error)
	// Exists reports whether path exists, following symbolic links (any
	// error, such as a dangling link or EACCES, counts as "does not exist").
	Exists func(path string) bool
}

// MaxFile bounds a crypto policy file. It is read through this limit,
// never trusted from stat: /dev/zero or a FIFO has no size.
const MaxFile = 1 << 20

// OSEnv returns the Env of the running process; its ReadFile reads at most
// [MaxFile] bytes (readlimit.File).
func OSEnv() Env {
	return Env{
		Getenv:   os.LookupEnv,
		ReadFile: func(path string) ([]byte, error) { return readlimit.File(path, MaxFile) },
		Exists: func(path string) bool {
			_, err := os.Stat(path)
			return err == nil
		},
	}
}

func (e Env) withDefaults() Env {
	d := OSEnv()
	if e.Getenv == nil {
		e.Getenv = d.Getenv
	}
	if e.ReadFile == nil {
		e.ReadFile = d.ReadFile
	}
	if e.Exists == nil {
		e.Exists = d.Exists
	}
	return e
}

// SourceKind says how a policy was found.
type SourceKind int

const (
	// SourceDefaults: nothing was configured; the built-in defaults apply.
	SourceDefaults SourceKind = iota
	// SourceFile: a file of the search order (Path).
	SourceFile
	// SourceEnvFile: the file a variable names (Var, Path).
	SourceEnvFile
	// SourceEnvEmpty: a variable set to "" (Var): the built-in defaults,
	// and nothing further is searched.
	SourceEnvEmpty
	// SourceExplicit: a file given explicitly (--policy FILE) (Path).
	SourceExplicit
)

// Source says where a policy came from.
type Source struct {
	Kind SourceKind
	// Var is the environment variable for SourceEnvFile and SourceEnvEmpty.
	Var string
	// Path is the file for SourceFile, SourceEnvFile and SourceExplicit.
	Path string
}

// String renders s as "/etc/...", "$VAR=/path", `$VAR=""` or "built-in
// defaults".
func (s Source) String() string {
	switch s.Kind {
	case SourceFile, SourceExplicit:
		return s.Path
	case SourceEnvFile:
		return "$" + s.Var + "=" + s.Path
	case SourceEnvEmpty:
		return "$" + s.Var + `=""`
	}
	return "built-in defaults"
}

// IsDefault reports whether the policy of this source is the built-in
// default one (nothing configured, or a variable set to "").
func (s Source) IsDefault() bool { return s.Kind == SourceDefaults || s.Kind == SourceEnvEmpty }

// Locate finds the policy file exactly as rpm-sequoia does and returns where
// it came from and its raw contents (nil when the defaults apply):
//
//  1. $RPM_SEQUOIA_CRYPTO_POLICY if set: "" means the defaults and nothing
//     else is read; a relative path is an error; an absolute path must be
//     readable.
//  2. The first of /etc/crypto-policies/back-ends/rpm-sequoia.config and
//     /usr/share/crypto-policies/back-ends/rpm-sequoia.config that exists
//     (following symbolic links); it must be readable. If neither exists,
//     the /etc one is still read, and only "not found" moves on.
//  3. $SEQUOIA_CRYPTO_POLICY, with the rules of step 1.
//  4. /etc/crypto-policies/back-ends/sequoia.config; "not found" means the
//     defaults, any other read error is an error.
//
// Only one file is ever read.
func Locate(env Env) (Source, []byte, error) {
	env = env.withDefaults()
	if src, data, found, err := locateEnv(env, EnvRPMSequoia); found || err != nil {
		return src, data, err
	}
	path := RPMSequoiaConfig
	for _, p := range []string{RPMSequoiaConfig, RPMSequoiaConfigUsr} {
		if env.Exists(p) {
			path = p
			break
		}
	}
	if src, data, found, err := locateFile(env, path); found || err != nil {
		return src, data, err
	}
	if src, data, found, err := locateEnv(env, EnvSequoia); found || err != nil {
		return src, data, err
	}
	if src, data, found, err := locateFile(env, SequoiaConfig); found || err != nil {
		return src, data, err
	}
	return Source{Kind: SourceDefaults}, nil, nil
}

// locateEnv is sequoia-policy-config's parse_env_config.
func locateEnv(env Env, name string) (Source, []byte, bool, error) {
	val, ok := env.Getenv(name)
	if !ok {
		return Source{}, nil, false, nil
	}
	if val == "" {
		return Source{Kind: SourceEnvEmpty, Var: name}, nil, true, nil
	}
	src := Source{Kind: SourceEnvFile, Var: name, Path: val}
	if !filepath.IsAbs(val) {
		return src, nil, true, fmt.Errorf("$%s=%s: %w (expected an absolute path, or \"\" for the built-in defaults)", name, strconv.Quote(val), ErrRelativePath)
	}
	data, err := env.ReadFile(val)
	if err != nil {
		return src, nil, true, fmt.Errorf("$%s=%s: reading crypto policy: %w", name, val, err)
	}
	return src, data, true, nil
}

// locateFile is sequoia-policy-config's parse_config_file: a missing file
// is not an error.
func locateFile(env Env, path string) (Source, []byte, bool, error) {
	src := Source{Kind: SourceFile, Path: path}
	data, err := env.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Source{}, nil, false, nil
		}
		return src, nil, true, fmt.Errorf("reading crypto policy: %w", err)
	}
	return src, data, true, nil
}

// Load returns the effective policy: the file explicitPath if it is not ""
// (--policy FILE; it wins over the search and must be readable), otherwise
// what [Locate] finds, parsed on top of [Default]. Errors are fatal, as in
// rpm-sequoia: there is no fallback to the defaults. The returned bytes are
// the file's raw contents (nil for the defaults); the Policy's Source field
// is the Source's String ("" for built-in defaults).
func Load(explicitPath string, env Env) (*Policy, Source, []byte, error) {
	env = env.withDefaults()
	var (
		src  Source
		data []byte
		err  error
	)
	if explicitPath != "" {
		src = Source{Kind: SourceExplicit, Path: explicitPath}
		data, err = env.ReadFile(explicitPath)
		if err != nil {
			return nil, src, nil, fmt.Errorf("reading crypto policy: %w", err)
		}
	} else {
		src, data, err = Locate(env)
		if err != nil {
			return nil, src, data, err
		}
	}
	if src.IsDefault() {
		p := Default()
		if src.Kind == SourceEnvEmpty {
			p.Source = src.String()
		}
		return p, src, data, nil
	}
	p, err := Parse(src.Path, data)
	if err != nil {
		return nil, src, data, err
	}
	p.Source = src.String()
	return p, src, data, nil
}
