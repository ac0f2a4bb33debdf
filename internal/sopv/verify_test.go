package sopv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const msg = "hello, sopv\nsecond line\n"

// TestVerifyOutput checks the VERIFICATIONS lines and exit codes of verify
// on signatures made here with the fixture keys.
func TestVerifyOutput(t *testing.T) {
	ed := loadKey(t, "ed25519")
	sub := loadKey(t, "subkey")
	dir := t.TempDir()
	edSig := writeFile(t, dir, "ed.sig", ed.detach(t, msg, false, signedAt))
	edArmored := writeFile(t, dir, "ed.asc", armored(t, "PGP SIGNATURE", ed.detach(t, msg, false, signedAt)))
	textSig := writeFile(t, dir, "text.sig", ed.detach(t, msg, true, signedAt))
	subSig := writeFile(t, dir, "sub.sig", sub.detach(t, msg, false, signedAt))
	both := writeFile(t, dir, "both.sig", append(sub.detach(t, msg, false, signedAt), ed.detach(t, msg, false, signedAt)...))
	edLine := "2025-01-02T03:04:05Z " + ed.fpr() + " " + ed.fpr() + " mode:binary {\"signers\":[\"" + ed.certPath + "\"]}\n"
	subLine := "2025-01-02T03:04:05Z " + sub.signingFpr(t) + " " + sub.fpr() + " mode:binary {\"signers\":[\"" + sub.certPath + "\"]}\n"
	if sub.signingFpr(t) == sub.fpr() {
		t.Fatal("fixture subkey.asc signs with its primary key")
	}
	noSig := "sopv: NO_SIGNATURE: no acceptable signature found\n"
	for _, tc := range []struct {
		name   string
		data   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"binary", msg, []string{"verify", edSig, ed.certPath}, 0, edLine, ""},
		{"armored signature", msg, []string{"verify", edArmored, ed.certPath}, 0, edLine, ""},
		{"options end", msg, []string{"verify", "--", edSig, ed.certPath}, 0, edLine, ""},
		{"text mode over LF lines", msg, []string{"verify", textSig, ed.certPath}, 0, strings.Replace(edLine, "mode:binary", "mode:text", 1), ""},
		{"text mode over CRLF lines", strings.ReplaceAll(msg, "\n", "\r\n"), []string{"verify", textSig, ed.certPath}, 0, strings.Replace(edLine, "mode:binary", "mode:text", 1), ""},
		{"binary mode is not canonicalised", strings.ReplaceAll(msg, "\n", "\r\n"), []string{"verify", edSig, ed.certPath}, 3, "", noSig},
		{"signing subkey", msg, []string{"verify", subSig, sub.certPath}, 0, subLine, ""},
		{"two signatures, two certs", msg, []string{"verify", both, sub.certPath, ed.certPath}, 0, subLine + edLine, ""},
		{"two signatures, one cert", msg, []string{"verify", both, ed.certPath}, 0, edLine, ""},
		{"wrong data", msg + "x", []string{"verify", edSig, ed.certPath}, 3, "", noSig},
		{"unknown signer", msg, []string{"verify", edSig, sub.certPath}, 3, "", noSig},
		{"not-before inclusive", msg, []string{"verify", "--not-before=2025-01-02T03:04:05Z", edSig, ed.certPath}, 0, edLine, ""},
		{"not-before later", msg, []string{"verify", "--not-before", "2025-01-02T03:04:06Z", edSig, ed.certPath}, 3, "", noSig},
		{"not-after inclusive, offset", msg, []string{"verify", "--not-after=2025-01-02T04:04:05+01:00", edSig, ed.certPath}, 0, edLine, ""},
		{"not-after earlier", msg, []string{"verify", "--not-after", "2025-01-01", edSig, ed.certPath}, 3, "", noSig},
		{"not-after end of time", msg, []string{"verify", "--not-after=-", edSig, ed.certPath}, 0, edLine, ""},
		{"debug says why", msg, []string{"--debug", "verify", "--not-before=2026-01-01T00:00:00Z", edSig, ed.certPath}, 3, "",
			"sopv: debug: signature 1: made 2025-01-02T03:04:05Z, outside --not-before/--not-after\n" + noSig},
		{"bad date", msg, []string{"verify", "--not-before=yesterday", edSig, ed.certPath}, 1, "",
			"sopv: UNSPECIFIED: --not-before: \"yesterday\" is not an ISO-8601 date (e.g. 2024-01-02T15:04:05Z)\n"},
		{"certificate as SIGNATURES", msg, []string{"verify", ed.certPath, ed.certPath}, 41, "",
			"sopv: BAD_DATA: SIGNATURES " + ed.certPath + ": packet 1 has tag 6, not a signature\n"},
		{"no SIGNATURES", msg, []string{"verify"}, 19, "", "sopv: MISSING_ARG: missing argument: SIGNATURES\n"},
		{"no CERTS", msg, []string{"verify", edSig}, 19, "", "sopv: MISSING_ARG: missing argument: CERTS\n"},
		{"missing option value", msg, []string{"verify", edSig, ed.certPath, "--not-after"}, 19, "", "sopv: MISSING_ARG: option --not-after needs a value\n"},
		{"unknown option", msg, []string{"verify", "--frob", edSig, ed.certPath}, 37, "", "sopv: UNSUPPORTED_OPTION: unsupported option --frob\n"},
		{"short option", msg, []string{"verify", "-v", edSig, ed.certPath}, 37, "", "sopv: UNSUPPORTED_OPTION: unsupported option \"-v\"\n"},
		{"value given to a flag", msg, []string{"version", "--sopv=yes"}, 37, "", "sopv: UNSUPPORTED_OPTION: option --sopv takes no value\n"},
		{"missing input", msg, []string{"verify", filepath.Join(dir, "nope.sig"), ed.certPath}, 61, "",
			"sopv: MISSING_INPUT: open " + filepath.Join(dir, "nope.sig") + ": no such file or directory\n"},
		{"unknown special prefix", msg, []string{"verify", "@HTTP:x", ed.certPath}, 71, "", "sopv: UNSUPPORTED_SPECIAL_PREFIX: \"@HTTP:x\": unsupported special designator\n"},
		{"unset variable", msg, []string{"verify", edSig, "@ENV:NOPE"}, 61, "", "sopv: MISSING_INPUT: @ENV:NOPE: environment variable not set\n"},
		{"bad descriptor", msg, []string{"verify", edSig, "@FD:x"}, 71, "", "sopv: UNSUPPORTED_SPECIAL_PREFIX: \"@FD:x\": @FD: needs a descriptor number\n"},
		{"unknown subcommand", msg, []string{"sign"}, 69, "", "sopv: UNSUPPORTED_SUBCOMMAND: subcommand \"sign\" is not supported (sopv has version, verify, inline-verify)\n"},
		{"no subcommand", msg, nil, 19, "", "sopv: MISSING_ARG: missing subcommand (version, verify, inline-verify)\n"},
		{"unknown global option", msg, []string{"--frob", "version"}, 37, "", "sopv: UNSUPPORTED_OPTION: unsupported option \"--frob\"\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runSopv(t, []byte(tc.data), tc.args...)
			if code != tc.code || stdout != tc.stdout || stderr != tc.stderr {
				t.Errorf("sopv %q:\n got %d stdout %q stderr %q\nwant %d stdout %q stderr %q", tc.args, code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}

// TestSpecialDesignators reads CERTS from @ENV: and @FD: and refuses a
// designator that is also an existing file.
func TestSpecialDesignators(t *testing.T) {
	ed := loadKey(t, "ed25519")
	dir := t.TempDir()
	sig := writeFile(t, dir, "ed.sig", ed.detach(t, msg, false, signedAt))
	cert, err := os.ReadFile(ed.certPath)
	if err != nil {
		t.Fatal(err)
	}
	line := func(signer string) string {
		return "2025-01-02T03:04:05Z " + ed.fpr() + " " + ed.fpr() + " mode:binary {\"signers\":[\"" + signer + "\"]}\n"
	}
	run := func(e *Env, args ...string) (int, string, string) {
		var out, errb strings.Builder
		e.Stdin, e.Stdout, e.Stderr = strings.NewReader(msg), &out, &errb
		e.Backend, e.TempDir = inproc{t: t}, t.TempDir()
		return e.Run(args), out.String(), errb.String()
	}
	env := &Env{LookupEnv: func(n string) (string, bool) { return string(cert), n == "CERT" }}
	if code, out, errs := run(env, "verify", sig, "@ENV:CERT"); code != 0 || out != line("@ENV:CERT") {
		t.Errorf("@ENV: got %d %q %q", code, out, errs)
	}
	f, err := os.Open(ed.certPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env = &Env{OpenFD: func(n int) (*os.File, error) {
		if n != 7 {
			return nil, os.ErrNotExist
		}
		return f, nil
	}}
	if code, out, errs := run(env, "verify", sig, "@FD:7"); code != 0 || out != line("@FD:7") {
		t.Errorf("@FD: got %d %q %q", code, out, errs)
	}
	if code, _, errs := run(env, "verify", sig, "@FD:8"); code != 61 || errs != "sopv: MISSING_INPUT: @FD:8: file does not exist\n" {
		t.Errorf("@FD:8 got %d %q", code, errs)
	}
	t.Chdir(dir)
	writeFile(t, dir, "@ENV:CERT", cert)
	if code, _, errs := run(&Env{}, "verify", sig, "@ENV:CERT"); code != 73 || errs != "sopv: AMBIGUOUS_INPUT: \"@ENV:CERT\" is both a special designator and an existing file\n" {
		t.Errorf("ambiguous got %d %q", code, errs)
	}
}

// TestVersion checks every variant of version.
func TestVersion(t *testing.T) {
	d, err := inproc{t: t}.Describe()
	if err != nil || d.Name != "gocrypto" || d.Library == "" {
		t.Fatalf("describe: %+v %v", d, err)
	}
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
	}{
		{[]string{"version"}, 0, "rpmpgp-sopv test\n"},
		{[]string{"version", "--sopv"}, 0, "1.0\n"},
		{[]string{"version", "--sop-spec"}, 0, "~draft-dkg-openpgp-stateless-cli-16\nOnly the sopv subset (version, verify, inline-verify) is implemented.\n"},
		{[]string{"version", "--backend"}, 0, d.Name + " " + d.Version + " (" + d.Library + ")\n"},
		{[]string{"--debug", "version", "--debug"}, 0, "rpmpgp-sopv test\n"},
		{[]string{"version", "--backend", "--sopv"}, 37, ""},
		{[]string{"version", "--frob"}, 37, ""},
		{[]string{"version", "extra"}, 37, ""},
	} {
		code, stdout, stderr := runSopv(t, nil, tc.args...)
		if code != tc.code || stdout != tc.stdout {
			t.Errorf("sopv %q: got %d %q (stderr %q), want %d %q", tc.args, code, stdout, stderr, tc.code, tc.stdout)
		}
	}
	code, stdout, _ := runSopv(t, nil, "version", "--extended")
	lines := strings.Split(stdout, "\n")
	if code != 0 || len(lines) < 4 || lines[0] != "rpmpgp-sopv test" || lines[1] != "sopv 1.0 (~draft-dkg-openpgp-stateless-cli-16)" ||
		!strings.HasPrefix(lines[2], "backend: gocrypto ") || lines[3] != "profile: strict" {
		t.Errorf("version --extended: %d %q", code, stdout)
	}
}

// TestParseDate checks the DATE forms.
func TestParseDate(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"2025-01-02T03:04:05Z":      signedAt,
		"2025-01-02T04:04:05+01:00": signedAt,
		"2025-01-02T03:04:05.5Z":    signedAt.Add(500 * time.Millisecond),
		"20250102T030405Z":          signedAt,
		"2025-01-02":                time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC),
		"now":                       now,
	} {
		got, bounded, err := parseDate(in, now)
		if err != nil || !bounded || !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v %v %v, want %v", in, got, bounded, err, want)
		}
	}
	if _, bounded, err := parseDate("-", now); bounded || err != nil {
		t.Errorf("parseDate(-) = %v %v", bounded, err)
	}
	for _, bad := range []string{"", "2025", "02/01/2025", "2025-01-02T03:04:05"} {
		if _, _, err := parseDate(bad, now); err == nil {
			t.Errorf("parseDate(%q) accepted", bad)
		}
	}
}
