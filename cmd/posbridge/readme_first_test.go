package main

import (
	"bufio"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The README's first command, run as a newcomer runs it, starts a daemon
// that the stop its banner names (kill PID) stops: the ports are free
// afterwards. (`go run` left the daemon running on 8686/8687 after a kill.)
func TestREADMEFirstCommandStopsOnKill(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("go is not on PATH")
		}
		t.Skip("go is not on PATH")
	}
	line := readmeFirstCommand(t)
	if strings.Contains(line, "go run") {
		t.Fatalf("the first command %q runs the daemon under `go run`: a kill of go leaves it running", line)
	}
	src := copySource(t, filepath.Join("..", ".."))
	consoleAddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir = src
	// Another posbridge may hold 8686/8687/8688 on this machine: the README says how to move.
	cmd.Env = append(os.Environ(), "POSBRIDGE_CONSOLE_LISTEN="+consoleAddr, "POSBRIDGE_PUSH_LISTEN=127.0.0.1:"+strconv.Itoa(freePort(t)),
		"POSBRIDGE_ORDERING_LISTEN=127.0.0.1:"+strconv.Itoa(freePort(t)))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	var mu sync.Mutex
	var out strings.Builder
	pidc := make(chan int, 1)
	go func() {
		stop := regexp.MustCompile(`Stop: Ctrl\+C, or kill (\d+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			out.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if m := stop.FindStringSubmatch(sc.Text()); m != nil {
				pid, _ := strconv.Atoi(m[1])
				pidc <- pid
			}
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var pid int
	select {
	case pid = <-pidc:
	case err := <-exited:
		mu.Lock()
		t.Fatalf("the first command ended (%v) before its banner:\n%s", err, out.String())
	case <-time.After(8 * time.Minute): // it builds the program first
		mu.Lock()
		t.Fatalf("no banner within 8 minutes:\n%s", out.String())
	}
	if c, err := net.DialTimeout("tcp", consoleAddr, 2*time.Second); err != nil {
		t.Fatalf("the console does not listen on %s: %v", consoleAddr, err)
	} else {
		c.Close()
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		t.Fatalf("kill %d did not stop it within 15 s", pid)
	}
	if err := syscall.Kill(pid, 0); err == nil {
		t.Errorf("process %d still runs after the command ended", pid)
	}
	if c, err := net.DialTimeout("tcp", consoleAddr, time.Second); err == nil {
		c.Close()
		t.Errorf("something still listens on %s after kill %d", consoleAddr, pid)
	}
}

// readmeFirstCommand is the first line of the README's first sh block,
// without its comment.
func readmeFirstCommand(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "```sh\n")
	if !ok {
		t.Fatal("README.md has no ```sh block")
	}
	line, _, _ := strings.Cut(rest, "\n")
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i]
	}
	return strings.TrimSpace(line)
}

// copySource copies the module (not .git, builds, data or reports) into a
// temporary folder: the command writes bin/ and posbridge-sandbox/ where it runs.
func copySource(t *testing.T, root string) string {
	t.Helper()
	dst := t.TempDir()
	skip := map[string]bool{".git": true, "bin": true, "dist": true, "bench": true, "posbridge-sandbox": true, "testout": true, "data": true}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel != "." && skip[d.Name()] {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() || strings.HasSuffix(d.Name(), ".db") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
