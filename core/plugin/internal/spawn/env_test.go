package spawn

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
		// What a host tells its backend is never inherited.
		{[]string{"RPMPGP_BACKEND_RESIDENT=/run/user/1/rpmpgp/x", "RPMPGP_BACKEND_FD_CHANNEL=3", "RPMPGP_BACKEND_EXEC_FD=4", "RPMPGP_BACKEND=openssl", "C=3"}, []string{"RPMPGP_BACKEND=openssl", "C=3"}},
	} {
		if got := BackendEnv(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("BackendEnv(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
