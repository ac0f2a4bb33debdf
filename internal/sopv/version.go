package sopv

import (
	"fmt"
	"github.com/rpmpgp/rpmpgp/core"
	"strings"
)

// specRevision is the revision of draft-dkg-openpgp-stateless-cli this
// implementation follows; "~" marks it incomplete (only the sopv subset),
// as the spec's "version --sop-spec" asks.
const specRevision = "~draft-dkg-openpgp-stateless-cli-16"

// sopvLevel is the sopv interface level fully implemented (sopv(1):
// version, verify and inline-verify make sopv 1.0).
const sopvLevel = "1.0"

// version implements "sopv version [--backend|--extended|--sop-spec|--sopv]"
// (spec "version: Version Information"): at most one variant; with none,
// one line "NAME VERSION".
func (e *Env) version(args []string) error {
	opts, pos, err := parseOpts(args, optSpec{"backend": false, "extended": false, "sop-spec": false, "sopv": false})
	if err != nil {
		return err
	}
	e.debug = e.debug || hasOpt(opts, "debug")
	if len(pos) > 0 {
		return failf(ExitUnsupportedOption, "version takes no arguments (got %q)", pos[0])
	}
	var variant string
	for _, v := range []string{"backend", "extended", "sop-spec", "sopv"} {
		if hasOpt(opts, v) {
			if variant != "" {
				return failf(ExitUnsupportedOption, "--%s and --%s: at most one version option", variant, v)
			}
			variant = v
		}
	}
	first := fmt.Sprintf("%s %s\n", e.Name, e.Version)
	var out strings.Builder
	switch variant {
	case "":
		out.WriteString(first)
	case "sop-spec":
		out.WriteString(specRevision + "\n")
		out.WriteString("Only the sopv subset (version, verify, inline-verify) is implemented.\n")
	case "sopv":
		out.WriteString(sopvLevel + "\n")
	case "backend":
		d, err := e.Backend.Describe()
		if err != nil {
			return failf(ExitUnspecified, "backend: %w", err)
		}
		out.WriteString(backendLine(d) + "\n")
	case "extended":
		d, err := e.Backend.Describe()
		if err != nil {
			return failf(ExitUnspecified, "backend: %w", err)
		}
		out.WriteString(first)
		fmt.Fprintf(&out, "sopv %s (%s)\n", sopvLevel, specRevision)
		fmt.Fprintf(&out, "backend: %s\n", backendLine(d))
		fmt.Fprintf(&out, "profile: %s\n", d.Profile)
		fips := "off"
		if d.FIPS {
			fips = "on"
		}
		fmt.Fprintf(&out, "FIPS: %s\n", fips)
		if d.Path != "" {
			fmt.Fprintf(&out, "binary: %s\n", d.Path)
		}
	}
	_, werr := fmt.Fprint(e.Stdout, out.String())
	return werr
}

// backendLine describes the crypto backend in one line: "gocrypto 1.2.3
// (ProtonMail/go-crypto v1.5.2)".
func backendLine(d core.Description) string {
	s := d.Name + " " + d.Version
	if d.Library != "" {
		s += " (" + d.Library + ")"
	}
	return s
}

// hasOpt reports whether a flag option was given.
func hasOpt(opts map[string]string, name string) bool {
	_, ok := opts[name]
	return ok
}
