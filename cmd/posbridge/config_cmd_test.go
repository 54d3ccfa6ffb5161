package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
	"golang.org/x/crypto/bcrypt"
)

func runCmd(f func([]string, *bytes.Buffer, *bytes.Buffer) int, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = f(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func initCmd(args []string, out, errOut *bytes.Buffer) int  { return configInit(args, out, errOut) }
func checkCmd(args []string, out, errOut *bytes.Buffer) int { return configCheck(args, out, errOut) }

func TestConfigInit(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)

	code, stdout, stderr := runCmd(initCmd)
	if code != 0 || !strings.Contains(stdout, "wrote posbridge.yaml") {
		t.Fatalf("config init = %d, %q, %q", code, stdout, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "posbridge.yaml"))
	if err != nil || string(data) != config.ExampleYAML() {
		t.Fatalf("written file differs from the example (err %v)", err)
	}

	// A second init must not overwrite what the installer has edited.
	writeTestFile(t, "posbridge.yaml", "# edited\n")
	code, _, stderr = runCmd(initCmd)
	if code != 1 || !strings.Contains(stderr, "already exists") || !strings.Contains(stderr, "--force") {
		t.Errorf("init over an existing file = %d, %q", code, stderr)
	}
	if data, _ := os.ReadFile("posbridge.yaml"); string(data) != "# edited\n" {
		t.Errorf("existing file was overwritten")
	}

	// --force after the file name, the way people type it.
	code, _, stderr = runCmd(initCmd, "posbridge.yaml", "--force")
	if data, _ := os.ReadFile("posbridge.yaml"); code != 0 || string(data) != config.ExampleYAML() {
		t.Errorf("init --force = %d, %q", code, stderr)
	}

	// A new folder is created; --config names the file too.
	code, _, stderr = runCmd(initCmd, "--config", filepath.Join("etc", "pb", "x.yaml"))
	if _, err := os.Stat(filepath.Join(dir, "etc", "pb", "x.yaml")); code != 0 || err != nil {
		t.Errorf("init --config in a new folder = %d, %q, %v", code, stderr, err)
	}

	code, _, stderr = runCmd(initCmd, "a.yaml", "--config", "b.yaml")
	if code != 2 || !strings.Contains(stderr, "differ") {
		t.Errorf("init with two different files = %d, %q", code, stderr)
	}
	if code, _, _ = runCmd(initCmd, "--bogus"); code != 2 {
		t.Errorf("unknown flag = %d, want 2", code)
	}
}

var problemLine = regexp.MustCompile(`^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*: `)

func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	good := filepath.Join(dir, "good.yaml")
	writeTestFile(t, good, config.ExampleYAML())
	broken := filepath.Join(dir, "broken.yaml")
	writeTestFile(t, broken, `console:
  listen: 0.0.0.0:8686
  lisen: x
platform:
  mode: live
  timeout: 10
  access_token: tok-SECRET-0123456789
  private_key_file: keys/missing.pem
printers:
  - { name: front, role: receipt, connection: "tcp://192.168.1.87" }
`)

	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		code       int
		stdout     []string // substrings
		stderr     []string // whole lines
		notInclude []string
	}{
		{
			name:   "good file",
			args:   []string{"--config", good},
			code:   0,
			stdout: []string{"# effective configuration from " + good, "mode: sandbox", "connection: virtual://front"},
			stderr: []string{good + ": OK (0 warning(s))"},
		},
		{
			name:   "file as argument",
			args:   []string{good},
			code:   0,
			stdout: []string{"mode: sandbox"},
		},
		{
			name: "broken file",
			args: []string{"--config", broken},
			code: 1,
			stderr: []string{
				`console.lisen: unknown key; did you mean "listen"? (line 3)`,
				`platform.timeout: "10" has no unit: write 10s for seconds or 10m for minutes (line 6)`,
				"console.pin: required because console.listen 0.0.0.0:8686 is reachable from other machines: set a staff PIN (4 or more characters, or a bcrypt hash), or listen on 127.0.0.1 (line 2)",
				"platform.base_url: required in live mode: the API address 开个店 gave you, like https://…/openapi (line 4)",
				"platform.private_key_file: cannot read the key file: " + filepath.Join(dir, "keys", "missing.pem") + ": no such file or directory (relative paths start at the config file's folder) (line 8)",
				`stores: no stores: add the store this PC serves, like ` + "`" + `stores: [ { id: "1862", name: 南翔一店 } ]` + "`" + ` with the id from 开个店`,
				"printers[0].connection: tcp://192.168.1.87 needs a port: write tcp://192.168.1.87:9100 (9100 is the usual raw printing port) (line 10)",
			},
			notInclude: []string{"tok-SECRET"},
		},
		{
			name:   "environment override is checked",
			args:   []string{"--config", good},
			env:    map[string]string{"POSBRIDGE_CONSOLE_LISTEN": "0.0.0.0:8686"},
			code:   1,
			stderr: []string{"console.pin: required because console.listen 0.0.0.0:8686 is reachable from other machines: set a staff PIN (4 or more characters, or a bcrypt hash), or listen on 127.0.0.1 (POSBRIDGE_CONSOLE_LISTEN)"},
		},
		{
			name:   "missing file",
			args:   []string{"--config", filepath.Join(dir, "none.yaml")},
			code:   1,
			stderr: []string{"posbridge config check: config file " + filepath.Join(dir, "none.yaml") + " does not exist: create it with `posbridge config init " + filepath.Join(dir, "none.yaml") + "`, or fix the --config path"},
		},
		{
			name: "no file anywhere: no sandbox",
			args: []string{},
			code: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, stdout, stderr := runCmd(checkCmd, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstderr:\n%s", code, tt.code, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			for _, want := range tt.stderr {
				if !containsLine(lines, want) {
					t.Errorf("stderr lacks the line\n  %s\ngot:\n%s", want, stderr)
				}
			}
			for _, s := range tt.notInclude {
				if strings.Contains(stdout+stderr, s) {
					t.Errorf("output contains %q", s)
				}
			}
			if tt.code == 1 && len(tt.stderr) > 1 {
				for _, l := range lines[:len(lines)-1] {
					if !problemLine.MatchString(l) {
						t.Errorf("not a `key: message` line: %q", l)
					}
				}
			}
		})
	}
}

