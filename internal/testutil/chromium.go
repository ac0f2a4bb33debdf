package testutil

import (
	"context"
	"fmt"
	"os/exec"
	"testing"
	"time"
)

// ChromiumDOM loads the HTML file at path in headless Chromium (Debian's
// chromium) with a window of width×height pixels and returns the DOM
// after the page's scripts ran (--dump-dom). The test is skipped when
// chromium is not installed (fails under $CI).
func ChromiumDOM(t testing.TB, path string, width, height int) string {
	t.Helper()
	NeedTool(t, "chromium", "the HTML report is checked in headless Chromium")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "chromium", "--headless", "--no-sandbox", "--disable-gpu",
		"--user-data-dir="+t.TempDir(), fmt.Sprintf("--window-size=%d,%d", width, height), "--dump-dom", "file://"+path)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom %s: %v", path, err)
	}
	return string(out)
}
