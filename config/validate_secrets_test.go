package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Issue 13 item 6: a config holding secrets, or a private key, readable by
// every account on the PC is warned about; the packaged 0640 is not.
func TestWorldReadableSecretsAreWarned(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("mode bits mean nothing on Windows; the installer sets ACLs")
	}
	c := liveConfig(t)
	key := c.Platform.PrivateKeyFile
	warned := func() []string {
		var out []string
		for _, p := range c.Validate() {
			if p.Warning && (p.Key == "config file" || p.Key == "platform.private_key_file") {
				out = append(out, p.String())
			}
		}
		return out
	}
	for _, f := range []string{c.File, key} {
		if err := os.Chmod(f, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	if w := warned(); len(w) != 0 {
		t.Fatalf("0640 (the packages' mode) is right and must not warn: %v", w)
	}
	if err := os.Chmod(c.File, 0o644); err != nil {
		t.Fatal(err)
	}
	if w := warned(); len(w) != 1 || !strings.Contains(w[0], "platform.access_token") || !strings.Contains(w[0], "chmod 640") {
		t.Fatalf("a world-readable config with the access token: %v", w)
	}
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	if w := warned(); len(w) != 2 || !strings.Contains(strings.Join(w, "\n"), filepath.Base(key)) {
		t.Fatalf("a world-readable private key: %v", w)
	}

	// A config whose secrets come from the environment holds none.
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	writeFile(t, path, "console:\n  listen: 127.0.0.1:8686\n")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	env, err := Load(LoadOptions{Path: path, Env: []string{"POSBRIDGE_CONSOLE_API_TOKEN=tok-0123456789abcdef"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range env.Validate() {
		if p.Key == "config file" {
			t.Fatalf("secrets from the environment are not in the file: %s", p)
		}
	}
}
