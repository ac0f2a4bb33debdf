package convert

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/verify"
)

var itemOpts = cmpopts.IgnoreUnexported(core.Item{})

func TestResultRoundTrip(t *testing.T) {
	t.Parallel()
	if ResultToProto(nil) != nil {
		t.Error("ResultToProto(nil) != nil")
	}
	if _, err := ResultFromProto(nil); err == nil {
		t.Error("ResultFromProto(nil): no error")
	}
	full := &core.Result{
		Path: "/tmp/p.rpm", Failed: true, ReadFailed: false, Error: "",
		Lints: []core.Lint{{Error: true, Text: "bad"}, {Text: "warn"}},
		Items: []*core.Item{
			{Tag: 268, Count: 1, Type: core.TypeSignature, Range: core.RangeHeader, HashAlgo: core.HashSHA256,
				SigAlgo: core.PubKeyRSA, Sig: fullParams, RC: core.RCNoKey, Msg: "key ID 1234: not found",
				KeyFingerprint: make([]byte, 20), Lints: []core.Lint{{Error: true, Text: "bad"}}, Shown: true},
			{Tag: 5092, Index: 1, Count: 2, Type: core.TypeDigest, Range: core.RangePayload, Alt: true,
				HashAlgo: core.HashSHA512, RC: core.RCNotFound},
		},
	}
	// The signature packet does not travel: the answer shows the parsed
	// fields only.
	sigNoPacket := *fullParams
	sigNoPacket.Packet = nil
	fullBack := *full
	fullBack.Items = []*core.Item{{}, full.Items[1]}
	*fullBack.Items[0] = *full.Items[0]
	fullBack.Items[0].Sig = &sigNoPacket
	tests := map[string]struct{ in, want *core.Result }{
		"zero":          {in: &core.Result{}, want: &core.Result{}},
		"unreadable":    {in: &core.Result{Path: "x", Failed: true, ReadFailed: true, NotRPM: true}, want: &core.Result{Path: "x", Failed: true, ReadFailed: true, NotRPM: true}},
		"open failed":   {in: &core.Result{Path: "x", Failed: true, OpenFailed: true, Error: "open failed: No such file or directory"}, want: &core.Result{Path: "x", Failed: true, OpenFailed: true, Error: "open failed: No such file or directory"}},
		"full":          {in: full, want: &fullBack},
		"invalid UTF-8": {in: &core.Result{Path: "p\xff.rpm", Error: "bad \xfe"}, want: &core.Result{Path: "p\uFFFD.rpm", Error: "bad \uFFFD"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ResultFromProto(wire(t, ResultToProto(tc.in), &pb.Result{}))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, itemOpts); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
			// Seen is derived from the items, so it survives the trip too.
			ws, wb := tc.want.Seen()
			gs, gb := got.Seen()
			if ws != gs || wb != gb {
				t.Errorf("Seen = %v,%v, want %v,%v", gs, gb, ws, wb)
			}
		})
	}
}

