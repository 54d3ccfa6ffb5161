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
