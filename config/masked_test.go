package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMaskedYAMLHidesSecrets(t *testing.T) {
	c := liveConfig(t)
	c.Console.Pin = "8642"
	c.Console.APIToken = "api-token-SECRET-123456"
	c.Push.Token = "push-token-SECRET-98765"
	c.Platform.BaseURL = "https://user:hunter2@open.example.cn/openapi"
	out := c.MaskedYAML()

	key, err := os.ReadFile(c.Platform.PrivateKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	keyBody := strings.Split(string(key), "\n")[1] // first line of the base64
	for _, secret := range []string{"tok-0123456789abcdef", "8642", "api-token-SECRET", "push-token-SECRET", "hunter2", keyBody} {
		if strings.Contains(out, secret) {
			t.Errorf("masked YAML contains %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{
		"access_token: '****ef'",
		"pin: (set)",
		"api_token: '****56'",
		"token: '****65'",
		"private_key_file: " + c.Platform.PrivateKeyFile,
		"mode: live",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("masked YAML lacks %q:\n%s", want, out)
		}
	}
}

func TestMaskShortSecretsAndBcrypt(t *testing.T) {
	tests := []struct{ got, want string }{
		{maskSecret(""), ""},
		{maskSecret("short"), "(set)"},
		{maskSecret("0123456789ab"), "****ab"},
		{maskPin("1234"), "(set)"},
		{maskPin("$2b$10$abcdefghijklmnopqrstuuFm1234567890abcdefghijklmnopqrs"), "(bcrypt hash)"},
		{maskPin(""), ""},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// The masked output is a config file itself: it loads with no unknown key
// and the same effective values (secrets aside).
func TestMaskedYAMLLoadsBack(t *testing.T) {
	c := loadYAML(t, ExampleYAML())
	path := filepath.Join(t.TempDir(), FileName)
	writeFile(t, path, c.MaskedYAML())
	back, err := Load(LoadOptions{Path: path, Env: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if ps := back.Validate(); len(ps) > 0 {
		t.Fatalf("masked YAML does not load cleanly:%s", problemLines(ps))
	}
	if back.MaskedYAML() != c.MaskedYAML() {
		t.Errorf("round trip changed the config:\n%s\n---\n%s", c.MaskedYAML(), back.MaskedYAML())
	}
}
