//go:build !cgo

package openssl

import (
	"errors"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
)

func TestNewWithoutCgo(t *testing.T) {
	for _, mode := range []core.FIPSMode{"", core.FIPSAuto, core.FIPSOff, core.FIPSRequire} {
		b, err := New(Options{FIPS: mode})
		if b != nil || !errors.Is(err, ErrNoCgo) {
			t.Errorf("New(%q) = %v, %v; want ErrNoCgo", mode, b, err)
		}
	}
	if got, want := ErrNoCgo.Error(), "openssl backend built without cgo"; len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("ErrNoCgo = %q", got)
	}
}
