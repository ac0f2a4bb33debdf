package conformance

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
)

// BackendVerifier is the [Verifier] that runs one of rpmpgp's own backends
// through the core API (the same flow as `rpmpgp checksig`): a fresh
// [core.Keyring] per case, then [verify.Verifier] with the profile's defaults
// ([core.Defaults]; strict: rpm 6, level all, MD5/SHA-1 off; legacy: rpm
// 4.18, level digest). The backend may be in-process or a plugin client; it
// must already be initialised (Init).
type BackendVerifier struct {
	name    string
	profile core.Profile
	b       core.Backend
}

// NewBackendVerifier wraps b as a verifier named name, held to the profile
// b describes itself with.
func NewBackendVerifier(name string, b core.Backend) (*BackendVerifier, error) {
	d, err := b.Describe()
	if err != nil {
		return nil, fmt.Errorf("%s: describe: %w", name, err)
	}
	if !d.Profile.Valid() {
		return nil, fmt.Errorf("%s: unknown profile %v (want strict or legacy)", name, d.Profile)
	}
	return &BackendVerifier{name: name, profile: d.Profile, b: b}, nil
}

// Name implements [Verifier].
func (v *BackendVerifier) Name() string { return v.name }

// Profile implements [Verifier].
func (v *BackendVerifier) Profile() core.Profile { return v.profile }

// Supports implements [Verifier]: every runnable kind.
func (v *BackendVerifier) Supports(c *corpus.Case) bool { return c.NotApplicable == "" }

func (v *BackendVerifier) config() core.VerifyConfig { return core.Defaults(v.profile) }

// Run implements [Verifier]. A backend error (no verdict) or a panic is an
// "error" outcome.
func (v *BackendVerifier) Run(ctx context.Context, c *corpus.Case) (out Outcome) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			out = errorOutcome("panic: %v", r)
		}
		out.Duration = time.Since(start)
	}()
	if err := ctx.Err(); err != nil {
		return errorOutcome("%v", err)
	}
	out, err := v.run(c)
	if err != nil {
		return errorOutcome("%v", err)
	}
	out.ExitCode = -1
	return out
}

func (v *BackendVerifier) run(c *corpus.Case) (Outcome, error) {
	switch c.Kind {
	case corpus.KindPackage:
		return v.pkg(c)
	case corpus.KindKey:
		return v.key(c)
	case corpus.KindFingerprint:
		raw, err := os.ReadFile(c.Input)
		if err != nil {
			return Outcome{}, err
		}
		fp, err := v.b.Fingerprint(raw)
		if err != nil || len(fp) == 0 {
			// pgpPubkeyFingerprint returning -1.
			return Outcome{Verdict: VerdictFail, Detail: errText(err)}, nil
		}
		return Outcome{Verdict: hex.EncodeToString(fp)}, nil
	case corpus.KindSigParse:
		raw, err := os.ReadFile(c.Input)
		if err != nil {
			return Outcome{}, err
		}
		pr, err := v.b.ParseSignature(raw)
		if err != nil {
			return Outcome{}, err
		}
		if !pr.OK() {
			return Outcome{Verdict: VerdictParseFail, Detail: pr.Lint}, nil
		}
		return Outcome{Verdict: "OK", Detail: pr.Lint}, nil
	case corpus.KindDetached:
		return v.detached(c)
	case corpus.KindCert:
		return v.cert(c)
	}
	return Outcome{Verdict: VerdictNA}, nil
}

func (v *BackendVerifier) pkg(c *corpus.Case) (Outcome, error) {
	kr, notes, err := v.keyring(c)
	if err != nil {
		return Outcome{}, err
	}
	ver, err := verify.NewVerifier(v.b, kr, v.config())
	if err != nil {
		return Outcome{}, err
	}
	r, err := ver.VerifyFile(c.Input)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Verdict: VerdictPass}
	if r.Failed {
		out.Verdict = VerdictFail
	}
	if r.ReadFailed || r.OpenFailed {
		out.Unreadable = true
		notes = append(notes, r.Error)
	} else {
		out.Items = map[string]string{}
		for _, it := range r.Items {
			if !it.Shown {
				continue
			}
			out.Items[it.Name()] = it.RC.String()
			if it.Msg != "" {
				notes = append(notes, it.Name()+": "+it.Msg)
			}
			for _, l := range it.Lints {
				notes = append(notes, it.Name()+": "+l.Text)
			}
		}
	}
	for _, l := range r.Lints {
		notes = append(notes, l.Text)
	}
	out.Detail = joinNonEmpty(notes)
	return out, nil
}

