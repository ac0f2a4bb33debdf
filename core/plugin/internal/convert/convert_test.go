package convert

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// wire marshals and unmarshals m, as the transport does; it fails the test
// when protobuf refuses m (invalid UTF-8, for example).
func wire[M proto.Message](t *testing.T, m M, fresh M) M {
	t.Helper()
	data, err := proto.Marshal(m)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if err := proto.Unmarshal(data, fresh); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return fresh
}

var fullParams = &core.Params{
	Kind: core.KindSignature, Version: 6, PubKeyAlgo: core.PubKeyEd25519, HashAlgo: core.HashSHA512,
	SigType: 0x01, KeyID: core.KeyID{1, 2, 3, 4, 5, 6, 7, 8}, Fingerprint: make([]byte, 32),
	UserID: "Alice <alice@example.org>", CreationTime: 1700000000, Salt: []byte{9, 9, 9},
	HashPrefix: [2]byte{0xab, 0xcd}, Packet: []byte{0xc2, 0x01, 0x02},
}

func TestParamsRoundTrip(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   *core.Params
		want *core.Params
	}{
		"nil":  {in: nil, want: nil},
		"zero": {in: &core.Params{}, want: &core.Params{}},
		"full": {in: fullParams, want: fullParams},
		"key": {
			in:   &core.Params{Kind: core.KindKey, Version: 4, SigType: -1, Fingerprint: make([]byte, 20)},
			want: &core.Params{Kind: core.KindKey, Version: 4, SigType: -1, Fingerprint: make([]byte, 20)},
		},
		"empty slices become nil": {
			in:   &core.Params{Kind: core.KindSubkey, Fingerprint: []byte{}, Salt: []byte{}, Packet: []byte{}},
			want: &core.Params{Kind: core.KindSubkey},
		},
		"invalid UTF-8 user ID": {
			in:   &core.Params{Kind: core.KindKey, UserID: "Bj\xf6rn <b@example.org>"},
			want: &core.Params{Kind: core.KindKey, UserID: "Bj\uFFFDrn <b@example.org>"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := ParamsToProto(tc.in)
			if m != nil {
				m = wire(t, m, &pb.Params{})
			}
			got, err := ParamsFromProto(m)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParamsFromProtoRejectsGarbage(t *testing.T) {
	t.Parallel()
	valid := func() *pb.Params { return ParamsToProto(fullParams) }
	tests := map[string]struct {
		mutate func(*pb.Params)
		want   string
	}{
		"unknown kind":         {func(p *pb.Params) { p.Kind = 9 }, "params: unknown kind 9"},
		"negative kind":        {func(p *pb.Params) { p.Kind = -1 }, "params: unknown kind -1"},
		"pubkey algo":          {func(p *pb.Params) { p.PubkeyAlgo = 256 }, "params: public-key algorithm 256 out of range"},
		"hash algo":            {func(p *pb.Params) { p.HashAlgo = 1000 }, "params: hash algorithm 1000 out of range"},
		"sig type":             {func(p *pb.Params) { p.SigType = -2 }, "params: signature type -2 out of range"},
		"version":              {func(p *pb.Params) { p.Version = 300 }, "params: version 300 out of range"},
		"short key ID":         {func(p *pb.Params) { p.KeyId = []byte{1} }, "params: key ID is 1 bytes, want 8"},
		"missing key ID":       {func(p *pb.Params) { p.KeyId = nil }, "params: key ID is 0 bytes, want 8"},
		"long hash prefix":     {func(p *pb.Params) { p.HashPrefix = []byte{1, 2, 3} }, "params: hash prefix is 3 bytes, want 2"},
		"enormous fingerprint": {func(p *pb.Params) { p.Fingerprint = make([]byte, 65) }, "params: fingerprint is 65 bytes, longer than 64"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := valid()
			tc.mutate(p)
			got, err := ParamsFromProto(p)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("ParamsFromProto = %v, %v; want error %q", got, err, tc.want)
			}
		})
	}
}

func TestParamsList(t *testing.T) {
	t.Parallel()
	if got := ParamsListToProto(nil); got != nil {
		t.Errorf("ParamsListToProto(nil) = %v", got)
	}
	got, err := ParamsListFromProto(nil)
	if err != nil || got != nil {
		t.Errorf("ParamsListFromProto(nil) = %v, %v", got, err)
	}
	got, err = ParamsListFromProto(ParamsListToProto([]*core.Params{fullParams, {Kind: core.KindSubkey}}))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]*core.Params{fullParams, {Kind: core.KindSubkey}}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := ParamsListFromProto([]*pb.Params{ParamsToProto(fullParams), nil}); err == nil || err.Error() != "params 2 of 2: missing" {
		t.Errorf("nil element: %v", err)
	}
	bad := ParamsToProto(fullParams)
	bad.Kind = 7
	if _, err := ParamsListFromProto([]*pb.Params{bad}); err == nil || err.Error() != "params 1 of 1: params: unknown kind 7" {
		t.Errorf("bad element: %v", err)
	}
}

