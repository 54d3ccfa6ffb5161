// Package ptypair starts socat with two linked pseudo-terminals, the stand-in
// for a serial printer or scanner in tests: one end is the port posbridge
// opens, the other the device the test plays. Without socat a test skips,
// except under CI=true, where it fails (scripts/ci-deps.sh installs socat).
package ptypair

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Start links two ptys named port and device in a temporary folder and
// returns their paths; socat is stopped when the test ends.
func Start(t testing.TB, port, device string) (portPath, devicePath string) {
	t.Helper()
	socat, err := exec.LookPath("socat")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("socat is required under CI (scripts/ci-deps.sh installs it)")
		}
		t.Skip("socat not installed")
	}
	dir := t.TempDir()
	portPath, devicePath = filepath.Join(dir, port), filepath.Join(dir, device)
	cmd := exec.Command(socat, "pty,raw,echo=0,link="+portPath, "pty,raw,echo=0,link="+devicePath)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		_, e1 := os.Stat(portPath)
		_, e2 := os.Stat(devicePath)
		if e1 == nil && e2 == nil {
			return portPath, devicePath
		}
	}
	t.Fatal("socat did not create the ptys")
	return "", ""
}
