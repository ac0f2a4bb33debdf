package core

import (
	"fmt"
	"strings"
)

// rangeName6 is rpm 6's rangeName.
func rangeName6(r Range) string {
	switch r {
	case RangeHeader:
		return "Header"
	case RangePayload:
		return "Payload"
	}
	return "Legacy"
}

// rangeName4 is rpm 4.18's rangeName ("trad. output for the legacy range is
// empty").
func rangeName4(r Range) string {
	switch r {
	case RangeHeader:
		return "Header "
	case RangePayload:
		return "Payload "
	}
	return ""
}

// IdentItem mirrors pgpIdentItem for a signature, in the output of the
// profile's rpm: rpm 6 ([ProfileStrict]) prints "V4 RSA/SHA256 signature,
// key ID 4344591e1964c5fc", rpm 4.18 ([ProfileLegacy]) "V4 RSA/SHA256
// Signature, key ID 1964c5fc".
func IdentItem(p *Params, profile Profile) string {
	if profile == ProfileLegacy {
		what := "Signature"
		if p.Kind != KindSignature {
			what = "Public Key"
		}
		return fmt.Sprintf("V%d %s/%s %s, key ID %s", p.Version, p.PubKeyAlgo, p.HashAlgo, what, p.KeyID.Short())
	}
	return fmt.Sprintf("V%d %s/%s %s, key ID %s", p.Version, p.PubKeyAlgo, p.HashAlgo, p.Kind, p.KeyID)
}

// Descr mirrors rpmsinfoDescr in the output of the profile's rpm.
func (it *Item) Descr(profile Profile) string {
	if profile == ProfileLegacy {
		switch it.Type {
		case TypeDigest:
			alt := ""
			if it.Alt {
				alt = " ALT"
			}
			return fmt.Sprintf("%s%s%s digest", rangeName4(it.Range), it.HashAlgo, alt)
		case TypeSignature:
			if it.Sig != nil {
				return rangeName4(it.Range) + IdentItem(it.Sig, profile)
			}
			return fmt.Sprintf("%s%s signature", rangeName4(it.Range), it.SigAlgo)
		}
		return ""
	}
	switch it.Type {
	case TypeDigest:
		alt := ""
		if it.Alt {
			alt = " ALT"
		}
		return fmt.Sprintf("%s %s%s digest", rangeName6(it.Range), it.HashAlgo, alt)
	case TypeSignature:
		if it.Sig != nil {
			return fmt.Sprintf("%s OpenPGP %s", rangeName6(it.Range), IdentItem(it.Sig, profile))
		}
		if it.SigAlgo != 0 {
			return fmt.Sprintf("%s OpenPGP %s signature", rangeName6(it.Range), it.SigAlgo)
		}
		return fmt.Sprintf("%s OpenPGP signature", rangeName6(it.Range))
	}
	return ""
}

// Line mirrors rpmsinfoMsg in the output of the profile's rpm:
// "<descr>[, key fingerprint: <hex>]: <RC>[ (<msg>)]". rpm 6 replaces
// ", key ID ..." by the fingerprint when a key was tried.
func (it *Item) Line(profile Profile) string {
	descr := it.Descr(profile)
	fp := ""
	if profile == ProfileStrict && len(it.KeyFingerprint) > 0 {
		fp = fmt.Sprintf(", key fingerprint: %x", it.KeyFingerprint)
		if i := strings.Index(descr, ", key ID"); i >= 0 {
			descr = descr[:i]
		}
	}
	if it.Msg != "" {
		return fmt.Sprintf("%s%s: %s (%s)", descr, fp, it.RC, it.Msg)
	}
	return fmt.Sprintf("%s%s: %s", descr, fp, it.RC)
}

// Summary returns rpm's non-verbose tail: " digests SIGNATURES NOT OK",
// " digests signatures OK", " OK" (lib/rpmchecksig.cc rpmpkgVerifySigs).
func (r *Result) Summary() string {
	var b strings.Builder
	seen, bad := r.Seen()
	if seen&TypeDigest != 0 {
		if bad&TypeDigest != 0 {
			b.WriteString(" DIGESTS")
		} else {
			b.WriteString(" digests")
		}
	}
	if seen&TypeSignature != 0 {
		if bad&TypeSignature != 0 {
			b.WriteString(" SIGNATURES")
		} else {
			b.WriteString(" signatures")
		}
	}
	if r.Failed {
		b.WriteString(" NOT OK")
	} else {
		b.WriteString(" OK")
	}
	return b.String()
}

// Shown returns the printed items in order.
func (r *Result) Shown() []*Item {
	var out []*Item
	for _, it := range r.Items {
		if it.Shown {
			out = append(out, it)
		}
	}
	return out
}

// CaseItems renders the shown items in the cases.tsv ITEMS grammar
// ("HeaderSig@268=OK,HeaderSHA256=OK"), or "unreadable".
func (r *Result) CaseItems() string {
	if r.ReadFailed || r.OpenFailed {
		return "unreadable"
	}
	var parts []string
	for _, it := range r.Shown() {
		parts = append(parts, it.Name()+"="+it.RC.String())
	}
	return strings.Join(parts, ",")
}
