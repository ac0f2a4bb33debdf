package rpm

import (
	"errors"
	"os"
	"testing"
)

// TestReadDirectory: a directory given as the package fails in
// rpmLeadRead's read with rpm's own text, strerror and errno included and
// the trailing newline kept (rpmkeys 4.18 prints
// "error: <dir>: read failed: Is a directory (21)" and an empty line).
func TestReadDirectory(t *testing.T) {
	f, err := os.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = Read(f)
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("got %v, want a FormatError", err)
	}
	if want := "read failed: Is a directory (21)\n"; fe.Msg != want || fe.NotRPM {
		t.Errorf("message %q (not rpm %v), want %q", fe.Msg, fe.NotRPM, want)
	}
}