// TestResultAbsentItems: items exactly verify.AbsentItem(tag) travel as
// their tag and position and come back in place; an absent tag's item that
// carries anything more travels whole.
func TestResultAbsentItems(t *testing.T) {
	t.Parallel()
	abs := func(tag uint32) *core.Item {
		it, ok := verify.AbsentItem(tag)
		if !ok {
			t.Fatalf("no absent item for tag %d", tag)
		}
		return it
	}
	withMsg := abs(5097)
	withMsg.Msg = "Expected a != b"
	shown := abs(273)
	shown.Shown = true
	present := &core.Item{Tag: 273, Count: 1, Type: core.TypeDigest, Range: core.RangeHeader, HashAlgo: core.HashSHA256, RC: core.RCOK, Shown: true}
	in := &core.Result{Path: "p.rpm", Items: []*core.Item{
		abs(267), present, abs(278), abs(279), withMsg, shown, abs(1002),
	}}
	wireResult := wire(t, ResultToProto(in), &pb.Result{})
	if diff := cmp.Diff([]uint32{267, 278, 279, 1002}, wireResult.AbsentTags); diff != "" {
		t.Errorf("absent tags on the wire (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int32{0, 2, 3, 6}, wireResult.AbsentAt); diff != "" {
		t.Errorf("absent positions on the wire (-want +got):\n%s", diff)
	}
	if len(wireResult.Items) != 3 {
		t.Errorf("%d whole items on the wire, want 3", len(wireResult.Items))
	}
	got, err := ResultFromProto(wireResult)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, got, itemOpts); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestResultFromProtoRejectsGarbage(t *testing.T) {
	t.Parallel()
	item := func(mod func(*pb.Item)) *pb.Result {
		it := &pb.Item{Tag: 268, Count: 1, Type: int32(core.TypeSignature), Range: int32(core.RangeHeader), Rc: pb.RC_RC_OK}
		mod(it)
		return &pb.Result{Items: []*pb.Item{it}}
	}
	tests := map[string]struct {
		in   *pb.Result
		want string
	}{
		"nil item":                {&pb.Result{Items: []*pb.Item{nil}}, "item 0: missing"},
		"unknown type":            {item(func(it *pb.Item) { it.Type = 3 }), "unknown item type 3"},
		"zero type":               {item(func(it *pb.Item) { it.Type = 0 }), "unknown item type 0"},
		"unknown range":           {item(func(it *pb.Item) { it.Range = 4 }), "unknown range 4"},
		"zero range":              {item(func(it *pb.Item) { it.Range = 0 }), "unknown range 0"},
		"unknown rc":              {item(func(it *pb.Item) { it.Rc = 9 }), "unknown result code 9"},
		"big algorithm":           {item(func(it *pb.Item) { it.HashAlgo = 256 }), "algorithm out of range"},
		"index > count":           {item(func(it *pb.Item) { it.Index = 2 }), "index 2 of 1 out of range"},
		"negative count":          {item(func(it *pb.Item) { it.Count = -1 }), "out of range"},
		"long fpr":                {item(func(it *pb.Item) { it.KeyFingerprint = make([]byte, 65) }), "key fingerprint of 65 bytes"},
		"bad sig params":          {item(func(it *pb.Item) { it.Sig = &pb.Params{KeyId: []byte{1}} }), "key ID is 1 bytes"},
		"nil item lint":           {item(func(it *pb.Item) { it.Lints = []*pb.Lint{nil} }), "lint 0: missing"},
		"nil result lint":         {&pb.Result{Lints: []*pb.Lint{nil}}, "lint 0: missing"},
		"too many items":          {&pb.Result{Items: make([]*pb.Item, maxItems+1)}, "items, limit"},
		"too many absent":         {&pb.Result{AbsentTags: make([]uint32, maxItems+1), AbsentAt: make([]int32, maxItems+1)}, "items, limit"},
		"absent without position": {&pb.Result{AbsentTags: []uint32{267}}, "1 absent tags, 0 positions"},
		"absent unknown tag":      {&pb.Result{AbsentTags: []uint32{1000}, AbsentAt: []int32{0}}, "absent item of unknown tag 1000"},
		"absent out of order":     {&pb.Result{AbsentTags: []uint32{267, 278}, AbsentAt: []int32{1, 0}}, "absent item at 1 out of range"},
		"absent repeated":         {&pb.Result{AbsentTags: []uint32{267, 278}, AbsentAt: []int32{0, 0}}, "absent item at 0 out of order or range"},
		"absent past the end":     {&pb.Result{AbsentTags: []uint32{267}, AbsentAt: []int32{1}}, "absent item at 1 out of order or range"},
		"absent negative":         {&pb.Result{AbsentTags: []uint32{267}, AbsentAt: []int32{-1}}, "out of order or range"},
		"absent bad item between": {&pb.Result{Items: []*pb.Item{nil}, AbsentTags: []uint32{267}, AbsentAt: []int32{1}}, "item 0: missing"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ResultFromProto(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ResultFromProto = %+v, %v; want an error containing %q", got, err, tc.want)
			}
			if got != nil {
				t.Errorf("a rejected result came back: %+v", got)
			}
		})
	}
}

func TestConfigRoundTrip(t *testing.T) {
	t.Parallel()
	for _, c := range []core.VerifyConfig{{}, core.StrictDefaults(), core.LegacyDefaults(), {Profile: core.ProfileLegacy, Level: core.LevelAll, Flags: core.VSFNoDigests}, {Level: core.LevelNone}} {
		got, err := ConfigFromProto(wire(t, ConfigToProto(c), &pb.VerifyConfig{}))
		if err != nil || got != c {
			t.Errorf("round trip of %+v = %+v, %v", c, got, err)
		}
	}
	for name, in := range map[string]*pb.VerifyConfig{
		"nil":           nil,
		"unknown rules": {Rules: 2},
		"level -1":      {Level: -1},
		"level 4":       {Level: 4},
	} {
		if got, err := ConfigFromProto(in); err == nil {
			t.Errorf("%s: ConfigFromProto = %+v, want an error", name, got)
		}
	}
}

