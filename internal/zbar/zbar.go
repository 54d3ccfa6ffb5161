// Package zbar reads the barcodes and QR codes of an image with zbarimg
// (zbar-tools, installed by scripts/ci-deps.sh), for tests of printed
// pictures. Without the tool a test skips, or fails under CI=true.
package zbar

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Codes is every code zbarimg finds in a PNG, as "QR-Code:data" or
// "CODE-128:data", sorted; none is an empty list.
func Codes(tb testing.TB, png []byte) []string {
	tb.Helper()
	path, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatal("zbarimg is missing (scripts/ci-deps.sh installs zbar-tools)")
		}
		tb.Skip("zbarimg not installed")
	}
	file := filepath.Join(tb.TempDir(), "scan.png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, _ := exec.Command(path, "-q", file).Output() // exit status 4: nothing found
	codes := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(codes) == 1 && codes[0] == "" {
		return nil
	}
	sort.Strings(codes)
	return codes
}
