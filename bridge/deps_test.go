package bridge_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// goList runs `go list` with args in this package's folder.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	tool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(tool); err != nil {
		if tool, err = exec.LookPath("go"); err != nil {
			t.Fatalf("no go tool to list imports with: %v", err)
		}
	}
	out, err := exec.Command(tool, append([]string{"list"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.Fields(string(out))
}

// The rules speak to every source through ports (channel.go): 开个店's
// client and any HTTP client stay outside (issue 12). What a channel
// needs is implemented by its own package, which imports bridge.
func TestBridgeHoldsNoChannelOrHTTP(t *testing.T) {
	deps := goList(t, "-deps", ".")
	for _, banned := range []string{"github.com/posbridge/posbridge/kaigedian", "net/http"} {
		if slices.Contains(deps, banned) {
			t.Errorf("bridge depends on %s; a port in bridge, implemented outside, keeps it out", banned)
		}
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "github.com/posbridge/posbridge/kaigedian/") {
			t.Errorf("bridge depends on %s", d)
		}
	}
}

// The console reaches the database through bridge only.
func TestConsoleDoesNotImportStore(t *testing.T) {
	imports := goList(t, "-f", `{{join .Imports " "}}`, "../console")
	if slices.Contains(imports, "github.com/posbridge/posbridge/store") {
		t.Error("console imports store")
	}
}
