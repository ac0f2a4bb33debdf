package progress

import (
	"bytes"
	"testing"
)

// TestNoBarOffTerminal: no bar into a buffer (not a terminal) whatever the
// mode; a nil bar is safe and passes writers through.
func TestNoBarOffTerminal(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	for _, m := range []Mode{Auto, Always, Never} {
		if b := New(m, &buf, 10); b != nil {
			t.Errorf("mode %s: a bar on a buffer", m)
		}
	}
	var b *Bar
	b.Step()
	b.Done()
	if w := b.Writer(&buf); w != &buf {
		t.Errorf("nil bar's Writer is %T, want the writer itself", w)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %q", buf.String())
	}
}

// TestParseMode: the three modes, anything else an error.
func TestParseMode(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"auto", "always", "never"} {
		if m, err := ParseMode(s); err != nil || string(m) != s {
			t.Errorf("ParseMode(%q) = %q, %v", s, m, err)
		}
	}
	if _, err := ParseMode("yes"); err == nil || err.Error() != `--progress "yes": expected auto, always or never` {
		t.Errorf("ParseMode(yes) error %v", err)
	}
}
