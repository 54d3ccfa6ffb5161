package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
)

// config check shows the configuration the daemon runs: the file merged
// with the console's settings layer, and names the layer for a problem in it.
func TestConfigCheckShowsTheSettingsLayer(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "posbridge.yaml")
	writeTestFile(t, file, config.ExampleYAML())
	layer := config.SettingsPath(filepath.Join(dir, "data"))
	if err := os.MkdirAll(filepath.Dir(layer), 0o750); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, layer, "printers:\n  - name: bar\n    role: kitchen\n    connection: tcp://192.168.1.50:9100\n    match: { categories: [奶茶] }\n"+
		"layouts:\n  customer: { header: 开业大吉 }\n")
	code, stdout, stderr := runCmd(checkCmd, "--config", file)
	if code != 0 {
		t.Fatalf("config check = %d:\n%s", code, stderr)
	}
	for _, want := range []string{"merged with the settings layer " + layer, "name: bar", "categories: [奶茶]", "header: 开业大吉"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "name: kitchen1") {
		t.Error("the layer's printer list did not replace the file's")
	}
	writeTestFile(t, layer, "layouts:\n  kitchen: { copies: 7 }\n")
	code, _, stderr = runCmd(checkCmd, "--config", file)
	if code != 1 || !strings.Contains(stderr, "layouts.kitchen.copies: must be from 0 to 5 (0 = not printed) (settings.yaml line 2)") {
		t.Fatalf("a problem in the layer = %d:\n%s", code, stderr)
	}
}
