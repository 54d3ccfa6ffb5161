// Package scripts_test checks the release scripts' behaviour that can be
// checked without building a release.
package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `make dist` without the tools of scripts/ci-deps.sh stops at once and
// names them with the packages to install, before it touches dist/ (it went
// on after failed cross builds and ended in an OpenSSL error).
func TestDistNamesMissingToolsFirst(t *testing.T) {
	root := t.TempDir()
	script, err := os.ReadFile("dist.sh")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "scripts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "scripts", "dist.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(root, "dist", "keep")
	if err := os.MkdirAll(filepath.Dir(keep), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keep, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// A PATH with the shell's basics only: no compilers, no nsis, no go.
	bin := filepath.Join(root, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"bash", "date", "tr", "sed", "dirname", "rm", "mkdir", "cat"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s not found", tool)
		}
		if err := os.Symlink(p, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(filepath.Join(bin, "bash"), filepath.Join(root, "scripts", "dist.sh"))
	cmd.Env = []string{"PATH=" + bin, "HOME=" + root, "VERSION=v1.2.3", "COMMIT=abc", "DATE=2026-01-01T00:00:00Z"}
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("dist.sh without its tools succeeded:\n%s", out)
	}
	for _, want := range []string{"missing tool(s):", "aarch64-linux-gnu-gcc", "x86_64-w64-mingw32-gcc", "makensis", "osslsigncode",
		"sudo scripts/ci-deps.sh", "gcc-aarch64-linux-gnu", "mingw-w64", "nsis"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "openssl:") || strings.Contains(string(out), "cross builds") {
		t.Errorf("dist.sh went on past the missing tools:\n%s", out)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("dist/ was touched before the tools were checked: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s to say what is missing", d)
	}
}