func TestVerdictRoundTrip(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   core.Verdict
		want core.Verdict
	}{
		"zero":        {core.Verdict{}, core.Verdict{}},
		"ok":          {core.Verdict{RC: core.RCOK}, core.Verdict{RC: core.RCOK}},
		"not trusted": {core.Verdict{RC: core.RCNotTrusted, Lint: "1. policy\n   because: SHA1"}, core.Verdict{RC: core.RCNotTrusted, Lint: "1. policy\n   because: SHA1"}},
		"nokey":       {core.Verdict{RC: core.RCNoKey, Lint: "no key"}, core.Verdict{RC: core.RCNoKey, Lint: "no key"}},
		"invalid UTF-8 lint": {
			core.Verdict{RC: core.RCFail, Lint: "bad \xff\xfe sig"},
			core.Verdict{RC: core.RCFail, Lint: "bad \uFFFD sig"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := VerdictFromProto(wire(t, VerdictToProto(tc.in), &pb.Verdict{}))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestVerdictFromProtoRejects(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   *pb.Verdict
		want string
	}{
		"nil":         {nil, "verdict: missing"},
		"unknown rc":  {&pb.Verdict{Rc: 99, Lint: "x"}, "verdict: unknown result code 99"},
		"negative rc": {&pb.Verdict{Rc: -1}, "verdict: unknown result code -1"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := VerdictFromProto(tc.in)
			if err == nil || err.Error() != tc.want || got != (core.Verdict{}) {
				t.Fatalf("got %+v, %v; want zero verdict and %q", got, err, tc.want)
			}
		})
	}
}

func TestParseResultRoundTrip(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   core.ParseResult
		want core.ParseResult
	}{
		"zero":            {core.ParseResult{}, core.ParseResult{}},
		"lint only":       {core.ParseResult{Lint: "not a signature"}, core.ParseResult{Lint: "not a signature"}},
		"params":          {core.ParseResult{Params: fullParams}, core.ParseResult{Params: fullParams}},
		"params and lint": {core.ParseResult{Params: fullParams, Lint: "warn \xc3"}, core.ParseResult{Params: fullParams, Lint: "warn \uFFFD"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseResultFromProto(wire(t, ParseResultToProto(tc.in), &pb.ParseResult{}))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if got.OK() != tc.want.OK() {
				t.Errorf("OK() = %v", got.OK())
			}
		})
	}
	if _, err := ParseResultFromProto(nil); err == nil || err.Error() != "parse result: missing" {
		t.Errorf("nil: %v", err)
	}
	if _, err := ParseResultFromProto(&pb.ParseResult{Params: &pb.Params{Kind: 4}}); err == nil || err.Error() != "parse result: params: unknown kind 4" {
		t.Errorf("garbage: %v", err)
	}
}

func TestOptionsRoundTrip(t *testing.T) {
	t.Parallel()
	when := time.Date(2024, 2, 29, 12, 30, 0, 123456789, time.FixedZone("X", 3600))
	tests := map[string]struct {
		in   core.Options
		want core.Options
	}{
		"zero":         {core.Options{}, core.Options{}},
		"empty policy": {core.Options{Policy: []byte{}}, core.Options{Policy: []byte{}}},
		"full": {
			core.Options{Policy: []byte("[hash_algorithms]\nsha1 = \"never\"\n"), PolicySource: "/etc/p\xff.config", Time: when, FIPS: "require"},
			core.Options{Policy: []byte("[hash_algorithms]\nsha1 = \"never\"\n"), PolicySource: "/etc/p\uFFFD.config", Time: when.UTC(), FIPS: "require"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := OptionsFromProto(wire(t, OptionsToProto(tc.in), &pb.Options{}))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if (got.Policy == nil) != (tc.want.Policy == nil) {
				t.Errorf("policy nil-ness lost: got %#v", got.Policy)
			}
		})
	}
	got, err := OptionsFromProto(nil)
	if err != nil || !cmp.Equal(got, core.Options{}) {
		t.Errorf("nil: %+v, %v", got, err)
	}
	_, err = OptionsFromProto(&pb.Options{Time: &timestamppb.Timestamp{Seconds: 1, Nanos: -5}})
	if err == nil || !strings.HasPrefix(err.Error(), "options: time: ") {
		t.Errorf("bad timestamp: %v", err)
	}
}

