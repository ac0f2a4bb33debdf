package filelist

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

func all(t *testing.T, s string) ([]string, error) {
	t.Helper()
	l := NewReader(strings.NewReader(s))
	var out []string
	for {
		e, err := l.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
}

// TestNext: the separators, empty entries, and the errors.
func TestNext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{"", nil, ""},
		{"a.rpm\nb.rpm\n", []string{"a.rpm", "b.rpm"}, ""},
		{"a.rpm\n\n\nb.rpm", []string{"a.rpm", "b.rpm"}, ""},
		{"a.rpm\x00b\nc.rpm\x00\x00", []string{"a.rpm", "b\nc.rpm"}, ""},
		{"a.rpm\nb\x00.rpm\n", []string{"a.rpm"}, "entry 2: a NUL byte in a newline-separated list"},
		{strings.Repeat("x", MaxEntry+1), nil, "entry 1: longer than 65536 bytes"},
	}
	for _, tt := range tests {
		got, err := all(t, tt.in)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
		if (err == nil) != (tt.err == "") || (err != nil && err.Error() != tt.err) {
			t.Errorf("%q: error %v, want %q", tt.in, err, tt.err)
		}
	}
}

// TestNextDoesNotWaitForTheEnd: an entry is returned as soon as its
// separator is written, while the list is still open.
func TestNextDoesNotWaitForTheEnd(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	defer pw.Close()
	go func() { _, _ = pw.Write([]byte("first.rpm\nsecond")) }()
	got := make(chan string, 1)
	go func() {
		e, _ := NewReader(pr).Next()
		got <- e
	}()
	select {
	case e := <-got:
		if e != "first.rpm" {
			t.Errorf("first entry %q", e)
		}
	case <-time.After(time.Minute):
		t.Fatal("Next waited for the end of the list")
	}
}
