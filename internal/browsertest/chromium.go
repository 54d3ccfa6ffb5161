// Package browsertest finds the headless Chromium the browser tests drive
// (console, the phone page, the sound plan), with one rule for all of them:
// without it a test skips, except under CI=true, where it fails.
package browsertest

import (
	"os"
	"os/exec"
	"testing"
)

// Chromium is the browser's path: $POSBRIDGE_CHROMIUM, or the first of
// Debian's and Google's names on PATH. what names the tests that need it.
func Chromium(t testing.TB, what string) string {
	t.Helper()
	if p := os.Getenv("POSBRIDGE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("chromium is not installed: %s need it (scripts/ci-deps.sh installs it; apt-get install chromium)", what)
	}
	t.Skipf("chromium not installed; skipping %s (set CI=true to make this a failure)", what)
	return ""
}