func TestDescriptionRoundTrip(t *testing.T) {
	t.Parallel()
	full := core.Description{
		Name: "gocrypto", Version: "0.1.0", Profile: core.ProfileStrict, Protocol: 1, Library: "Go 1.26",
		PubKeyAlgos: []string{"RSA", "EdDSA"}, HashAlgos: []string{"SHA256"}, FIPS: true, Notes: "n\xff",
		Path: "/usr/libexec/rpmpgp/rpmpgp-backend-gocrypto",
	}
	want := full
	want.Notes = "n\uFFFD"
	want.Path = "" // the host fills it
	tests := map[string]struct{ in, want core.Description }{
		"zero": {core.Description{}, core.Description{}},
		"full": {full, want},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := DescriptionFromProto(wire(t, DescriptionToProto(tc.in), &pb.Description{}))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := DescriptionFromProto(nil); err == nil || err.Error() != "description: missing" {
		t.Errorf("nil: %v", err)
	}
}

func TestArmor(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		kind     int32
		data     []byte
		wantKind core.ArmorKind
		wantData []byte
		wantErr  string
	}{
		"zero":          {0, nil, core.ArmorNone, nil, ""},
		"signature":     {3, []byte{1, 2}, core.ArmorSignature, []byte{1, 2}, ""},
		"error kind":    {-7, nil, core.ArmorKind(-7), nil, ""},
		"too low":       {-8, nil, 0, nil, "armor kind -8 out of range"},
		"too high":      {8, []byte{1}, 0, nil, "armor kind 8 out of range"},
		"error + data":  {-1, []byte{1}, 0, nil, "armor kind -1 came with 1 bytes of data"},
		"none + data":   {0, []byte{1}, 0, nil, "armor kind 0 came with 1 bytes of data"},
		"sec key empty": {7, nil, core.ArmorSecKey, nil, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			k, data, err := ParseArmorFromProto(tc.kind, tc.data)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("got %v, %v, %v; want error %q", k, data, err, tc.wantErr)
				}
				return
			}
			if err != nil || k != tc.wantKind || !cmp.Equal(data, tc.wantData) {
				t.Fatalf("got %v, %v, %v; want %v, %v", k, data, err, tc.wantKind, tc.wantData)
			}
		})
	}
	if got := ArmorKindToProto(core.ArmorErrCRCCheck); got != int32(core.ArmorErrCRCCheck) {
		t.Errorf("ArmorKindToProto = %d", got)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in       error
		want     *pb.Error
		sentinel error
	}{
		"nil":   {nil, nil, nil},
		"plain": {errors.New("boom"), &pb.Error{Message: "boom"}, nil},
		"not supported": {
			fmt.Errorf("legacy: merge: %w", core.ErrNotSupported),
			&pb.Error{Kind: pb.ErrorKind_ERROR_KIND_NOT_SUPPORTED, Message: "legacy: merge: rpmpgp: operation not supported by this backend"},
			core.ErrNotSupported,
		},
		"unsupported digest": {
			fmt.Errorf("md2: %w", core.ErrUnsupportedDigest),
			&pb.Error{Kind: pb.ErrorKind_ERROR_KIND_UNSUPPORTED_DIGEST, Message: "md2: rpmpgp: unsupported digest algorithm"},
			core.ErrUnsupportedDigest,
		},
		"invalid UTF-8": {errors.New("bad \xff"), &pb.Error{Message: "bad \uFFFD"}, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := ErrorToProto(tc.in)
			if diff := cmp.Diff(tc.want, m, protocmp.Transform()); diff != "" {
				t.Fatalf("ErrorToProto (-want +got):\n%s", diff)
			}
			if m != nil {
				m = wire(t, m, &pb.Error{})
			}
			back := ErrorFromProto(m)
			if tc.in == nil {
				if back != nil {
					t.Fatalf("ErrorFromProto(nil) = %v", back)
				}
				return
			}
			if back.Error() != tc.want.Message {
				t.Errorf("message %q, want %q", back.Error(), tc.want.Message)
			}
			if tc.sentinel != nil && !errors.Is(back, tc.sentinel) {
				t.Errorf("%v does not wrap %v", back, tc.sentinel)
			}
			if tc.sentinel == nil && (errors.Is(back, core.ErrNotSupported) || errors.Is(back, core.ErrUnsupportedDigest)) {
				t.Errorf("%v wraps a sentinel", back)
			}
		})
	}
	if got := ErrorFromProto(&pb.Error{Kind: 42}).Error(); got != "backend returned an error without a message" {
		t.Errorf("empty message: %q", got)
	}
	var be *BackendError
	if !errors.As(ErrorFromProto(&pb.Error{Kind: 42, Message: "x"}), &be) || be.Kind != pb.ErrorKind_ERROR_KIND_UNSPECIFIED {
		t.Errorf("unknown kind not mapped to unspecified: %+v", be)
	}
}

func TestString(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want string }{
		"empty":     {"", ""},
		"ascii":     {"abc", "abc"},
		"valid":     {"Bjørn", "Bjørn"},
		"invalid":   {"a\xffb", "a\uFFFDb"},
		"run":       {"a\xff\xfe\xfdb", "a\uFFFDb"},
		"truncated": {"\xe2\x82", "\uFFFD"},
	}
	for name, tc := range tests {
		if got := String(tc.in); got != tc.want {
			t.Errorf("%s: String(%q) = %q, want %q", name, tc.in, got, tc.want)
		}
	}
	if Strings(nil) != nil {
		t.Error("Strings(nil) != nil")
	}
	if got := Strings([]string{"x\xff"}); !cmp.Equal(got, []string{"x\uFFFD"}) {
		t.Errorf("Strings = %q", got)
	}
}
