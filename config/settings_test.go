package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const layeredFile = `data_dir: ./data
stores:
  - id: "1862"
    name: 南翔一店
printers:
  - name: front
    role: receipt
    connection: tcp://192.168.1.87:9100
`

func writeLayered(t *testing.T, settings string) (dir string, load func([]byte) (*Config, error)) {
	t.Helper()
	dir = t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte(layeredFile), 0o600); err != nil {
		t.Fatal(err)
	}
	if settings != "" {
		if err := os.MkdirAll(filepath.Join(dir, "data"), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "data", SettingsFileName), []byte(settings), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	load = func(s []byte) (*Config, error) {
		return Load(LoadOptions{Path: path, Env: []string{}, Settings: s})
	}
	return dir, load
}

func TestSettingsLayerMergesOverTheFile(t *testing.T) {
	_, load := writeLayered(t, `
print:
  footer: 谢谢光临
printers:
  - name: front
    role: receipt
    connection: tcp://192.168.1.88:9100
  - name: bar
    role: label
    connection: tcp://192.168.1.89:9100
    stores: ["1862"]
`)
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Printers) != 2 || c.Printers[0].Connection != "tcp://192.168.1.88:9100" || c.Printers[1].Language != LanguageTSPL {
		t.Fatalf("printers = %+v, want the layer's list with defaults", c.Printers)
	}
	if c.Print.Footer != "谢谢光临" || c.Stores[0].Name != "南翔一店" || c.Print.On != "accept" {
		t.Fatalf("merge lost a key: print=%+v stores=%+v", c.Print, c.Stores)
	}
	if !strings.HasSuffix(c.Settings, filepath.Join("data", SettingsFileName)) {
		t.Fatalf("Settings = %q", c.Settings)
	}
	if src := c.sources["printers[1].connection"]; src != "settings.yaml line 10" {
		t.Fatalf("source of a layered key = %q, want settings.yaml line 10", src)
	}
}

func TestSettingsLayerProblemsNameTheLayer(t *testing.T) {
	_, load := writeLayered(t, "data_dir: /elsewhere\nprint:\n  on: later\n  colour: red\n")
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(c.DataDir, "data") {
		t.Fatalf("the layer moved data_dir to %s", c.DataDir)
	}
	all := c.Validate()
	var sawDataDir, sawUnknown, sawEnum bool
	for _, p := range all {
		switch {
		case p.Key == "data_dir" && p.Source == "settings.yaml line 1":
			sawDataDir = true
		case p.Key == "print.colour" && p.Source == "settings.yaml line 4":
			sawUnknown = true
		case p.Key == "print.on" && strings.Contains(p.Source, "settings.yaml"):
			sawEnum = true
		}
	}
	if !sawDataDir || !sawUnknown || !sawEnum {
		t.Fatalf("problems do not name the layer: %v", all)
	}
}

func TestSettingsRoundTripKeepsComments(t *testing.T) {
	dir, load := writeLayered(t, `# hand notes: the bar printer was moved in May
print:
  footer: 谢谢光临 # shown on every receipt
printers:
  # the counter
  - name: front
    role: receipt # never change
    connection: tcp://192.168.1.88:9100
`)
	cur, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	ps := append([]PrinterConfig(nil), cur.Printers...)
	ps[0].Connection = "tcp://192.168.1.90:9100"
	ps = append(ps, PrinterConfig{Name: "kitchen", Role: RoleKitchen, Connection: "tcp://192.168.1.91:9100"})
	ed := &Editor{Load: load}
	next, err := ed.Apply(cur, Edit{Key: "printers", Value: ps}, Edit{Key: "console.no_page_beep", Value: "3m"})
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Printers) != 2 || next.Printers[0].Connection != "tcp://192.168.1.90:9100" {
		t.Fatalf("edit not applied: %+v", next.Printers)
	}
	data, err := os.ReadFile(filepath.Join(dir, "data", SettingsFileName))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, want := range []string{"# hand notes: the bar printer was moved in May", "# shown on every receipt", "# the counter", "# never change",
		"tcp://192.168.1.90:9100", "name: kitchen", "no_page_beep: 3m"} {
		if !strings.Contains(s, want) {
			t.Errorf("layer lost %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "copies: 0") || strings.Contains(s, "offset_x") {
		t.Errorf("layer holds empty values that would freeze defaults:\n%s", s)
	}
	again, err := load(nil)
	if err != nil || again.Printers[1].FontSize != 2 || again.Console.NoPageBeep.String() != "3m0s" {
		t.Fatalf("reloaded layer: %v %+v", err, again)
	}
}

func TestSettingsEditRefusedWithTheReason(t *testing.T) {
	dir, load := writeLayered(t, "")
	cur, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	ed := &Editor{Load: load}
	bad := append([]PrinterConfig(nil), cur.Printers...)
	bad = append(bad, PrinterConfig{Name: "front", Role: "bar", Connection: "lpt1"})
	_, err = ed.Apply(cur, Edit{Key: "printers", Value: bad})
	var ee *EditError
	if !errors.As(err, &ee) {
		t.Fatalf("err = %v, want an EditError", err)
	}
	msg := err.Error()
	for _, want := range []string{"printers[1].name", "printers[1].role", "printers[1].connection"} {
		if !strings.Contains(msg, want) {
			t.Errorf("refusal %q does not name %s", msg, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data", SettingsFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused edit wrote the layer: %v", err)
	}
	if _, err := ed.Apply(cur, Edit{Key: "data_dir", Value: "/tmp"}); err == nil {
		t.Fatal("data_dir accepted in the layer")
	}
}

func TestSandboxSettingsLayerReplacesItsPrinters(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("posbridge-sandbox", 0o750); err != nil {
		t.Fatal(err)
	}
	layer := "printers:\n  - name: only\n    role: receipt\n    connection: virtual://only\n"
	if err := os.WriteFile(filepath.Join("posbridge-sandbox", SettingsFileName), []byte(layer), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(LoadOptions{AllowSandbox: true, Env: []string{}, Search: []string{filepath.Join(dir, "none.yaml")}})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Sandbox || len(c.Printers) != 1 || c.Printers[0].Name != "only" || len(c.Stores) != 2 || c.Settings == "" {
		t.Fatalf("sandbox with layer: sandbox=%v printers=%+v stores=%d", c.Sandbox, c.Printers, len(c.Stores))
	}
}
