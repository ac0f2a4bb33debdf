package launch

import (
	"slices"
	"testing"
)

// TestBackendEnv: rpmpgp's preload library is taken out of LD_PRELOAD,
// everything else is passed on as it is.
func TestBackendEnv(t *testing.T) {
	for _, tc := range []struct {
		in, want []string
	}{
		{[]string{"A=1", "LD_PRELOAD=/usr/libexec/rpmpgp/librpmpgp-preload.so", "B=2"}, []string{"A=1", "B=2"}},
		{[]string{"LD_PRELOAD=/x/libfoo.so /usr/lib/librpmpgp-preload.so:libbar.so"}, []string{"LD_PRELOAD=/x/libfoo.so:libbar.so"}},
		{[]string{"LD_PRELOAD=libfoo.so"}, []string{"LD_PRELOAD=libfoo.so"}},
		{[]string{"LD_PRELOAD="}, []string{}},
		{[]string{"XLD_PRELOAD=librpmpgp-preload.so", "PATH=/bin"}, []string{"XLD_PRELOAD=librpmpgp-preload.so", "PATH=/bin"}},
		{nil, []string{}},
	} {
		if got := backendEnv(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("backendEnv(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