func TestKeyringCertsRoundTrip(t *testing.T) {
	t.Parallel()
	cert := []byte{0x99, 1, 2, 3}
	primary := &core.Params{Kind: core.KindKey, Version: 4, SigType: -1, Fingerprint: make([]byte, 20), Packet: cert}
	sub := &core.Params{Kind: core.KindSubkey, Version: 4, SigType: -1, KeyID: core.KeyID{7}, Packet: cert}
	in := []core.KeyringCert{{Primary: primary, Subkeys: []*core.Params{sub}, Source: "keys/a.asc"}, {Primary: primary, Source: "b"}}
	msgs := KeyringCertsToProto(in)
	if len(msgs[0].Subkeys[0].Packet) != 0 {
		t.Errorf("a subkey sharing its primary's certificate carries it again (%d bytes)", len(msgs[0].Subkeys[0].Packet))
	}
	for i := range msgs {
		msgs[i] = wire(t, msgs[i], &pb.KeyringCert{})
	}
	got, err := KeyringCertsFromProto(msgs)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if got, err := KeyringCertsFromProto(nil); err != nil || len(got) != 0 {
		t.Errorf("empty keyring: %v, %v", got, err)
	}
	for name, in := range map[string][]*pb.KeyringCert{
		"nil cert":     {nil},
		"no primary":   {{Source: "x"}},
		"nil subkey":   {{Primary: ParamsToProto(primary), Subkeys: []*pb.Params{nil}}},
		"bad subkey":   {{Primary: ParamsToProto(primary), Subkeys: []*pb.Params{{KeyId: []byte{1, 2}}}}},
		"bad primary":  {{Primary: &pb.Params{Kind: 7, KeyId: make([]byte, 8), HashPrefix: make([]byte, 2)}}},
		"many subkeys": {{Primary: ParamsToProto(primary), Subkeys: make([]*pb.Params, maxSubkeys+1)}},
	} {
		if got, err := KeyringCertsFromProto(in); err == nil {
			t.Errorf("%s: KeyringCertsFromProto = %+v, want an error", name, got)
		}
	}
}

func TestKeyFilesAndImportResults(t *testing.T) {
	t.Parallel()
	files := []core.KeyFile{{Source: "a.asc", Data: []byte("x")}, {Source: "b"}}
	var msgs []*pb.KeyFile
	for _, m := range KeyFilesToProto(files) {
		msgs = append(msgs, wire(t, m, &pb.KeyFile{}))
	}
	got, err := KeyFilesFromProto(msgs)
	if err != nil || !cmp.Equal(got, files, cmpopts.EquateEmpty()) {
		t.Errorf("key files round trip = %+v, %v", got, err)
	}
	if _, err := KeyFilesFromProto([]*pb.KeyFile{nil}); err == nil {
		t.Error("nil key file accepted")
	}

	rs := []core.ImportResult{
		{Source: "a.asc", Index: 1, Fingerprint: make([]byte, 32), RC: core.RCOK, Lint: "warning"},
		{Source: "b", Index: 2, RC: core.RCNotTrusted, Lint: "weak", Err: "key 2 import failed."},
		{},
	}
	var rmsgs []*pb.ImportResult
	for _, m := range ImportResultsToProto(rs) {
		rmsgs = append(rmsgs, wire(t, m, &pb.ImportResult{}))
	}
	gotRs, err := ImportResultsFromProto(rmsgs)
	if err != nil || !cmp.Equal(gotRs, rs, cmpopts.EquateEmpty()) {
		t.Errorf("import results round trip = %+v, %v", gotRs, err)
	}
	for name, in := range map[string][]*pb.ImportResult{
		"nil":      {nil},
		"bad rc":   {{Rc: 6}},
		"long fpr": {{Fingerprint: make([]byte, 65)}},
	} {
		if got, err := ImportResultsFromProto(in); err == nil {
			t.Errorf("%s: ImportResultsFromProto = %+v, want an error", name, got)
		}
	}
}
