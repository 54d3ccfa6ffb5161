package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The config an installation starts with is live mode without credentials:
// it passes the check (the service starts), in setup mode, and says so, and
// that its example printers print nothing on paper.
func TestInstalledConfigStartsInSetupMode(t *testing.T) {
	for _, goos := range []string{"linux", "windows"} {
		dir := t.TempDir()
		file := filepath.Join(dir, FileName)
		if err := os.WriteFile(file, []byte(InstalledYAML(goos)), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(LoadOptions{Path: file, Env: []string{}})
		if err != nil {
			t.Fatalf("%s: %v", goos, err)
		}
		if c.Platform.Mode != ModeLive || !c.SetupMode() {
			t.Fatalf("%s: mode %s, setup %v: an installed service must not run the simulator", goos, c.Platform.Mode, c.SetupMode())
		}
		if err := c.Check(); err != nil {
			t.Fatalf("%s: the installed config does not pass the check: %v", goos, err)
		}
		var setup, virtual bool
		for _, p := range c.Validate() {
			setup = setup || (p.Key == "platform" && p.Warning && strings.Contains(p.Message, "setup mode") &&
				strings.Contains(p.Message, "platform.access_token"))
			virtual = virtual || (strings.HasSuffix(p.Key, ".connection") && p.Warning && strings.Contains(p.Message, "prints nothing on paper"))
		}
		if !setup || !virtual {
			t.Errorf("%s: warnings lack setup mode (%v) or the virtual printers (%v): %v", goos, setup, virtual, c.Validate())
		}
		if goos == "linux" && c.DataDir != "/var/lib/posbridge" {
			t.Errorf("linux data_dir %s", c.DataDir)
		}
		if goos == "windows" && !strings.Contains(InstalledYAML(goos), "\r\n") {
			t.Error("the Windows config has LF line ends")
		}
	}
}

// One credential set and others not is a mistake, not setup: each missing
// one is an error.
func TestPartialCredentialsAreNotSetupMode(t *testing.T) {
	c := Defaults()
	c.Platform.Mode = ModeLive
	c.Platform.AccessToken = "tok"
	if c.SetupMode() {
		t.Fatal("setup mode with an access token set")
	}
	found := false
	for _, p := range Errors(c.Validate()) {
		found = found || (p.Key == "platform.base_url" && strings.Contains(p.Message, "required in live mode"))
	}
	if !found {
		t.Error("a missing base_url beside a set token is not an error")
	}
}
