package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// fipsConf is the OpenSSL configuration of the FIPS provider built by
// internal/cmd/fipsprovider: $RPMPGP_FIPS_CONF, else its last build.
func fipsConf() string {
	if p := os.Getenv("RPMPGP_FIPS_CONF"); p != "" {
		return p
	}
	return "/var/cache/rpmpgp/fips/current/openssl.cnf"
}

// TestScripts runs the txtar CLI scenarios in testdata/script against the
// built binaries (backends out of process, as users run them).
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
			// The backends are found beside rpmpgp in binDir: no
			// $RPMPGP_PLUGIN_DIR, which rpmpgp would name on stderr.
			env.Setenv("RPMPGP_PLUGIN_DIR", "")
			env.Setenv("FIXTURES", testutil.Fixtures())
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/config")
			env.Setenv("XDG_CACHE_HOME", env.WorkDir+"/cache")
			env.Setenv("RPM_SEQUOIA_CRYPTO_POLICY", "")
			// Hermetic: the host's rpm keystore never changes a verdict.
			env.Setenv("RPMPGP_ROOT", env.WorkDir+"/sysroot")
			env.Setenv("FIPS_CONF", fipsConf())
			// The resident backends a script starts in $WORK/run
			// (resident.txtar) end with it, even when it fails.
			run := env.WorkDir + "/run"
			env.Defer(func() { _, _ = plugin.StopResidentIn(run, 5*time.Second) })
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"rc": cmdRC,
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "openssl":
				return hasOpenSSL, nil
			case "fipsprovider":
				// Where OpenSSL 3 on Debian looks for its FIPS provider.
				_, err := os.Stat("/usr/lib/x86_64-linux-gnu/ossl-modules/fips.so")
				return err == nil, nil
			case "fipsconf":
				// The FIPS provider make fips-provider builds: a CI run
				// must have it.
				_, err := os.Stat(fipsConf())
				if err != nil && os.Getenv("CI") != "" {
					return false, fmt.Errorf("no FIPS provider configuration %s under CI: run make fips-provider", fipsConf())
				}
				return err == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// cmdRC is the script command "rc N PROGRAM ARGS...": exec that checks the
// exact exit status N (stdout and stderr are kept for the checks after it,
// as with exec).
func cmdRC(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: rc STATUS PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("rc: status %q: %v", args[0], err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("rc: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}
