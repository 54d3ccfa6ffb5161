package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kardianos/service"
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc/eventlog"
	"golang.org/x/sys/windows/svc/mgr"

	"github.com/posbridge/posbridge/config"
)

const (
	serviceDisplayName = "posbridge (开个店接单打印)"
	serviceDescription = "Receives 开个店 orders and prints receipts, kitchen tickets and cup labels. Console: http://127.0.0.1:8686"
	// servicePasswordEnv carries the password of service.account, kept out of
	// the config file and the shell history.
	servicePasswordEnv = "POSBRIDGE_SERVICE_PASSWORD"
)

// serviceRecovery restarts a failed service with growing delays; the count
// of failures resets after a day without one. Windows repeats the last
// action for every further failure.
var serviceRecovery = []mgr.RecoveryAction{
	{Type: mgr.ServiceRestart, Delay: 5 * time.Second},
	{Type: mgr.ServiceRestart, Delay: 30 * time.Second},
	{Type: mgr.ServiceRestart, Delay: 2 * time.Minute},
}

const serviceRecoveryReset = 24 * time.Hour

// kardianosProgram adapts serviceProgram to the service manager.
type kardianosProgram struct{ p *serviceProgram }

func (k kardianosProgram) Start(service.Service) error { return k.p.start() }
func (k kardianosProgram) Stop(service.Service) error  { return k.p.stop() }

func newKardianos(spec serviceSpec, p *serviceProgram) (service.Service, error) {
	return service.New(kardianosProgram{p}, &service.Config{
		Name:        spec.Name,
		DisplayName: serviceDisplayName,
		Description: serviceDescription,
		UserName:    spec.Account,
		Executable:  spec.Exe,
		Arguments:   spec.runArgs(),
		Option: service.KeyValue{
			"StartType":        "automatic",
			"DelayedAutoStart": true,
			"Password":         os.Getenv(servicePasswordEnv),
		},
	})
}

// controlService acts on the Windows service. It returns the exit code to use.
func controlService(action string, spec serviceSpec, stdout io.Writer) (int, error) {
	s, err := newKardianos(spec, nil)
	if err != nil {
		return 1, err
	}
	switch action {
	case "install":
		return 0, installWindowsService(s, spec, stdout)
	case "uninstall":
		if st, err := s.Status(); err == nil && st == service.StatusRunning {
			if err := s.Stop(); err != nil {
				return 1, fmt.Errorf("stop %s before removing it: %w", spec.Name, err)
			}
		}
		if err := s.Uninstall(); err != nil {
			return 1, fmt.Errorf("%w (run as administrator)", err)
		}
		fmt.Fprintf(stdout, "removed the service %s; config and data in %s are kept\n", spec.Name, config.ServiceBaseDir())
		return 0, nil
	case "status":
		st, err := s.Status()
		switch {
		case errors.Is(err, service.ErrNotInstalled):
			fmt.Fprintf(stdout, "%s: not installed (install with `posbridge service install` as administrator)\n", spec.Name)
			return 4, nil
		case err != nil:
			return 1, err
		case st == service.StatusRunning:
			fmt.Fprintf(stdout, "%s: running\n", spec.Name)
			return 0, nil
		default:
			fmt.Fprintf(stdout, "%s: stopped (start with `posbridge service start`; errors are in the Windows event log and %s)\n", spec.Name, config.DefaultLogFile())
			return 3, nil
		}
	default: // start, stop, restart
		if err := service.Control(s, action); err != nil {
			return 1, fmt.Errorf("%w (run as administrator; errors are in the Windows event log and %s)", err, config.DefaultLogFile())
		}
		fmt.Fprintf(stdout, "%s: %s done\n", spec.Name, action)
		return 0, nil
	}
}

