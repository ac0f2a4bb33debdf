package policyconf

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// fakeFS is an in-memory environment and file system.
type fakeFS struct {
	env    map[string]string
	files  map[string]string
	denied map[string]bool // reading fails with EACCES
	reads  []string
}

func (f *fakeFS) Env() Env {
	return Env{
		Getenv: func(k string) (string, bool) { v, ok := f.env[k]; return v, ok },
		ReadFile: func(p string) ([]byte, error) {
			f.reads = append(f.reads, p)
			if f.denied[p] {
				return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission}
			}
			if s, ok := f.files[p]; ok {
				return []byte(s), nil
			}
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
		},
		Exists: func(p string) bool {
			_, ok := f.files[p]
			return ok
		},
	}
}

const (
	rpmEtc = RPMSequoiaConfig
	rpmUsr = RPMSequoiaConfigUsr
	sqEtc  = SequoiaConfig
)

func TestLocate(t *testing.T) {
	all := map[string]string{rpmEtc: "# etc rpm", rpmUsr: "# usr rpm", sqEtc: "# sequoia", "/p/rpm.toml": "# env rpm", "/p/sq.toml": "# env sq"}
	cases := []struct {
		name    string
		env     map[string]string
		files   []string
		denied  []string
		want    string // Source.String()
		data    string
		wantErr string
		errIs   error
		reads   []string // the files read, in order (nil: don't check)
	}{
		{name: "nothing", want: "built-in defaults", reads: []string{rpmEtc, sqEtc}},
		{name: "rpm env empty reads nothing", env: map[string]string{EnvRPMSequoia: "", EnvSequoia: "/p/sq.toml"}, files: []string{rpmEtc, rpmUsr, sqEtc, "/p/sq.toml"}, want: `$RPM_SEQUOIA_CRYPTO_POLICY=""`, reads: []string{}},
		{name: "rpm env relative", env: map[string]string{EnvRPMSequoia: "rpm.toml"}, files: []string{rpmEtc}, wantErr: `$RPM_SEQUOIA_CRYPTO_POLICY="rpm.toml": relative path not allowed (expected an absolute path, or "" for the built-in defaults)`, errIs: ErrRelativePath},
		{name: "rpm env file", env: map[string]string{EnvRPMSequoia: "/p/rpm.toml", EnvSequoia: "/p/sq.toml"}, files: []string{"/p/rpm.toml", rpmEtc, "/p/sq.toml"}, want: "$RPM_SEQUOIA_CRYPTO_POLICY=/p/rpm.toml", data: "# env rpm", reads: []string{"/p/rpm.toml"}},
		{name: "rpm env missing is an error", env: map[string]string{EnvRPMSequoia: "/p/rpm.toml"}, files: []string{rpmEtc}, wantErr: "$RPM_SEQUOIA_CRYPTO_POLICY=/p/rpm.toml: reading crypto policy: open /p/rpm.toml: file does not exist", errIs: fs.ErrNotExist},
		{name: "etc rpm-sequoia wins", env: map[string]string{EnvSequoia: "/p/sq.toml"}, files: []string{rpmEtc, rpmUsr, sqEtc, "/p/sq.toml"}, want: rpmEtc, data: "# etc rpm", reads: []string{rpmEtc}},
		{name: "usr rpm-sequoia", env: map[string]string{EnvSequoia: "/p/sq.toml"}, files: []string{rpmUsr, sqEtc, "/p/sq.toml"}, want: rpmUsr, data: "# usr rpm", reads: []string{rpmUsr}},
		{name: "etc rpm-sequoia unreadable", files: []string{rpmEtc, rpmUsr}, denied: []string{rpmEtc}, wantErr: "reading crypto policy: open " + rpmEtc + ": permission denied", errIs: fs.ErrPermission},
		{name: "usr unreadable", files: []string{rpmUsr, sqEtc}, denied: []string{rpmUsr}, wantErr: "reading crypto policy: open " + rpmUsr + ": permission denied"},
		// Neither path exists for Exists (say, the directory cannot be
		// searched), so rpm-sequoia reads the /etc one anyway: EACCES is not
		// "not found", so it is an error.
		{name: "etc not found by Exists but unreadable", files: []string{sqEtc}, denied: []string{rpmEtc}, wantErr: "reading crypto policy: open " + rpmEtc + ": permission denied"},
		{name: "rpm env empty string defaults even with a bad file", env: map[string]string{EnvRPMSequoia: ""}, files: []string{rpmEtc}, denied: []string{rpmEtc}, want: `$RPM_SEQUOIA_CRYPTO_POLICY=""`},
		{name: "sequoia env empty", env: map[string]string{EnvSequoia: ""}, files: []string{sqEtc}, want: `$SEQUOIA_CRYPTO_POLICY=""`, reads: []string{rpmEtc}},
		{name: "sequoia env relative", env: map[string]string{EnvSequoia: "./sq.toml"}, files: []string{sqEtc}, wantErr: `$SEQUOIA_CRYPTO_POLICY="./sq.toml": relative path not allowed (expected an absolute path, or "" for the built-in defaults)`, errIs: ErrRelativePath},
		{name: "sequoia env file", env: map[string]string{EnvSequoia: "/p/sq.toml"}, files: []string{sqEtc, "/p/sq.toml"}, want: "$SEQUOIA_CRYPTO_POLICY=/p/sq.toml", data: "# env sq", reads: []string{rpmEtc, "/p/sq.toml"}},
		{name: "sequoia env missing", env: map[string]string{EnvSequoia: "/p/none.toml"}, files: []string{sqEtc}, wantErr: "$SEQUOIA_CRYPTO_POLICY=/p/none.toml: reading crypto policy: open /p/none.toml: file does not exist", errIs: fs.ErrNotExist},
		{name: "sequoia.config", files: []string{sqEtc}, want: sqEtc, data: "# sequoia", reads: []string{rpmEtc, sqEtc}},
		{name: "sequoia.config unreadable", files: []string{sqEtc}, denied: []string{sqEtc}, wantErr: "reading crypto policy: open " + sqEtc + ": permission denied", errIs: fs.ErrPermission},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeFS{env: c.env, files: map[string]string{}, denied: map[string]bool{}}
			for _, p := range c.files {
				f.files[p] = all[p]
			}
			for _, p := range c.denied {
				f.denied[p] = true
			}
			src, data, err := Locate(f.Env())
			if c.wantErr != "" {
				if err == nil || err.Error() != c.wantErr {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				if c.errIs != nil && !errors.Is(err, c.errIs) {
					t.Errorf("errors.Is(err, %v) = false", c.errIs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if src.String() != c.want || string(data) != c.data {
				t.Errorf("got %s %q, want %s %q", src, data, c.want, c.data)
			}
			if c.reads != nil && strings.Join(f.reads, ",") != strings.Join(c.reads, ",") {
				t.Errorf("reads = %q, want %q", f.reads, c.reads)
			}
		})
	}
}

func TestLocateDanglingSymlink(t *testing.T) {
	// A dangling /etc symlink: Exists is false and reading gives ENOENT.
	// With neither rpm-sequoia path existing, rpm-sequoia reads the /etc
	// one anyway, gets "not found" and goes on with the generic search.
	f := &fakeFS{files: map[string]string{sqEtc: "# sequoia"}}
	src, _, err := Locate(f.Env())
	if err != nil || src.Kind != SourceFile || src.Path != sqEtc {
		t.Fatalf("got %v, %v", src, err)
	}
}

func TestSourceString(t *testing.T) {
	for _, c := range []struct {
		s    Source
		want string
		def  bool
	}{
		{Source{}, "built-in defaults", true},
		{Source{Kind: SourceFile, Path: "/etc/a"}, "/etc/a", false},
		{Source{Kind: SourceExplicit, Path: "a.toml"}, "a.toml", false},
		{Source{Kind: SourceEnvFile, Var: "V", Path: "/a"}, "$V=/a", false},
		{Source{Kind: SourceEnvEmpty, Var: "V"}, `$V=""`, true},
	} {
		if got := c.s.String(); got != c.want || c.s.IsDefault() != c.def {
			t.Errorf("%+v: %q %v, want %q %v", c.s, got, c.s.IsDefault(), c.want, c.def)
		}
	}
}

func TestLoad(t *testing.T) {
	good := "[hash_algorithms]\nsha1 = \"always\"\n"
	f := &fakeFS{
		env:   map[string]string{EnvRPMSequoia: "relative"},
		files: map[string]string{"my.toml": good, rpmEtc: "[x]\n", "/bad.toml": "[hash_algorithms]\nsha1 = 1\n"},
	}
	// An explicit path wins over everything, even a broken environment.
	p, src, data, err := Load("my.toml", f.Env())
	if err != nil || src.Kind != SourceExplicit || string(data) != good || p.Source != "my.toml" || p.HashCR["sha1"] != nil {
		t.Fatalf("explicit: %v %v %q %v", p, src, data, err)
	}
	if _, _, _, err := Load("missing.toml", f.Env()); err == nil || !errors.Is(err, fs.ErrNotExist) ||
		err.Error() != "reading crypto policy: open missing.toml: file does not exist" {
		t.Errorf("explicit missing: %v", err)
	}
	// The search: a relative variable is fatal.
	if _, _, _, err := Load("", f.Env()); !errors.Is(err, ErrRelativePath) {
		t.Errorf("relative env: %v", err)
	}
	// A parse error names the file; no fallback to the defaults.
	f.env[EnvRPMSequoia] = "/bad.toml"
	p, src, _, err = Load("", f.Env())
	if p != nil || err == nil || err.Error() != "/bad.toml: hash_algorithms.sha1: "+badCutoff+"1" || src.String() != "$RPM_SEQUOIA_CRYPTO_POLICY=/bad.toml" {
		t.Errorf("bad file: %v %v %v", p, src, err)
	}
	// The /etc file (unknown section) fails too.
	delete(f.env, EnvRPMSequoia)
	if _, _, _, err := Load("", f.Env()); err == nil || !strings.HasPrefix(err.Error(), rpmEtc+": x: unknown section") {
		t.Errorf("etc file: %v", err)
	}
	// Empty variable: defaults, labelled.
	f.env[EnvRPMSequoia] = ""
	p, src, data, err = Load("", f.Env())
	if err != nil || data != nil || src.Kind != SourceEnvEmpty || p.Source != `$RPM_SEQUOIA_CRYPTO_POLICY=""` || !p.Equal(Default()) {
		t.Errorf("empty env: %v %v %v", p, src, err)
	}
	// Nothing at all: the built-in defaults, Source "".
	p, src, data, err = Load("", (&fakeFS{}).Env())
	if err != nil || data != nil || src.Kind != SourceDefaults || p.Source != "" || !p.Equal(Default()) {
		t.Errorf("defaults: %v %v %v", p, src, err)
	}
	// A file found by the search: Source is its path.
	p, src, _, err = Load("", (&fakeFS{files: map[string]string{rpmUsr: good}}).Env())
	if err != nil || p.Source != rpmUsr || src.Kind != SourceFile || p.HashCR["sha1"] != nil {
		t.Errorf("usr file: %v %v %v", p, src, err)
	}
}

func TestOSEnvDefaults(t *testing.T) {
	// A zero Env uses the real process environment; with the variable set
	// to "" nothing is read.
	t.Setenv(EnvRPMSequoia, "")
	src, data, err := Locate(Env{})
	if err != nil || src.Kind != SourceEnvEmpty || data != nil {
		t.Fatalf("%v %q %v", src, data, err)
	}
	dir := t.TempDir()
	t.Setenv(EnvRPMSequoia, dir+"/p.toml")
	if _, _, err := Locate(Env{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if !OSEnv().Exists(dir) || OSEnv().Exists(dir+"/nope") {
		t.Errorf("OSEnv().Exists")
	}
}
