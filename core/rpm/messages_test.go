package rpm

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// msgCase is one malformed input with the exact text rpm 4.18 prints after
// "error: <file>: " (or notRPM: rpm prints no error line at all). Every want
// string was produced by Debian's rpmkeys 4.18.0 -K on the same bytes;
// TestMessagesMatchRpmkeys re-checks them whenever rpmkeys is installed.
type msgCase struct {
	name   string
	build  func() []byte
	want   string
	notRPM bool
}

// neg returns the two's complement encoding of -v.
func neg(v int32) uint32 { return uint32(-v) }

func mutate(f func(l *layout)) func() []byte {
	return func() []byte {
		l := defaultPackage()
		f(l)
		return l.b
	}
}

func truncate(n func(l *layout) int) func() []byte {
	return func() []byte {
		l := defaultPackage()
		return l.b[:n(l)]
	}
}

func msgCases() []msgCase {
	return []msgCase{
		// lib/rpmlead.c:rpmLeadRead -> RPMRC_NOTFOUND; lib/package.c:rpmpkgRead drops the message.
		{name: "text file", build: func() []byte { return []byte("hello world\n") }, notRPM: true},
		{name: "empty file", build: func() []byte { return nil }, notRPM: true},
		{name: "truncated in lead", build: truncate(func(*layout) int { return 50 }), notRPM: true},
		{name: "bad lead magic", build: mutate(func(l *layout) { l.b[0] = 0 }), notRPM: true},
		// lib/rpmlead.c:rpmLeadCheck
		{name: "lead signature type", build: mutate(func(l *layout) { l.b[79] = 1 }), want: "illegal signature type"},
		{name: "lead major 2", build: mutate(func(l *layout) { l.b[4] = 2 }), want: "unsupported RPM package version"},
		{name: "lead major 5", build: mutate(func(l *layout) { l.b[4] = 5 }), want: "unsupported RPM package version"},
		{name: "lead sigtype before major", build: mutate(func(l *layout) { l.b[4], l.b[79] = 2, 1 }), want: "illegal signature type"},
		// lib/header.c:hdrblobRead (signature header: "signature " prefix)
		{name: "truncated at sig header", build: truncate(func(*layout) int { return LeadSize }), want: "signature hdr size(16): BAD, read returned 0"},
		{name: "truncated in sig intro", build: truncate(func(*layout) int { return LeadSize + 10 }), want: "signature hdr size(16): BAD, read returned 0"},
		{name: "truncated in sig header", build: truncate(func(l *layout) int { return LeadSize + 40 }), want: "signature hdr blob(244): BAD, read returned 0"},
		{name: "truncated in sig padding", build: truncate(func(l *layout) int { return l.main - 1 }), want: "signature sigh pad(4): BAD, read 0 bytes"},
		{name: "bad sig header magic", build: mutate(func(l *layout) { l.b[l.sig] = 0 }), want: "signature hdr magic: BAD"},
		{name: "sig magic reserved byte", build: mutate(func(l *layout) { l.b[l.sig+7] = 1 }), want: "signature hdr magic: BAD"},
		{name: "sig il 33", build: mutate(func(l *layout) { l.put32(l.sig+8, 33) }), want: "signature hdr tags: BAD, no. of tags(33) out of range"},
		{name: "sig il negative", build: mutate(func(l *layout) { l.put32(l.sig+8, 0xffffffff) }), want: "signature hdr tags: BAD, no. of tags(4294967295) out of range"},
		{name: "sig dl 64MiB+1", build: mutate(func(l *layout) { l.put32(l.sig+12, 64<<20+1) }), want: "signature hdr data: BAD, no. of bytes(67108865) out of range"},
		{name: "sig dl 64MiB short", build: mutate(func(l *layout) { l.put32(l.sig+12, 64<<20) }), want: "signature hdr blob(67108960): BAD, read returned 0"},
		{name: "sig il 0", build: mutate(func(l *layout) { l.put32(l.sig+8, 0) }), want: "signature region: no tags"},
		{name: "sig region tag 63", build: mutate(func(l *layout) { l.put32(l.sigEntry(0, 0), 63) }), want: "signature tag[0]: BAD, tag 63 type 7 offset 132 count 16 len 0"},
		{name: "sig count 0", build: mutate(func(l *layout) { l.put32(l.sigEntry(3, 3), 0) }), want: "signature tag[2]: BAD, tag 1000 type 4 offset 108 count 0 len 65"},
		{name: "sig tag negative", build: mutate(func(l *layout) { l.put32(l.sigEntry(3, 0), 0x80000000) }), want: "signature tag[2]: BAD, tag -2147483648 type 4 offset 108 count 1 len 65"},
		{name: "sig trailer 63", build: mutate(func(l *layout) { l.put32(l.trailer(l.sig), 63) }), want: "signature region trailer: BAD, tag 63 type 7 offset 96 count 16"},
		// lib/header.c:hdrblobRead / hdrblobVerifyRegion / hdrblobVerifyInfo (main header)
		{name: "truncated at main header", build: truncate(func(l *layout) int { return l.main }), want: "hdr size(16): BAD, read returned 0"},
		{name: "truncated in main intro", build: truncate(func(l *layout) int { return l.main + 15 }), want: "hdr size(16): BAD, read returned 0"},
		{name: "truncated in main header", build: truncate(func(l *layout) int { return l.main + 100 }), want: "hdr blob(228): BAD, read returned 0"},
		{name: "bad main header magic", build: mutate(func(l *layout) { l.b[l.main+1] = 0 }), want: "hdr magic: BAD"},
		{name: "main il 65536", build: mutate(func(l *layout) { l.put32(l.main+8, 0x10000) }), want: "hdr tags: BAD, no. of tags(65536) out of range"},
		{name: "main dl 256MiB", build: mutate(func(l *layout) { l.put32(l.main+12, 0x10000000) }), want: "hdr data: BAD, no. of bytes(268435456) out of range"},
		{name: "main il+dl max short", build: mutate(func(l *layout) { l.put32(l.main+8, 0xffff); l.put32(l.main+12, 0x0fffffff) }), want: "hdr blob(269484015): BAD, read returned 0"},
		{name: "main il 0", build: mutate(func(l *layout) { l.put32(l.main+8, 0) }), want: "region: no tags"},
		{name: "region type", build: mutate(func(l *layout) { l.put32(l.mainEntry(0, 1), 4) }), want: "region tag: BAD, tag 63 type 4 offset 52 count 16"},
		{name: "region count", build: mutate(func(l *layout) { l.put32(l.mainEntry(0, 3), 15) }), want: "region tag: BAD, tag 63 type 7 offset 52 count 15"},
		{name: "region offset", build: mutate(func(l *layout) { l.put32(l.mainEntry(0, 2), 53) }), want: "region offset: BAD, tag 63 type 7 offset 53 count 16"},
		{name: "region offset -1", build: mutate(func(l *layout) { l.put32(l.mainEntry(0, 2), 0xffffffff) }), want: "region trailer: BAD, tag 21168244 type 1702065152 offset -825110528 count 822114360"},
		{name: "region trailer tag", build: mutate(func(l *layout) { l.put32(l.trailer(l.main), 62) }), want: "region trailer: BAD, tag 62 type 7 offset 160 count 16"},
		{name: "region trailer odd", build: mutate(func(l *layout) { l.put32(l.trailer(l.main)+8, neg(161)) }), want: "region 63 size: BAD, ril 10 il 10 rdl 68 dl 68"},
		{name: "region trailer ril>il", build: mutate(func(l *layout) { l.put32(l.trailer(l.main)+8, neg(176)) }), want: "region 63 size: BAD, ril 11 il 10 rdl 68 dl 68"},
		{name: "region trailer negative", build: mutate(func(l *layout) { l.put32(l.trailer(l.main)+8, 32) }), want: "region 63 size: BAD, ril -2 il 10 rdl 68 dl 68"},
		{name: "region trailer int32 min", build: mutate(func(l *layout) { l.put32(l.trailer(l.main)+8, 0x80000000) }), want: "region 63 size: BAD, ril -134217728 il 10 rdl 68 dl 68"},
		{name: "region smaller than header", build: mutate(func(l *layout) { l.put32(l.trailer(l.main)+8, neg(144)) }), want: "region 63: tag number mismatch il 10 ril 9 dl 68 rdl 68\n"},
		{name: "main dl one less", build: mutate(func(l *layout) { l.put32(l.main+12, 67) }), want: "region offset: BAD, tag 63 type 7 offset 52 count 16"},
		{name: "no region, tag 100 overlaps", build: mutate(func(l *layout) { l.put32(l.mainEntry(0, 0), 1010) }), want: "tag[1]: BAD, tag 100 type 8 offset 0 count 1 len 16"},
		{name: "main region tag 62", build: mutate(func(l *layout) { l.put32(l.mainEntry(0, 0), 62) }), want: "tag[0]: BAD, tag 62 type 7 offset 52 count 16 len 0"},
		{name: "tag below 100", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 0), 99) }), want: "tag[5]: BAD, tag 99 type 4 offset 20 count 2 len 7"},
		{name: "type 0", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 1), 0) }), want: "tag[5]: BAD, tag 1028 type 0 offset 20 count 2 len 7"},
		{name: "type 0 unknown tag", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 0), 4999); l.put32(l.mainEntry(6, 1), 0) }), want: "tag[5]: BAD, tag 4999 type 0 offset 20 count 2 len 7"},
		{name: "type 10", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 1), 10) }), want: "tag[5]: BAD, tag 1028 type 10 offset 20 count 2 len 7"},
		{name: "type mismatch int16", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 1), 3) }), want: "tag[5]: BAD, tag 1028 type 3 offset 20 count 2 len 7"},
		{name: "count 0", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 3), 0) }), want: "tag[5]: BAD, tag 1028 type 4 offset 20 count 0 len 7"},
		{name: "count > dl", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 3), 69) }), want: "tag[5]: BAD, tag 1028 type 4 offset 20 count 69 len 7"},
		{name: "count = dl, data too short", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 3), 68) }), want: "tag[5]: BAD, tag 1028 type 4 offset 20 count 68 len -1"},
		{name: "misaligned", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 2), 29) }), want: "tag[5]: BAD, tag 1028 type 4 offset 29 count 2 len 7"},
		{name: "offset negative", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 2), 0xfffffffc) }), want: "tag[5]: BAD, tag 1028 type 4 offset -4 count 2 len 7"},
		{name: "offset past dl", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 2), 92) }), want: "tag[5]: BAD, tag 1028 type 4 offset 92 count 2 len 7"},
		{name: "overlap previous", build: mutate(func(l *layout) { l.put32(l.mainEntry(3, 2), 5) }), want: "tag[2]: BAD, tag 1001 type 6 offset 5 count 1 len 5"},
		{name: "string count 2", build: mutate(func(l *layout) { l.put32(l.mainEntry(2, 3), 2) }), want: "tag[1]: BAD, tag 1000 type 6 offset 2 count 2 len -1"},
		{name: "string array count too big", build: mutate(func(l *layout) { l.put32(l.mainEntry(8, 3), 60) }), want: "tag[7]: BAD, tag 5092 type 8 offset 40 count 60 len -1"},
		{name: "data overlaps trailer", build: mutate(func(l *layout) { l.put32(l.mainEntry(9, 3), 2) }), want: "tag[8]: BAD, tag 5093 type 4 offset 48 count 2 len 8"},
		{name: "int64 type mismatch", build: mutate(func(l *layout) { l.put32(l.mainEntry(9, 1), 5); l.put32(l.mainEntry(9, 2), 48) }), want: "tag[8]: BAD, tag 5093 type 5 offset 48 count 1 len 5"},
		{name: "type negative", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 1), 0x80000004) }), want: "tag[5]: BAD, tag 1028 type -2147483644 offset 20 count 2 len 7"},
		{name: "count negative", build: mutate(func(l *layout) { l.put32(l.mainEntry(6, 3), 0x80000001) }), want: "tag[5]: BAD, tag 1028 type 4 offset 20 count -2147483647 len 7"},
	}
}