// installWindowsService registers the service, or updates an existing one
// (an upgrade runs install again), and sets the recovery actions and the
// event log source, so every installer yields the same service.
func installWindowsService(s service.Service, spec serviceSpec, stdout io.Writer) error {
	m, err := mgr.Connect()
	if err != nil {
		return fmt.Errorf("open the service manager: %w (run as administrator)", err)
	}
	defer m.Disconnect()
	if existing, err := m.OpenService(spec.Name); err == nil {
		err = updateWindowsService(existing, spec)
		existing.Close()
		if err != nil {
			return err
		}
	} else if err := s.Install(); err != nil {
		return fmt.Errorf("install the service: %w (run as administrator)", err)
	}
	ws, err := m.OpenService(spec.Name)
	if err != nil {
		return err
	}
	defer ws.Close()
	if err := ws.SetRecoveryActions(serviceRecovery, uint32(serviceRecoveryReset/time.Second)); err != nil {
		return fmt.Errorf("set the recovery actions: %w", err)
	}
	// A fatal error makes posbridge exit non-zero; recovery must apply to that too.
	if err := ws.SetRecoveryActionsOnNonCrashFailures(true); err != nil {
		return fmt.Errorf("set the recovery actions: %w", err)
	}
	account := spec.Account
	if account == "" {
		account = "LocalSystem"
	}
	fmt.Fprintf(stdout, "installed the service %s (account %s, automatic delayed start, restarts after 5 s, 30 s, 2 min)\n", spec.Name, account)
	fmt.Fprintf(stdout, "start it with: posbridge service start; logs: %s and the Windows event log\n", config.DefaultLogFile())
	return nil
}

func updateWindowsService(s *mgr.Service, spec serviceSpec) error {
	c, err := s.Config()
	if err != nil {
		return fmt.Errorf("read the existing service: %w", err)
	}
	words := append([]string{spec.Exe}, spec.runArgs()...)
	for i, w := range words {
		words[i] = windows.EscapeArg(w)
	}
	c.BinaryPathName = strings.Join(words, " ")
	c.DisplayName, c.Description = serviceDisplayName, serviceDescription
	c.StartType, c.DelayedAutoStart = mgr.StartAutomatic, true
	c.ServiceStartName = spec.Account
	if c.ServiceStartName == "" {
		c.ServiceStartName = "LocalSystem"
	}
	c.Password = os.Getenv(servicePasswordEnv)
	if err := s.UpdateConfig(c); err != nil {
		return fmt.Errorf("update the existing service: %w", err)
	}
	err = eventlog.InstallAsEventCreate(spec.Name, eventlog.Error|eventlog.Warning|eventlog.Info)
	if err != nil && !strings.Contains(err.Error(), "exists") {
		return fmt.Errorf("register the event log source: %w", err)
	}
	return nil
}

// runAsService hands the program to the Windows service manager (or, from
// a console, runs it until Ctrl-C).
func runAsService(p *serviceProgram, stderr io.Writer) error {
	s, err := newKardianos(serviceSpec{Name: p.name}, p)
	if err != nil {
		return err
	}
	go func() {
		// The service manager does not hear of a daemon that fails on its own:
		// exiting non-zero makes Windows apply the recovery actions.
		<-p.failed
		p.closeLog()
		os.Exit(1)
	}()
	if err := s.Run(); err != nil {
		reportStartupError(p.name, err)
		return err
	}
	return nil
}

// reportStartupError puts an error from before logging was set up where an
// installer looks: the event log and the default log file.
func reportStartupError(name string, err error) {
	if elog, e := eventlog.Open(name); e == nil {
		_ = elog.Error(eventIDError, err.Error())
		elog.Close()
	}
	file := config.DefaultLogFile()
	if e := os.MkdirAll(filepath.Dir(file), 0o750); e != nil {
		return
	}
	if f, e := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640); e == nil {
		fmt.Fprintf(f, "time=%s level=ERROR msg=%q\n", time.Now().Format(time.RFC3339), err.Error())
		f.Close()
	}
}