func TestConfigCheckSandboxNotice(t *testing.T) {
	file := filepath.Join(t.TempDir(), "posbridge.yaml")
	writeTestFile(t, file, config.ExampleYAML())
	_, _, stderr := runCmd(checkCmd, "--config", file)
	if !strings.Contains(stderr, "notice: platform.mode is sandbox") {
		t.Errorf("no sandbox notice:\n%s", stderr)
	}
}

func TestConfigCommandsAreRegistered(t *testing.T) {
	for _, name := range []string{"config init", "config check"} {
		if _, ok := commands[name]; !ok {
			t.Errorf("%q is not registered", name)
		}
	}
	file := filepath.Join(t.TempDir(), "posbridge.yaml")
	writeTestFile(t, file, config.ExampleYAML())
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = devNull, devNull
	code := dispatch([]string{"config", "check", "--config", file})
	os.Stdout, os.Stderr = stdout, stderr
	if code != 0 {
		t.Errorf("dispatch config check = %d", code)
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func writeTestFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestParseFlagsInterleaved(t *testing.T) {
	tests := []struct {
		args       []string
		positional []string
		force      bool
		config     string
	}{
		{[]string{"a.yaml", "--force"}, []string{"a.yaml"}, true, ""},
		{[]string{"--force", "a.yaml", "--config", "b.yaml"}, []string{"a.yaml"}, true, "b.yaml"},
		{[]string{"-config=c.yaml"}, nil, false, "c.yaml"},
		{[]string{"--", "--force"}, []string{"--force"}, false, ""},
		{[]string{"a", "--", "b", "--force"}, []string{"a", "b", "--force"}, false, ""},
	}
	for _, tt := range tests {
		fs, cfg := newFlagSet("test")
		force := fs.Bool("force", false, "")
		got, err := parseFlags(fs, tt.args)
		if err != nil || !slices.Equal(got, tt.positional) || *force != tt.force || *cfg != tt.config {
			t.Errorf("%q: positional %q force %v config %q err %v", tt.args, got, *force, *cfg, err)
		}
	}
}

// The hash printed for a PIN is accepted by config check and opens the
// console with that PIN; a PIN given as an argument is refused.
func TestConfigHashPin(t *testing.T) {
	var out, errb bytes.Buffer
	if code := configHashPin(nil, strings.NewReader("8642\n"), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	hash := strings.TrimSpace(out.String())
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte("8642")); err != nil {
		t.Fatalf("hash %q does not match the PIN: %v", hash, err)
	}
	// The example config says what the hash looks like: it must be what this prints.
	if prefix := hash[:4]; !strings.Contains(config.ExampleYAML(), `"`+prefix+`...", in quotes`) {
		t.Errorf("hash-pin prints %s…, the example config's comment on console.pin does not say so", prefix)
	}
	if code := configHashPin([]string{"8642"}, strings.NewReader(""), &out, &errb); code != 2 {
		t.Fatalf("a PIN as an argument: exit %d", code)
	}
	if code := configHashPin(nil, strings.NewReader("12\n"), &out, &errb); code != 1 {
		t.Fatalf("a too short PIN: exit %d", code)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "posbridge.yaml")
	yaml := "console: { listen: 0.0.0.0:8686, pin: \"" + hash + "\" }\nstores: [ { id: \"1862\", name: 南翔一店 } ]\n"
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := configCheck([]string{"--config", file}, &out, &errb); code != 0 {
		t.Fatalf("config check of the hashed PIN: exit %d: %s", code, errb.String())
	}
}