func TestMessages(t *testing.T) {
	for _, tc := range msgCases() {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Read(bytes.NewReader(tc.build()))
			if err == nil {
				t.Fatalf("Read succeeded (%d entries), want error %q", len(p.Header.Entries), tc.want)
			}
			if p != nil {
				t.Errorf("Read returned a package with an error")
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T %v is not a *FormatError", err, err)
			}
			if fe.NotRPM != tc.notRPM {
				t.Errorf("NotRPM = %v, want %v", fe.NotRPM, tc.notRPM)
			}
			if tc.notRPM {
				if !errors.Is(err, ErrNotRPM) {
					t.Errorf("error %v does not wrap ErrNotRPM", err)
				}
				return
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %q\nwant %q", err.Error(), tc.want)
			}
		})
	}
}

// TestMessagesMatchRpmkeys runs the installed rpmkeys (rpm 4.18 on the
// reference machine) on every case and checks that it prints exactly the
// expected message, so the table above stays tied to real rpm.
func TestMessagesMatchRpmkeys(t *testing.T) {
	rpmkeys, err := exec.LookPath("rpmkeys")
	if err != nil {
		testutil.Missing(t, "rpmkeys not installed")
	}
	out, err := exec.Command(rpmkeys, "--version").Output()
	if err != nil || !strings.Contains(string(out), "RPM version 4.18") {
		t.Skipf("rpmkeys is not rpm 4.18 (%q)", out)
	}
	dir := t.TempDir()
	for _, tc := range msgCases() {
		t.Run(tc.name, func(t *testing.T) {
			f := filepath.Join(dir, "p.rpm")
			if err := os.WriteFile(f, tc.build(), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(rpmkeys, "--dbpath", dir, "-K", f)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdout, _ := cmd.Output()
			if tc.notRPM {
				if stderr.Len() != 0 || string(stdout) != f+":" {
					t.Errorf("rpmkeys printed stdout %q stderr %q, want only %q", stdout, stderr.String(), f+":")
				}
				return
			}
			want := "error: " + f + ": " + tc.want + "\n"
			if stderr.String() != want {
				t.Errorf("rpmkeys stderr\n got %q\nwant %q", stderr.String(), want)
			}
		})
	}
}
