package verify

import (
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestNewVerifier: what NewVerifier refuses, and that it keeps the zero
// configuration as it is.
func TestNewVerifier(t *testing.T) {
	t.Parallel()
	b := &fakeBackend{}
	kr := core.NewKeyringFrom(b, nil)
	for name, tc := range map[string]struct {
		b   core.Backend
		kr  *core.Keyring
		cfg core.VerifyConfig
	}{
		"nil backend":     {nil, kr, core.VerifyConfig{}},
		"nil keyring":     {b, nil, core.VerifyConfig{}},
		"invalid level":   {b, kr, core.VerifyConfig{Level: 4}},
		"invalid profile": {b, kr, core.VerifyConfig{Profile: 2}},
	} {
		if v, err := NewVerifier(tc.b, tc.kr, tc.cfg); err == nil {
			t.Errorf("%s: NewVerifier = %+v, want an error", name, v)
		}
	}
	v, err := NewVerifier(b, kr, core.VerifyConfig{})
	if err != nil || v.Config() != (core.VerifyConfig{}) {
		t.Errorf("zero config: %v, %v", v, err)
	}
}
