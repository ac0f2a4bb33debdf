package packet

import (
	"fmt"
	"strings"
	"time"
)

// UpperHex is how Sequoia displays fingerprints and key IDs.
func UpperHex(b []byte) string { return strings.ToUpper(fmt.Sprintf("%x", b)) }

// SequoiaTime formats a time as Sequoia's error messages do
// ("2022-04-12T00:00:15Z").
func SequoiaTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
