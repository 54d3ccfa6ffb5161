package main

import (
	"os"
	"path/filepath"
	"testing"
)

// The README's load-tool command works in a fresh clone: the report's
// folder (bench/) need not exist.
func TestReportFolderIsMade(t *testing.T) {
	t.Chdir(t.TempDir())
	if code := run([]string{"-scenario", "steady", "-rate", "5", "-duration", "1s", "-mode", "inprocess", "-warmup", "0s",
		"-json", filepath.Join("bench", "steady.json")}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, f := range []string{"bench/steady.json", "bench/steady.html"} {
		if info, err := os.Stat(f); err != nil || info.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}
