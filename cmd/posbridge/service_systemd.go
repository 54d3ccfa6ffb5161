package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/posbridge/posbridge/config"
)

// systemdInstaller registers the Linux service: our own unit (kardianos'
// systemd template has no SupplementaryGroups or StateDirectory and writes to
// fixed paths), the dedicated user, the config and state folders.
type systemdInstaller struct {
	// Root is "/" on a real system; tests install into a temporary folder.
	Root string
	// Run executes a system command (useradd, systemctl …).
	Run func(name string, args ...string) error
	Out io.Writer
}

const (
	linuxConfigDir = "/etc/posbridge"
	linuxStateDir  = "/var/lib/posbridge"
	linuxUnitDir   = "/etc/systemd/system"
)

func (in systemdInstaller) path(p string) string { return filepath.Join(in.Root, p) }

func (in systemdInstaller) live() bool { return filepath.Clean(in.Root) == "/" }

func unitName(spec serviceSpec) string { return spec.Name + ".service" }

func (in systemdInstaller) unitFile(spec serviceSpec) string {
	return in.path(filepath.Join(linuxUnitDir, unitName(spec)))
}

// Install creates what the unit needs and enables it (start at boot); it
// does not start it. Running it again updates the unit.
func (in systemdInstaller) Install(spec serviceSpec) error {
	user := spec.Account
	if user == "" {
		user = linuxServiceUser
	}
	exists, err := in.userExists(user)
	if err != nil {
		return err
	}
	if !exists {
		if err := in.Run("useradd", "--system", "--user-group", "--home-dir", linuxStateDir,
			"--no-create-home", "--shell", "/usr/sbin/nologin", user); err != nil {
			return fmt.Errorf("create user %s: %w", user, err)
		}
	}
	if err := in.Run("usermod", "--append", "--groups", "dialout,lp", user); err != nil {
		return fmt.Errorf("add user %s to the dialout and lp groups (serial and USB devices): %w", user, err)
	}
	// The service reads its config but never writes it; tokens in it stay
	// unreadable to other users.
	if err := in.ownedDir(linuxConfigDir, "root:"+user); err != nil {
		return err
	}
	if err := in.ownedDir(linuxStateDir, user+":"+user); err != nil {
		return err
	}
	if spec.ConfigPath == "" {
		if err := in.defaultConfig(user); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(in.path(linuxUnitDir), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", linuxUnitDir, err)
	}
	if err := os.WriteFile(in.unitFile(spec), []byte(renderSystemdUnit(spec)), 0o644); err != nil {
		return fmt.Errorf("write the unit file: %w", err)
	}
	if in.live() {
		if err := in.Run("systemctl", "daemon-reload"); err != nil {
			return fmt.Errorf("systemctl daemon-reload: %w", err)
		}
	}
	if err := in.Run("systemctl", in.systemctlArgs("enable", unitName(spec))...); err != nil {
		return fmt.Errorf("enable %s: %w", unitName(spec), err)
	}
	fmt.Fprintf(in.Out, "installed %s (user %s, data %s); it starts at boot.\nStart it now with: posbridge service start\nLogs: journalctl -u %s\n",
		in.unitFile(spec), user, linuxStateDir, spec.Name)
	return nil
}

// Uninstall stops and removes the unit; user, config and data stay.
func (in systemdInstaller) Uninstall(spec serviceSpec) error {
	unit := in.unitFile(spec)
	if _, err := os.Stat(unit); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s is not installed by `posbridge service install` (no %s); a package-installed service is removed with the package manager", spec.Name, unit)
	}
	args := in.systemctlArgs("disable", unitName(spec))
	if in.live() {
		args = append(args, "--now")
	}
	if err := in.Run("systemctl", args...); err != nil {
		return fmt.Errorf("disable %s: %w", unitName(spec), err)
	}
	if err := os.Remove(unit); err != nil {
		return fmt.Errorf("remove the unit file: %w", err)
	}
	if in.live() {
		if err := in.Run("systemctl", "daemon-reload"); err != nil {
			return fmt.Errorf("systemctl daemon-reload: %w", err)
		}
	}
	fmt.Fprintf(in.Out, "removed %s; config (%s) and data (%s) are kept.\n", unit, linuxConfigDir, linuxStateDir)
	return nil
}

// systemctlArgs points systemctl at Root when it is not the running system
// (systemctl --root edits the files without a running systemd).
func (in systemdInstaller) systemctlArgs(args ...string) []string {
	if in.live() {
		return args
	}
	return append([]string{"--root=" + in.Root}, args...)
}

func (in systemdInstaller) ownedDir(dir, owner string) error {
	if err := os.MkdirAll(in.path(dir), 0o750); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := os.Chmod(in.path(dir), 0o750); err != nil {
		return err
	}
	if err := in.Run("chown", owner, in.path(dir)); err != nil {
		return fmt.Errorf("give %s to %s: %w", dir, owner, err)
	}
	return nil
}

// defaultConfig writes the example config unless one is there: an
// installer's edits are never overwritten.
func (in systemdInstaller) defaultConfig(user string) error {
	file := in.path(filepath.Join(linuxConfigDir, config.FileName))
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("write the default config: %w", err)
	}
	_, werr := io.WriteString(f, config.InstalledYAML("linux"))
	if err := errors.Join(werr, f.Close()); err != nil {
		return fmt.Errorf("write the default config %s: %w", file, err)
	}
	if err := in.Run("chown", "root:"+user, file); err != nil {
		return fmt.Errorf("let user %s read %s: %w", user, file, err)
	}
	fmt.Fprintf(in.Out, "wrote the example config %s in live mode: until its platform credentials are set, posbridge runs in setup mode "+
		"(console only); edit it (stores, printers, platform credentials), then check it with `posbridge config check`\n", file)
	return nil
}

// userExists looks the account up in Root's /etc/passwd.
func (in systemdInstaller) userExists(user string) (bool, error) {
	f, err := os.Open(in.path("/etc/passwd"))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), user+":") {
			return true, nil
		}
	}
	return false, sc.Err()
}
