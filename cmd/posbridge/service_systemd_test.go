package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
)

// commandLog records the system commands an install would run; systemctl
// --root runs for real when systemctl is installed (it edits files only).
type commandLog struct {
	t    *testing.T
	cmds []string
}

func (c *commandLog) run(name string, args ...string) error {
	c.cmds = append(c.cmds, strings.Join(append([]string{name}, args...), " "))
	if name == "systemctl" && len(args) > 0 && strings.HasPrefix(args[0], "--root=") {
		if _, err := exec.LookPath("systemctl"); err == nil {
			if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
				c.t.Fatalf("systemctl %v: %v\n%s", args, err, out)
			}
		}
	}
	return nil
}

func TestSystemdInstallIntoRoot(t *testing.T) {
	root := t.TempDir()
	mustWrite(t, filepath.Join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n")
	log := &commandLog{t: t}
	var out bytes.Buffer
	in := systemdInstaller{Root: root, Run: log.run, Out: &out}
	spec := serviceSpec{Name: "posbridge", Exe: "/usr/bin/posbridge"}
	if err := in.Install(spec); err != nil {
		t.Fatal(err)
	}

	unit, err := os.ReadFile(filepath.Join(root, "etc/systemd/system/posbridge.service"))
	if err != nil {
		t.Fatal(err)
	}
	if string(unit) != renderSystemdUnit(spec) {
		t.Errorf("unit file:\n%s", unit)
	}
	cfgFile := filepath.Join(root, "etc/posbridge", config.FileName)
	info, err := os.Stat(cfgFile)
	if err != nil {
		t.Fatalf("default config not written: %v", err)
	}
	if info.Mode().Perm() != 0o640 {
		t.Errorf("config mode %v, want 0640 (it may hold tokens)", info.Mode().Perm())
	}
	for _, dir := range []string{"etc/posbridge", "var/lib/posbridge"} {
		if info, err := os.Stat(filepath.Join(root, dir)); err != nil || info.Mode().Perm() != 0o750 {
			t.Errorf("%s: %v %v", dir, info, err)
		}
	}
	for _, want := range []string{
		"useradd --system --user-group --home-dir /var/lib/posbridge --no-create-home --shell /usr/sbin/nologin posbridge",
		"usermod --append --groups dialout,lp posbridge",
		"chown root:posbridge " + filepath.Join(root, "etc/posbridge"),
		"chown posbridge:posbridge " + filepath.Join(root, "var/lib/posbridge"),
		"chown root:posbridge " + cfgFile,
		"systemctl --root=" + root + " enable posbridge.service",
	} {
		if !slices.Contains(log.cmds, want) {
			t.Errorf("install did not run %q; ran:\n%s", want, strings.Join(log.cmds, "\n"))
		}
	}
	if slices.Contains(log.cmds, "systemctl daemon-reload") {
		t.Error("daemon-reload run against a root that is not the live system")
	}
	if _, err := exec.LookPath("systemctl"); err == nil {
		wants := filepath.Join(root, "etc/systemd/system/multi-user.target.wants/posbridge.service")
		if _, err := os.Lstat(wants); err != nil {
			t.Errorf("systemctl enable left no link: %v", err)
		}
	}

	// Installing again (an upgrade) keeps the edited config and an existing user.
	mustWrite(t, cfgFile, "# edited by the installer\n")
	mustWrite(t, filepath.Join(root, "etc/passwd"), "posbridge:x:998:998::/var/lib/posbridge:/usr/sbin/nologin\n")
	log.cmds = nil
	if err := in.Install(spec); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(cfgFile); string(data) != "# edited by the installer\n" {
		t.Errorf("reinstall overwrote the config: %q", data)
	}
	for _, c := range log.cmds {
		if strings.HasPrefix(c, "useradd") {
			t.Errorf("reinstall ran %q for an existing user", c)
		}
	}

	// Uninstall removes the unit and keeps config and data.
	mustWrite(t, filepath.Join(root, "var/lib/posbridge", databaseFileName), "data")
	if err := in.Uninstall(spec); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/systemd/system/posbridge.service")); !os.IsNotExist(err) {
		t.Errorf("unit still there: %v", err)
	}
	for _, keep := range []string{cfgFile, filepath.Join(root, "var/lib/posbridge", databaseFileName)} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("uninstall removed %s", keep)
		}
	}
	if _, err := exec.LookPath("systemctl"); err == nil {
		if _, err := os.Lstat(filepath.Join(root, "etc/systemd/system/multi-user.target.wants/posbridge.service")); !os.IsNotExist(err) {
			t.Errorf("enable link left behind: %v", err)
		}
	}
	if !strings.Contains(out.String(), "are kept") {
		t.Errorf("uninstall output does not say data is kept:\n%s", out.String())
	}
}

func TestSystemdInstallWithExplicitConfigWritesNoDefault(t *testing.T) {
	root := t.TempDir()
	in := systemdInstaller{Root: root, Run: (&commandLog{t: t}).run, Out: &bytes.Buffer{}}
	spec := serviceSpec{Name: "posbridge", Exe: "/usr/bin/posbridge", ConfigPath: "/srv/pos/posbridge.yaml"}
	if err := in.Install(spec); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/posbridge", config.FileName)); !os.IsNotExist(err) {
		t.Errorf("default config written although --config names another file: %v", err)
	}
	unit, _ := os.ReadFile(filepath.Join(root, "etc/systemd/system/posbridge.service"))
	if !strings.Contains(string(unit), "ExecStart=/usr/bin/posbridge service run --config /srv/pos/posbridge.yaml\n") {
		t.Errorf("unit:\n%s", unit)
	}
}

func TestSystemdUninstallOfMissingUnitSaysSo(t *testing.T) {
	in := systemdInstaller{Root: t.TempDir(), Run: (&commandLog{t: t}).run, Out: &bytes.Buffer{}}
	err := in.Uninstall(serviceSpec{Name: "posbridge"})
	if err == nil || !strings.Contains(err.Error(), "not installed") {
		t.Fatalf("got %v", err)
	}
}
