package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// unitDirectives parses a unit file into "Section.Key" → values.
func unitDirectives(unit string) map[string][]string {
	out := map[string][]string{}
	section := ""
	for _, line := range strings.Split(unit, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
		default:
			k, v, _ := strings.Cut(line, "=")
			out[section+"."+k] = append(out[section+"."+k], v)
		}
	}
	return out
}

func TestSystemdUnitContent(t *testing.T) {
	unit := renderSystemdUnit(serviceSpec{Name: "posbridge", Exe: "/usr/bin/posbridge"})
	d := unitDirectives(unit)
	want := map[string]string{
		"Service.Restart":             "always",
		"Service.User":                "posbridge",
		"Service.Group":               "posbridge",
		"Service.SupplementaryGroups": "dialout lp",
		"Service.StateDirectory":      "posbridge",
		"Service.WorkingDirectory":    "/var/lib/posbridge",
		"Service.ExecStart":           "/usr/bin/posbridge service run",
		"Unit.StartLimitIntervalSec":  "0",
		"Install.WantedBy":            "multi-user.target",
	}
	for k, v := range want {
		if got := d[k]; !slices.Equal(got, []string{v}) {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	// PrivateDevices would hide serial scanners and USB printers; DynamicUser
	// would drop the dialout/lp memberships of a fixed account.
	for _, banned := range []string{"Service.PrivateDevices", "Service.DynamicUser", "Service.DevicePolicy"} {
		if _, ok := d[banned]; ok {
			t.Errorf("unit sets %s", banned)
		}
	}
}

func TestSystemdUnitExecStartCarriesNameAndQuotedConfig(t *testing.T) {
	unit := renderSystemdUnit(serviceSpec{Name: "posbridge-2", Exe: "/opt/pos bridge/posbridge",
		ConfigPath: "/srv/store 2/posbridge.yaml", Account: "shop"})
	d := unitDirectives(unit)
	wantExec := `"/opt/pos bridge/posbridge" service run --name posbridge-2 --config "/srv/store 2/posbridge.yaml"`
	if got := d["Service.ExecStart"]; !slices.Equal(got, []string{wantExec}) {
		t.Errorf("ExecStart = %q, want %q", got, wantExec)
	}
	if got := d["Service.User"]; !slices.Equal(got, []string{"shop"}) {
		t.Errorf("User = %q", got)
	}
}

// The packages ship packaging/linux/posbridge.service; `service install`
// writes the same unit.
func TestPackagedUnitMatchesGenerated(t *testing.T) {
	packaged, err := os.ReadFile(filepath.Join("..", "..", "packaging", "linux", "posbridge.service"))
	if err != nil {
		t.Fatal(err)
	}
	generated := renderSystemdUnit(serviceSpec{Name: "posbridge", Exe: "/usr/bin/posbridge"})
	if string(packaged) != generated {
		t.Errorf("packaging/linux/posbridge.service differs from renderSystemdUnit; replace it with:\n%s", generated)
	}
}

func TestSystemdAnalyzeVerify(t *testing.T) {
	analyze := requireTool(t, "systemd-analyze")
	dir := t.TempDir()
	exe := installCopy(t, dir) // ExecStart must exist and be executable
	unitPath := filepath.Join(dir, "posbridge.service")
	mustWrite(t, unitPath, renderSystemdUnit(serviceSpec{Name: "posbridge", Exe: exe}))
	out, err := exec.Command(analyze, "verify", unitPath).CombinedOutput()
	// verify exits 0 on unknown keys; any line about our unit is a problem.
	if err != nil || strings.Contains(string(out), "posbridge.service") {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// requireTool finds an external tool; a missing one skips the test, except
// under CI=true where it fails (the CI installs every tool the tests use).
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (CI must have it: scripts/ci-deps.sh installs it)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}
