package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/core"
)

// Verifier is one verifier the harness runs: a backend of ours or an
// external tool. Implementations must be safe for concurrent use.
type Verifier interface {
	// Name is the verifier's column name in reports ("gocrypto", "sqv").
	Name() string
	// Profile is the expectation the verifier is held to:
	// [core.ProfileStrict] verifiers are compared with expect_strict (rpm 6
	// + rpm-sequoia) and, on openpgp-vectors, reject legacy-weak rows;
	// [core.ProfileLegacy] verifiers with expect_legacy (rpm 4.18), and
	// they accept legacy-weak rows.
	Profile() core.Profile
	// Supports reports whether Run can give a verdict on c; unsupported
	// cells are shown as n-a and never compared.
	Supports(c *corpus.Case) bool
	// Run verifies c. It never panics and never returns "no answer": a
	// crash, timeout or setup failure is an Outcome with Verdict "error".
	Run(ctx context.Context, c *corpus.Case) Outcome
}

// Outcome is one verifier's answer on one case, in the case's grammar.
type Outcome struct {
	// Verdict is: "pass"/"fail" for packages; "ok"/"fail"/"nottrusted"
	// (import=) for keys; a fingerprint or "fail"; "OK"/"parse-fail" for
	// sigparse; OK/BAD/NOKEY/NOTTRUSTED/parse-fail for detached and cert
	// rows; or "error" / "n-a".
	Verdict string `json:"verdict"`
	// Items are the per-item results of a package (cases.tsv ITEM grammar),
	// only for verifiers that report items; Unreadable is set when the
	// package could not be read at all (rpm prints no item).
	Items      map[string]string `json:"items,omitempty"`
	Unreadable bool              `json:"unreadable,omitempty"`
	// Keys is the keyring content after a key case (keys= grammar); "" when
	// the verifier cannot list it.
	Keys string `json:"keys,omitempty"`
	// ExitCode is the external tool's exit status (-1: none or killed).
	ExitCode int `json:"exit_code"`
	// Detail is the lint or tool output that explains the verdict.
	Detail string `json:"detail,omitempty"`
	// Duration is how long the verifier took.
	Duration time.Duration `json:"duration_ns"`
}

// Accepts reports whether the outcome is a positive verdict (accept class).
func (o Outcome) Accepts() bool {
	return o.Verdict == "OK" || o.Verdict == VerdictPass || o.Verdict == "ok"
}

// class maps a verdict to accept / reject / error / n-a, the level at which
// tools with different vocabularies are compared.
func class(verdict string) string {
	switch verdict {
	case "OK", VerdictPass, "ok":
		return "accept"
	case VerdictError:
		return VerdictError
	case VerdictNA, "":
		return VerdictNA
	}
	return "reject"
}

func errorOutcome(format string, args ...any) Outcome {
	return Outcome{Verdict: VerdictError, ExitCode: -1, Detail: fmt.Sprintf(format, args...)}
}

// maxToolOutput bounds what is kept of a tool's stdout/stderr, so a runaway
// tool cannot exhaust memory.
const maxToolOutput = 64 << 10

type capWriter struct {
	buf bytes.Buffer
}

func (w *capWriter) Write(p []byte) (int, error) {
	if room := maxToolOutput - w.buf.Len(); room > 0 {
		w.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// toolResult is what running an external tool gave.
type toolResult struct {
	exit     int // -1 when killed or not started
	stdout   string
	stderr   string
	timedOut bool
	err      error // start failure or signal
}

// runTool runs argv with stdin and a timeout; the process group is killed
// on timeout so no child survives.
func runTool(ctx context.Context, timeout time.Duration, stdin io.Reader, env []string, argv ...string) toolResult {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	cmd.Stdin = stdin
	if env != nil {
		cmd.Env = env
	}
	var out, errb capWriter
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := toolResult{exit: -1, stdout: out.buf.String(), stderr: errb.buf.String()}
	if ctx.Err() == context.DeadlineExceeded {
		r.timedOut = true
		r.err = fmt.Errorf("timed out after %s", timeout)
		return r
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		r.exit = 0
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			r.err = fmt.Errorf("killed by signal %s", ws.Signal())
		} else {
			r.exit = ee.ExitCode()
		}
	default:
		r.err = err
	}
	return r
}

// detail joins a tool's output into one bounded explanation.
func (r toolResult) detail() string {
	var parts []string
	if r.err != nil {
		parts = append(parts, r.err.Error())
	}
	if s := strings.TrimSpace(r.stdout); s != "" {
		parts = append(parts, s)
	}
	if s := strings.TrimSpace(r.stderr); s != "" {
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n")
}
