package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
)

// The config an installation ships is live mode without credentials: the
// daemon starts in setup mode — the console only, with a banner saying what
// to set; no push listener, no platform, no printing, staff actions refused
// — and doctor fails on the credentials it lists.
func TestInstalledConfigRunsInSetupMode(t *testing.T) {
	dir := t.TempDir()
	exe := installCopy(t, filepath.Join(dir, "bin"))
	cfgFile := filepath.Join(dir, "posbridge.yaml")
	mustWrite(t, cfgFile, config.InstalledYAML("linux"))
	consoleAddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	pushAddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	env := []string{"POSBRIDGE_DATA_DIR=" + filepath.Join(dir, "data"), "POSBRIDGE_CONSOLE_LISTEN=" + consoleAddr,
		"POSBRIDGE_PUSH_LISTEN=" + pushAddr}
	cmd := posbridgeCommand(exe, dir, "run", "--config", cfgFile)
	cmd.Env = append(cmd.Env, env...)
	var mu sync.Mutex
	var stderr bytes.Buffer
	pipe, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	copied := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			mu.Lock()
			stderr.WriteString(sc.Text() + "\n")
			mu.Unlock()
		}
		close(copied)
	}()
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-copied:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
		}
		_ = cmd.Wait()
	}()
	base := "http://" + consoleAddr
	var health struct {
		OK    bool `json:"ok"`
		Setup bool `json:"setup"`
	}
	deadline := time.Now().Add(20 * time.Second)
	for getJSON(base+"/api/health", &health) != nil {
		if time.Now().After(deadline) {
			mu.Lock()
			t.Fatalf("the console never answered:\n%s", stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !health.Setup {
		t.Fatalf("/api/health: %+v, want setup", health)
	}
	var session struct {
		Setup struct {
			Message string   `json:"message"`
			Missing []string `json:"missing"`
		} `json:"setup"`
	}
	if err := getJSON(base+"/api/session", &session); err != nil || !strings.Contains(session.Setup.Message, "设置模式") ||
		len(session.Setup.Missing) != 5 {
		t.Fatalf("/api/session setup: %+v %v", session, err)
	}
	resp, err := http.Post(base+"/api/scan", "application/json", strings.NewReader(`{"code":"123"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "设置模式") {
		t.Errorf("a scan in setup mode: %d %s, want 503 saying setup mode", resp.StatusCode, body)
	}
	if c, err := net.DialTimeout("tcp", pushAddr, time.Second); err == nil {
		c.Close()
		t.Error("the push receiver listens in setup mode")
	}
	var printers struct {
		Printers []any `json:"printers"`
	}
	if err := getJSON(base+"/api/printers", &printers); err != nil || len(printers.Printers) != 0 {
		t.Errorf("printers in setup mode: %+v %v, want none running", printers, err)
	}
	mu.Lock()
	banner := stderr.String()
	mu.Unlock()
	if !strings.Contains(banner, "SETUP MODE") || !strings.Contains(banner, "platform.access_token") {
		t.Errorf("no setup banner:\n%s", banner)
	}

	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	rows := doctorRows(t, cfgFile)
	expectRow(t, rows, "credentials", statusFail, "setup mode", "platform.base_url, platform.partner_id, platform.app_id, platform.access_token, platform.private_key_file")
	expectRow(t, rows, "push listener", statusSkip, "setup mode", "")
	expectRow(t, rows, "printer front", statusWarn, "virtual printer in live mode", "real printer")
}

func getJSON(url string, out any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}
