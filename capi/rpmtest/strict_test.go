package rpmtest

import (
	"path/filepath"
	"strings"
	"testing"
)

// step is one command of a scenario; {db} is the throwaway --dbpath.
type step struct {
	argv []string
	// calls are functions the trace must show under the preload.
	calls []string
}

func rpmkeys(args ...string) []string {
	return append([]string{"rpmkeys", "--dbpath", "{db}"}, args...)
}
func rpm(args ...string) []string { return append([]string{"rpm", "--dbpath", "{db}"}, args...) }

// scenario runs steps in a fresh rpmdb plain ("plain") and under the
// preload with backend, and compares both transcripts with
// testdata/<name>.plain.txt and testdata/<name>.<backend>.txt.
func scenario(t *testing.T, h *harness, name, backend string, steps []step) {
	t.Helper()
	for _, mode := range []string{"", backend} {
		label := mode
		if mode == "" {
			label = "plain"
		}
		db := filepath.Join(t.TempDir(), "db")
		repl := strings.NewReplacer(db, "{db}", fixture(""), "{testdata}")
		var argvs []string
		var results []result
		for _, s := range steps {
			argv := make([]string, len(s.argv))
			for i, a := range s.argv {
				argv[i] = strings.ReplaceAll(a, "{db}", db)
			}
			r := h.run(mode, argv...)
			if mode != "" {
				if len(r.trace) == 0 {
					t.Errorf("%s: %s: no trace line: the preload was not active", label, strings.Join(s.argv, " "))
				}
				for _, fn := range s.calls {
					if !r.traced(fn) {
						t.Errorf("%s: %s: the trace shows no %s call; trace:\n%s", label, strings.Join(s.argv, " "), fn, strings.Join(r.trace, "\n"))
					}
				}
			}
			argvs = append(argvs, strings.Join(argv, " "))
			results = append(results, r)
		}
		expect(t, name+"."+label+".txt", transcript(repl, argvs, results))
	}
}

// TestStrictDoneWhen is the acceptance list of issue 18 with the gocrypto
// backend: what plain rpm 4.18 does and what it does under the preload.
func TestStrictDoneWhen(t *testing.T) {
	h := newHarness(t)
	importKey := func(key string) step {
		return step{rpmkeys("--import", fixture("keys/"+key+".asc")), []string{"pgpParsePkts", "pgpPubKeyLint", "pgpPrtParams"}}
	}
	verify := func(pkg string) step {
		return step{rpmkeys("-Kv", fixture("rpms/"+pkg+".rpm")), []string{"pgpPrtParams", "pgpVerifySignature"}}
	}
	// Plain 4.18 says OK to SHA-1; the strict backend NOTTRUSTED.
	t.Run("sha1", func(t *testing.T) {
		scenario(t, h, "sha1", "gocrypto", []step{importKey("rsa2048"), verify("go-rsa-sha1")})
	})
	// Plain 4.18 cannot import an ECDSA key; under the preload it imports
	// and the package verifies, and rpm -qi shows the key.
	t.Run("p256", func(t *testing.T) {
		scenario(t, h, "p256", "gocrypto", []step{importKey("p256"), verify("go-p256"),
			{rpm("-q", "--qf", `%{NAME}-%{VERSION}-%{RELEASE} %{PACKAGER}\n%{DESCRIPTION}\n`, "gpg-pubkey"), nil}})
	})
	t.Run("tampered", func(t *testing.T) {
		scenario(t, h, "tampered", "gocrypto", []step{importKey("rsa2048"), verify("rpmsign-rsa2048-tamper-header")})
	})
	t.Run("rsa4096", func(t *testing.T) {
		scenario(t, h, "rsa4096", "gocrypto", []step{importKey("rsa4096"), verify("rpmsign-rsa4096"),
			{rpm("-K", fixture("rpms/rpmsign-rsa4096.rpm")), []string{"pgpVerifySignature"}},
			{rpm("-qi", "gpg-pubkey"), []string{"pgpPrtParams"}}})
	})
	// rpm -i --test: a SHA-1 signature is refused at rpm's default level;
	// a weak (RSA-1024) key is refused at import, so at level signature its
	// package is refused too. Plain 4.18 installs both.
	t.Run("install", func(t *testing.T) {
		install := func(pkg string, args ...string) step {
			argv := rpm(append([]string{"-i", "--test", "--nodeps"}, args...)...)
			return step{append(argv, fixture("rpms/"+pkg+".rpm")), []string{"pgpVerifySignature"}}
		}
		scenario(t, h, "install", "gocrypto", []step{importKey("rsa2048"), importKey("rsa1024"),
			install("go-rsa-sha1"),
			install("go-rsa1024", "--define", "_pkgverify_level signature"),
			install("rpmsign-rsa2048"),
			{rpm("-i", "--justdb", "--nodeps", fixture("rpms/go-rsa-sha1.rpm")), []string{"pgpVerifySignature"}},
			{rpm("-i", "--justdb", "--nodeps", fixture("rpms/rpmsign-rsa2048.rpm")), []string{"pgpVerifySignature"}},
			{rpm("-q", "rpmpgp-fixture"), nil},
		})
	})
}

// TestFailClosed: a backend that cannot start makes rpm's OpenPGP calls
// fail (BAD, never OK) with one message.
func TestFailClosed(t *testing.T) {
	h := newHarness(t)
	db := filepath.Join(t.TempDir(), "db")
	r := h.run("", "rpmkeys", "--dbpath", db, "--import", fixture("keys/rsa2048.asc"))
	if r.rc != 0 {
		t.Fatalf("plain import: %d %s", r.rc, r.stderr)
	}
	r = h.run("no-such-backend", "rpmkeys", "--dbpath", db, "-Kv", fixture("rpms/rpmsign-rsa2048.rpm"))
	repl := strings.NewReplacer(db, "{db}", fixture(""), "{testdata}", h.pluginDir, "{plugins}")
	expect(t, "failclosed.no-such-backend.txt", transcript(repl, []string{"rpmkeys --dbpath {db} -Kv {testdata}/rpms/rpmsign-rsa2048.rpm"}, []result{r}))
	if !r.traced("pgpPrtParams") {
		t.Error("no pgpPrtParams in the trace")
	}
	// The message goes to stderr once (the harness files it with the trace
	// lines, which share its prefix).
	n := 0
	for _, l := range r.trace {
		if strings.HasPrefix(l, tracePrefix+`backend "no-such-backend": backend not found`) &&
			strings.HasSuffix(l, "; every OpenPGP operation of this process fails") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d messages about the backend, want 1; stderr:\n%s", n, strings.Join(r.trace, "\n"))
	}
}
