package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// controlService acts on the systemd unit. It returns the exit code to use.
func controlService(action string, spec serviceSpec, stdout io.Writer) (int, error) {
	if err := systemdPresent(); err != nil {
		return 1, err
	}
	in := systemdInstaller{Root: "/", Run: runCommand, Out: stdout}
	unit := unitName(spec)
	switch action {
	case "install":
		return 0, in.Install(spec)
	case "uninstall":
		return 0, in.Uninstall(spec)
	case "status":
		// systemctl's own exit codes: 0 running, 3 stopped, 4 unknown unit.
		cmd := exec.Command("systemctl", "--no-pager", "status", unit)
		cmd.Stdout, cmd.Stderr = stdout, os.Stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), nil
		}
		return 0, err
	default: // start, stop, restart
		if err := runCommand("systemctl", action, unit); err != nil {
			return 1, fmt.Errorf("%w (see `journalctl -u %s -n 50`)", err, spec.Name)
		}
		fmt.Fprintf(stdout, "%s: %s done\n", spec.Name, action)
		return 0, nil
	}
}

// systemdBooted is the folder that exists while systemd is the init system
// (sd_booted(3)); tests point it elsewhere.
var systemdBooted = "/run/systemd/system"

// systemdPresent says, in one sentence with what to do instead, why the
// service commands cannot work here — rather than systemctl's "System has not
// been booted with systemd" and "Failed to connect to bus".
func systemdPresent() error {
	if _, err := exec.LookPath("systemctl"); err != nil {
		return errors.New("systemctl is not installed: `posbridge service` manages a systemd service. " + foregroundHint)
	}
	if info, err := os.Stat(systemdBooted); err != nil || !info.IsDir() {
		return errors.New("this machine is not running systemd (no " + systemdBooted + ", a container or another init system): " +
			"`posbridge service` manages a systemd service. " + foregroundHint)
	}
	return nil
}

const foregroundHint = "Run posbridge in the foreground instead (`posbridge run --config /etc/posbridge/posbridge.yaml`), " +
	"or start that command from this system's own service manager"

// runCommand runs a system command with its output on ours.
func runCommand(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("%s not found: posbridge's service commands need systemd", name)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
