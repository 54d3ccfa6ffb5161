//go:build !windows

package discover

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestSpoolerUnderWine builds this package's tests for Windows and runs
// TestSpoolerInsideWindows under Wine in a throwaway prefix: EnumPrinters
// and GetDefaultPrinter through the real winspool calls. Under CI=true a
// missing Wine or mingw-w64 (scripts/ci-deps.sh installs both) fails.
func TestSpoolerUnderWine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds for Windows and starts Wine")
	}
	for _, tool := range []string{"wine", "wineserver", "x86_64-w64-mingw32-gcc"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is required under CI (scripts/ci-deps.sh installs it)", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	run := func(env []string, name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	exe := filepath.Join(dir, "discover.test.exe")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	run([]string{"GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0"}, goTool, "test", "-c", "-o", exe, ".")

	prefix := filepath.Join(dir, "prefix")
	wine := []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all"}
	t.Cleanup(func() {
		cmd := exec.Command("wineserver", "-k")
		cmd.Env = append(os.Environ(), wine...)
		_ = cmd.Run()
	})
	run(nil, filepath.Join("..", "..", "scripts", "wine-prefix.sh"), prefix)
	out := run(append(wine, "POSBRIDGE_SPOOLER_TEST=1"), "wine", exe, "-test.run", "^TestSpoolerInsideWindows$", "-test.v")
	if !strings.Contains(out, "--- PASS: TestSpoolerInsideWindows") {
		t.Fatalf("the test under Wine did not pass:\n%s", out)
	}
	t.Logf("under Wine:\n%s", out)
}
