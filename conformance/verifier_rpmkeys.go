package conformance

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/casefile"
)

// RPMKeys is Debian's rpm 4.18 `rpmkeys`, the legacy oracle. Each case gets
// a throwaway --dbpath: the keyring files are imported in order with
// `rpmkeys --import` (failures are normal under this profile and recorded
// in Detail), then a package is checked with `rpmkeys -Kv` and its lines are
// converted to the cases.tsv ITEM grammar exactly as CASES-FORMAT.md does
// for observed_rpm418; a key is imported and the keyring listed with
// `rpm -qa gpg-pubkey`.
type RPMKeys struct{ Opts ExternalOptions }

// Name implements [Verifier].
func (RPMKeys) Name() string { return "rpmkeys" }

// Profile implements [Verifier]: rpm 4.18 is the legacy profile.
func (RPMKeys) Profile() core.Profile { return core.ProfileLegacy }

// Supports implements [Verifier]: package and key cases.
func (RPMKeys) Supports(c *corpus.Case) bool {
	return c.NotApplicable == "" && (c.Kind == corpus.KindPackage || c.Kind == corpus.KindKey)
}

// Run implements [Verifier].
func (v RPMKeys) Run(ctx context.Context, c *corpus.Case) Outcome {
	start := time.Now()
	db, cleanup, err := v.Opts.scratch("rpmdb")
	if err != nil {
		return errorOutcome("scratch dir: %v", err)
	}
	defer cleanup()
	var notes []string
	var imports []string
	for _, k := range c.ToolKeyring() {
		r := runTool(ctx, v.Opts.timeout(), nil, nil, "rpmkeys", "--dbpath", db, "--import", k)
		if r.err != nil {
			return errorOutcome("rpmkeys --import %s: %s", k, r.detail())
		}
		if r.exit == 0 {
			imports = append(imports, "ok")
		} else {
			imports = append(imports, "fail")
			notes = append(notes, strings.TrimSpace(r.stderr))
		}
	}
	var out Outcome
	switch c.Kind {
	case corpus.KindPackage:
		r := runTool(ctx, v.Opts.timeout(), nil, nil, "rpmkeys", "--dbpath", db, "-Kv", c.Input)
		if r.err != nil {
			out = errorOutcome("rpmkeys -Kv: %s", r.detail())
			break
		}
		items, unknown := ParseRPMKeysOutput(r.stdout)
		out = Outcome{Verdict: VerdictPass, Items: items, ExitCode: r.exit}
		if r.exit != 0 {
			out.Verdict = VerdictFail
		}
		if len(items) == 0 && r.exit != 0 {
			out.Items, out.Unreadable = nil, true
		}
		notes = append(notes, unknown...)
		notes = append(notes, strings.TrimSpace(r.stdout), strings.TrimSpace(r.stderr))
	case corpus.KindKey:
		r := runTool(ctx, v.Opts.timeout(), nil, nil, "rpmkeys", "--dbpath", db, "--import", c.Input)
		if r.err != nil {
			out = errorOutcome("rpmkeys --import: %s", r.detail())
			break
		}
		out = Outcome{Verdict: "ok", ExitCode: r.exit}
		if r.exit != 0 {
			out.Verdict = VerdictFail
		}
		notes = append(notes, strings.TrimSpace(r.stderr))
		q := runTool(ctx, v.Opts.timeout(), nil, nil, "rpm", "--dbpath", db, "-qa", "gpg-pubkey")
		if q.err != nil || q.exit != 0 {
			out = errorOutcome("rpm -qa gpg-pubkey: %s", q.detail())
			break
		}
		out.Keys = joinKeys(strings.Fields(q.stdout))
	default:
		return Outcome{Verdict: VerdictNA, ExitCode: -1}
	}
	if len(imports) > 0 {
		notes = append([]string{"imports=" + strings.Join(imports, ",")}, notes...)
	}
	out.Detail = joinNonEmpty(append([]string{out.Detail}, notes...))
	out.Duration = time.Since(start)
	return out
}

// joinKeys renders a keys= field: sorted names joined by "+", or "-".
func joinKeys(names []string) string {
	if len(names) == 0 {
		return "-"
	}
	s := append([]string(nil), names...)
	sort.Strings(s)
	return strings.Join(s, "+")
}

func joinNonEmpty(parts []string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

// ParseRPMKeysOutput converts `rpmkeys -Kv` output of rpm 4.18 to ITEM ->
// RESULT pairs (CASES-FORMAT.md table, "rpm 4.18 line starts" column).
// Lines it cannot map are returned in unknown.
func ParseRPMKeysOutput(out string) (items map[string]string, unknown []string) {
	items = map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "    ") {
			continue // the "<file>:" line and blank lines
		}
		desc, result, ok := strings.Cut(strings.TrimSpace(line), ": ")
		word, _, _ := strings.Cut(result, " ")
		item := rpm418Item(desc)
		if !ok || item == "" || !casefile.ValidResult(word) {
			unknown = append(unknown, "unrecognised rpmkeys line: "+strings.TrimSpace(line))
			continue
		}
		items[item] = word
	}
	return items, unknown
}

// rpm418Item maps the description part of a 4.18 -Kv line to an ITEM.
// Signature tags are inferred from range and algorithm, as CASES-FORMAT.md
// does: RSA = 268 (header) / 1002 (header+payload), anything else = 267 /
// 1005.
func rpm418Item(desc string) string {
	header := false
	if rest, ok := strings.CutPrefix(desc, "Header "); ok {
		header, desc = true, rest
	}
	if rest, ok := strings.CutPrefix(desc, "Payload "); ok {
		name, ok := strings.CutSuffix(rest, " digest")
		if !ok {
			return ""
		}
		return "Payload" + strings.ReplaceAll(name, " ", "")
	}
	sigItem := func(rsa bool) string {
		switch {
		case header && rsa:
			return "HeaderSig@268"
		case header:
			return "HeaderSig@267"
		case rsa:
			return "LegacySig@1002"
		}
		return "LegacySig@1005"
	}
	switch desc {
	case "SHA1 digest", "SHA256 digest":
		if header {
			return "Header" + strings.TrimSuffix(desc, " digest")
		}
		return ""
	case "MD5 digest":
		if header {
			return ""
		}
		return "MD5"
	case "RSA signature":
		return sigItem(true)
	case "DSA signature":
		return sigItem(false)
	}
	// "V4 RSA/SHA256 Signature, key ID 1964c5fc" / "V3 ..." / "V4 EdDSA/SHA512 Signature, ..."
	if len(desc) > 3 && desc[0] == 'V' && strings.Contains(desc, " Signature") {
		_, algo, _ := strings.Cut(desc, " ")
		algo, _, _ = strings.Cut(algo, "/")
		return sigItem(algo == "RSA")
	}
	return ""
}

// String makes RPMKeys printable in errors.
func (v RPMKeys) String() string { return fmt.Sprintf("rpmkeys(timeout %s)", v.Opts.timeout()) }
