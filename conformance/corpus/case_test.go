package corpus

import (
	"encoding/json"
	"testing"
)

// TestDataHexJSON: literal data travels as lower-case hex in the JSON
// report (the field is "hex"; encoding/json alone would write base64) and
// reads back to the same bytes.
func TestDataHexJSON(t *testing.T) {
	in := Data{Bytes: HexBytes{0xde, 0xad, 0xbe, 0xef, 0x00}}
	out, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"hex":"deadbeef00"}`; string(out) != want {
		t.Fatalf("json.Marshal = %s, want %s", out, want)
	}
	var back Data
	if err := json.Unmarshal(out, &back); err != nil || string(back.Bytes) != string(in.Bytes) {
		t.Fatalf("round trip: %x, %v", back.Bytes, err)
	}
	if err := json.Unmarshal([]byte(`{"hex":"3q2+7w=="}`), &back); err == nil {
		t.Fatal("base64 accepted as hex")
	}
}
