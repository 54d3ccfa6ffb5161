package main

import (
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// helperEnv makes the test binary act as the posbridge command: tests copy
// it where an installed posbridge would be and run it like a service manager.
const helperEnv = "POSBRIDGE_TEST_AS_MAIN"

func TestMainHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(dispatch(args))
}

// installCopy copies the test binary to dir/posbridge and returns its path.
func installCopy(t *testing.T, dir string) string {
	t.Helper()
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "posbridge")
	dst, err := os.OpenFile(exe, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return exe
}

// posbridgeCommand runs exe (a copy of the test binary) as `posbridge args…`
// in dir.
func posbridgeCommand(exe, dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(exe, append([]string{"-test.run=^TestMainHelperProcess$", "--"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	return cmd
}

// freePort returns a loopback port nobody listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// daemonConfig is a valid sandbox-mode config on free loopback ports.
func daemonConfig(t *testing.T, dataDir string) string {
	return "data_dir: " + strconv.Quote(dataDir) + "\n" +
		"console: { listen: 127.0.0.1:" + strconv.Itoa(freePort(t)) + " }\n" +
		"push: { listen: 127.0.0.1:" + strconv.Itoa(freePort(t)) + " }\n" +
		"platform: { mode: sandbox }\n" +
		"stores: [ { id: \"1862\", name: 南翔一店 } ]\n"
}

// daemonDir is a folder with a copy of the program and a sandbox config on
// free ports (plus extraYAML), for tests that run `posbridge run` as a store
// would.
func daemonDir(t *testing.T, extraYAML string) (exe, dir, cfgFile string) {
	t.Helper()
	dir = t.TempDir()
	exe = installCopy(t, filepath.Join(dir, "bin"))
	cfgFile = filepath.Join(dir, "posbridge.yaml")
	if err := os.WriteFile(cfgFile, []byte(daemonConfig(t, filepath.Join(dir, "data"))+extraYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	return exe, dir, cfgFile
}

// interrupt stops a started command as Ctrl+C does and waits up to limit;
// false when it had to be killed.
func interrupt(cmd *exec.Cmd, limit time.Duration) bool {
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return true
	case <-time.After(limit):
		_ = cmd.Process.Kill()
		<-done
		return false
	}
}
