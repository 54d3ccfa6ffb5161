package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/posbridge/posbridge/config"
)

// defaultServiceName is service.name's default; the name is passed to
// `service run` only when it differs.
const defaultServiceName = "posbridge"

func init() {
	for _, c := range []struct{ name, summary string }{
		{"install", "register posbridge as an OS service that starts at boot (run as administrator / root)"},
		{"uninstall", "remove the OS service (config and data are kept)"},
		{"start", "start the OS service"},
		{"stop", "stop the OS service"},
		{"restart", "restart the OS service"},
		{"status", "show whether the OS service runs"},
	} {
		action := c.name
		register(command{name: "service " + action, summary: c.summary, run: func(args []string) int {
			return serviceControl(action, args, os.Stdout, os.Stderr)
		}})
	}
	register(command{name: "service run", summary: "run as the OS service (the service manager calls this)", run: func(args []string) int {
		return serviceRun(args, os.Stderr)
	}})
}

// serviceSpec is what a service registration is made of.
type serviceSpec struct {
	Name       string // service.name
	Exe        string // absolute path of this binary
	ConfigPath string // absolute; "" lets `service run` find the OS default
	Account    string // Linux user (default posbridge); Windows account ("" = LocalSystem)
	// FoundConfig is the config file found when ConfigPath is "" (Windows
	// pins it: a service's environment may name another ProgramData).
	FoundConfig string
}

// runArgs are the arguments the service manager passes to the binary.
func (s serviceSpec) runArgs() []string {
	args := []string{"service", "run"}
	if s.Name != defaultServiceName {
		args = append(args, "--name", s.Name)
	}
	if s.ConfigPath != "" {
		args = append(args, "--config", s.ConfigPath)
	}
	return args
}

// serviceControl runs install, uninstall, start, stop, restart or status.
func serviceControl(action string, args []string, stdout, stderr io.Writer) int {
	fset, cfgPath := newFlagSet("service " + action)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "usage: posbridge service %s [--config FILE]\n", action)
		fset.PrintDefaults()
	}
	positional, err := parseFlags(fset, args)
	if err != nil {
		return flagExit(err)
	}
	if len(positional) > 0 {
		return usageError(fset, stderr, "unexpected argument %q", positional[0])
	}
	spec, _, _, err := serviceSpecFor(*cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "posbridge service %s: %v\n", action, err)
		return 1
	}
	code, err := controlService(action, spec, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "posbridge service %s: %v\n", action, err)
		return 1
	}
	if action == "install" {
		// After install, which may have written the default config.
		_, cfg, cfgErr, _ := serviceSpecFor(*cfgPath)
		warnAboutConfig(stderr, cfg, cfgErr)
	}
	return code
}

// serviceSpecFor builds the spec from the config at path (the service's own
// discovery when ""). A missing or broken config does not stop the service
// commands: it is returned as cfgErr for install to report.
func serviceSpecFor(path string) (spec serviceSpec, cfg *config.Config, cfgErr, err error) {
	exe, err := os.Executable()
	if err != nil {
		return spec, nil, nil, fmt.Errorf("find this program's path: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	spec = serviceSpec{Name: defaultServiceName, Exe: exe}
	if path != "" {
		// Typed by an administrator in a shell: relative to where they are. The
		// service itself starts elsewhere (System32), so it gets an absolute path.
		if spec.ConfigPath, err = filepath.Abs(path); err != nil {
			return spec, nil, nil, err
		}
	}
	cfg, cfgErr = loadConfig(spec.ConfigPath, config.LoadOptions{Service: true})
	if cfgErr == nil {
		spec.Name = cfg.Service.Name
		spec.Account = cfg.Service.Account
		spec.FoundConfig = cfg.File
	}
	return spec, cfg, cfgErr, nil
}

// warnAboutConfig tells the installer, before the service first fails, that
// it will not start until the config is fixed.
func warnAboutConfig(w io.Writer, cfg *config.Config, cfgErr error) {
	switch {
	case errors.Is(cfgErr, config.ErrNotFound):
		fmt.Fprintf(w, "warning: %v\nThe service will not start until that file exists.\n", cfgErr)
	case cfgErr != nil:
		fmt.Fprintf(w, "warning: %v\nThe service will not start until this is fixed.\n", cfgErr)
	default:
		if err := cfg.Check(); err != nil {
			fmt.Fprintf(w, "warning: %s: %v\nThe service will not start until this is fixed; check with `posbridge config check --config %s`.\n", cfg.File, err, cfg.File)
		}
	}
}