// keyring loads a case's keyring: like `rpmpgp checksig --keyring`
// (core.ReadKeyFiles, core.ImportKeyFiles: armored or binary) when the case
// says so, else each file like `rpmkeys --import`.
func (v *BackendVerifier) keyring(c *corpus.Case) (*core.Keyring, []string, error) {
	if c.CheckSigKeys {
		files, err := core.ReadKeyFiles(c.Keyring...)
		if err != nil {
			return nil, nil, err
		}
		kr, res, err := core.ImportKeyFiles(v.b, files)
		if err != nil {
			return nil, nil, err
		}
		return kr, importNotes(res), nil
	}
	kr := core.NewKeyring(v.b)
	var notes []string
	for _, k := range c.Keyring {
		notes = append(notes, importNotes(kr.ImportFile(k))...)
	}
	return kr, notes, nil
}

func (v *BackendVerifier) key(c *corpus.Case) (Outcome, error) {
	kr, notes, err := v.keyring(c)
	if err != nil {
		return Outcome{}, err
	}
	res := kr.ImportFile(c.Input)
	out := Outcome{Verdict: "ok"}
	if len(res) == 0 {
		out.Verdict = VerdictFail
	}
	for _, r := range res {
		switch {
		case r.RC == core.RCNotTrusted && out.Verdict == "ok":
			out.Verdict = "nottrusted"
		case r.RC != core.RCOK && r.RC != core.RCNotTrusted, r.Err != "":
			out.Verdict = VerdictFail
		}
	}
	notes = append(notes, importNotes(res)...)
	out.Keys = joinKeys(kr.Names(v.profile == core.ProfileLegacy))
	out.Detail = joinNonEmpty(notes)
	return out, nil
}

func (v *BackendVerifier) detached(c *corpus.Case) (Outcome, error) {
	kr := core.NewKeyring(v.b)
	var notes []string
	for _, k := range c.Keyring {
		res, err := kr.AddFile(k)
		if err != nil {
			return Outcome{}, err
		}
		notes = append(notes, importNotes(res)...)
	}
	sig, err := os.ReadFile(c.Input)
	if err != nil {
		return Outcome{}, err
	}
	data, err := c.Data.Open()
	if err != nil {
		return Outcome{}, err
	}
	defer data.Close()
	ver, err := verify.NewVerifier(v.b, kr, v.config())
	if err != nil {
		return Outcome{}, err
	}
	d, err := ver.VerifyDetached(sig, data)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Verdict: d.RC.String()}
	if d.ParseFailed {
		out.Verdict = VerdictParseFail
	}
	for _, l := range d.Lints {
		notes = append(notes, l.Text)
	}
	out.Detail = joinNonEmpty(notes)
	return out, nil
}

// cert answers "would rpm accept this certificate for verifying": each
// certificate file is imported into a fresh keyring like `rpmkeys --import`
// (rpmtsImportPubkey: the pgpPubKeyLint gate, then rpmPubkeyNew's
// pgpPrtParams, which in rpm 4.18 also verifies every subkey binding; binary
// files are accepted, as for detached rows). OK when every certificate
// imports; otherwise the worst verdict (BAD before NOTTRUSTED). An import
// whose lint says the certificate has no usable signing key counts as
// NOTTRUSTED. The lint alone is not enough: rpm 4.18's pgpPubKeyLint is a
// stub that accepts everything, so only the import shows what 4.18 refuses
// (a forged subkey binding, a v3 key, a critical subpacket it does not know).
func (v *BackendVerifier) cert(c *corpus.Case) (Outcome, error) {
	worst := core.RCOK
	var notes []string
	for _, p := range c.Keyring {
		res, err := core.NewKeyring(v.b).AddFile(p)
		if err != nil {
			return Outcome{}, err
		}
		if len(res) == 0 {
			res = []core.ImportResult{{Source: p, Index: 1, RC: core.RCFail, Err: "no certificate"}}
		}
		for _, r := range res {
			rc := r.RC
			switch {
			case rc == core.RCOK && r.Err != "", rc == core.RCInvalid, rc == core.RCNoKey:
				rc = core.RCFail
			case rc == core.RCOK && strings.Contains(r.Lint, "does not have any usable signing keys"):
				// rpm-sequoia imports a certificate without a live signing
				// key with a warning (RC OK); for a cert row that is "not
				// usable".
				rc = core.RCNotTrusted
			}
			if rc == core.RCFail || rc != core.RCOK && worst == core.RCOK {
				worst = rc
			}
		}
		notes = append(notes, importNotes(res)...)
	}
	return Outcome{Verdict: worst.String(), Detail: joinNonEmpty(notes)}, nil
}

func importNotes(res []core.ImportResult) []string {
	var out []string
	for _, r := range res {
		if r.OK() && r.Lint == "" {
			continue
		}
		s := fmt.Sprintf("import %s key %d: %s", r.Source, r.Index, r.RC)
		if r.Err != "" {
			s += " " + r.Err
		}
		if r.Lint != "" {
			s += " " + strings.ReplaceAll(r.Lint, "\n", " ")
		}
		out = append(out, s)
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
