package strict

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
)

func TestFormatLints(t *testing.T) {
	tests := []struct {
		name   string
		header string
		lints  []error
		want   string
	}{
		{"none", "H:", nil, ""},
		{"one plain", "H:", []error{errors.New("a")}, "H:\n  a"},
		{"one with causes", "H:", []error{packet.Wrapf(packet.Wrapf(errors.New("Expired on 2022-04-12T00:00:15Z"), "The subkey is not live"), "Key 1F71177215217EE0 invalid: key is not alive")},
			"H:\n  Key 1F71177215217EE0 invalid: key is not alive\n      because: The subkey is not live\n      because: Expired on 2022-04-12T00:00:15Z"},
		{"two numbered", "H:", []error{errors.New("a"), packet.Wrapf(errors.New("c"), "b")},
			"H:\n  1. a\n  2. b\n      because: c"},
		{"dedup consecutive", "H:", []error{packet.Wrapf(packet.Wrapf(errors.New("x"), "x"), "y")},
			"H:\n  y\n      because: x"},
		{"fmt wrapped", "H:", []error{fmt.Errorf("outer: %w", errors.New("inner"))},
			"H:\n  outer\n      because: inner"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := formatLints(tc.header, tc.lints); got != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestHeadersAndTimes(t *testing.T) {
	fpr := []byte{0xb6, 0x54, 0x2f, 0x92}
	if got, want := verifyHeader(fpr, "Alice <alice@example.org>", true), "Verifying a signature using certificate B6542F92 (Alice <alice@example.org>):"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if got, want := verifyHeader(fpr, "", true), "Verifying a signature using certificate B6542F92 (<unknown>):"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if got, want := verifyHeader(nil, "", false), "Verifying a signature, but no certificate was provided:"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	ts := time.Date(2017, 4, 6, 13, 2, 33, 0, time.UTC)
	if got, want := chronoC(ts), "Thu Apr  6 13:02:33 2017"; got != want {
		t.Errorf("chronoC = %q want %q", got, want)
	}
	if got, want := packet.SequoiaTime(ts), "2017-04-06T13:02:33Z"; got != want {
		t.Errorf("SequoiaTime = %q want %q", got, want)
	}
	if got, want := formatKeyLint("AB", []string{"x", "y"}), "Certificate AB:\n  x\n  y"; got != want {
		t.Errorf("formatKeyLint = %q want %q", got, want)
	}
	if got, want := inlineChain(packet.Wrapf(errors.New("b"), "a")), "a, because b"; got != want {
		t.Errorf("inlineChain = %q want %q", got, want)
	}
}
