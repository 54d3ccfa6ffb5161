package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/kardianos/service"
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
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

// logFile is where the installed service writes its log (log.file aside).
func (s serviceSpec) logFile() string {
	if s.ConfigPath != "" {
		return defaultServiceLogFile(s.ConfigPath)
	}
	return defaultServiceLogFile(s.FoundConfig)
}

// controlOnly satisfies kardianos' Interface for install and control; the
// service itself runs through runAsService.
type controlOnly struct{}

func (controlOnly) Start(service.Service) error { return nil }
func (controlOnly) Stop(service.Service) error  { return nil }

func newKardianos(spec serviceSpec) (service.Service, error) {
	return service.New(controlOnly{}, &service.Config{
		Name:        spec.Name,
		DisplayName: serviceDisplayName,
		Description: serviceDescription,
		UserName:    spec.Account,
		Executable:  spec.Exe,
		Arguments:   spec.runArgs(),
		// Delayed start is set afterwards (setServiceOptions): kardianos would
		// delete the new service if this Windows refused it.
		Option: service.KeyValue{
			"StartType": "automatic",
			"Password":  os.Getenv(servicePasswordEnv),
		},
	})
}

// controlService acts on the Windows service. It returns the exit code to use.
func controlService(action string, spec serviceSpec, stdout io.Writer) (int, error) {
	s, err := newKardianos(spec)
	if err != nil {
		return 1, err
	}
	switch action {
	case "install":
		if spec.ConfigPath == "" && spec.FoundConfig != "" {
			spec.ConfigPath = spec.FoundConfig
			if s, err = newKardianos(spec); err != nil {
				return 1, err
			}
		}
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
		kept := config.ServiceBaseDir()
		if spec.FoundConfig != "" {
			kept = filepath.Dir(spec.FoundConfig)
		}
		fmt.Fprintf(stdout, "removed the service %s; config and data in %s are kept\n", spec.Name, kept)
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
			fmt.Fprintf(stdout, "%s: stopped (start with `posbridge service start`; errors are in the Windows event log and %s)\n", spec.Name, spec.logFile())
			return 3, nil
		}
	default: // start, stop, restart
		// Idempotent like systemctl: starting a running service is no error.
		if st, err := s.Status(); err == nil {
			if (action == "start" && st == service.StatusRunning) || (action == "stop" && st == service.StatusStopped) {
				fmt.Fprintf(stdout, "%s: already %s\n", spec.Name, map[string]string{"start": "running", "stop": "stopped"}[action])
				return 0, nil
			}
		}
		if err := service.Control(s, action); err != nil {
			return 1, fmt.Errorf("%w (run as administrator; errors are in the Windows event log and %s)", err, spec.logFile())
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
	unsupported, err := setServiceOptions(ws)
	if err != nil {
		return err
	}
	for _, what := range unsupported {
		fmt.Fprintf(stdout, "warning: this Windows does not support %s for services; the service is installed without it\n", what)
	}
	cfgFile := spec.ConfigPath
	if cfgFile == "" {
		cfgFile = filepath.Join(config.ServiceBaseDir(), config.FileName) + " (not there yet)"
	}
	account := spec.Account
	if account == "" {
		account = "LocalSystem"
	}
	fmt.Fprintf(stdout, "installed the service %s: account %s, config %s\n", spec.Name, account, cfgFile)
	if !slices.Contains(unsupported, optDelayedStart) {
		fmt.Fprintln(stdout, "it starts automatically (delayed) at boot")
	}
	if !slices.Contains(unsupported, optRecovery) {
		fmt.Fprintln(stdout, "when it fails, Windows restarts it after 5 s, 30 s, then every 2 min")
	}
	fmt.Fprintf(stdout, "start it with: posbridge service start; logs: %s and the Windows event log\n", spec.logFile())
	return nil
}

// Options set by setServiceOptions, named as the warning about them reads.
const (
	optDelayedStart    = "a delayed automatic start"
	optRecovery        = "recovery actions"
	optRecoveryOnError = "recovery after an exit with an error"
)

// setServiceOptions sets what kardianos does not: a delayed automatic start
// and restart actions that also apply when posbridge exits with an error.
// Windows 10 supports them all; Wine (CI) refuses some with
// ERROR_INVALID_LEVEL, which is reported rather than fatal.
func setServiceOptions(ws *mgr.Service) (unsupported []string, err error) {
	steps := []struct {
		what string
		set  func() error
	}{
		{optDelayedStart, func() error {
			info := windows.SERVICE_DELAYED_AUTO_START_INFO{IsDelayedAutoStartUp: 1}
			return windows.ChangeServiceConfig2(ws.Handle, windows.SERVICE_CONFIG_DELAYED_AUTO_START_INFO, (*byte)(unsafe.Pointer(&info)))
		}},
		{optRecovery, func() error {
			return ws.SetRecoveryActions(serviceRecovery, uint32(serviceRecoveryReset/time.Second))
		}},
		{optRecoveryOnError, func() error {
			return ws.SetRecoveryActionsOnNonCrashFailures(true)
		}},
	}
	for _, st := range steps {
		err := st.set()
		switch {
		case errors.Is(err, windows.ERROR_INVALID_LEVEL), errors.Is(err, windows.ERROR_CALL_NOT_IMPLEMENTED):
			unsupported = append(unsupported, st.what)
		case err != nil:
			return nil, fmt.Errorf("set %s: %w", st.what, err)
		}
	}
	return unsupported, nil
}

// updateWindowsService points an existing service at this binary and
// config (an upgrade, or a changed service.account).
func updateWindowsService(s *mgr.Service, spec serviceSpec) error {
	words := append([]string{spec.Exe}, spec.runArgs()...)
	for i, w := range words {
		words[i] = windows.EscapeArg(w)
	}
	account := spec.Account
	if account == "" {
		account = "LocalSystem"
	}
	ptr := windows.StringToUTF16Ptr
	err := windows.ChangeServiceConfig(s.Handle, windows.SERVICE_NO_CHANGE, windows.SERVICE_AUTO_START,
		windows.SERVICE_NO_CHANGE, ptr(strings.Join(words, " ")), nil, nil, nil,
		ptr(account), ptr(os.Getenv(servicePasswordEnv)), ptr(serviceDisplayName))
	if err != nil {
		return fmt.Errorf("update the existing service: %w (run as administrator)", err)
	}
	desc := windows.SERVICE_DESCRIPTION{Description: ptr(serviceDescription)}
	if err := windows.ChangeServiceConfig2(s.Handle, windows.SERVICE_CONFIG_DESCRIPTION, (*byte)(unsafe.Pointer(&desc))); err != nil {
		return fmt.Errorf("update the service description: %w", err)
	}
	err = eventlog.InstallAsEventCreate(spec.Name, eventlog.Error|eventlog.Warning|eventlog.Info)
	if err != nil && !strings.Contains(err.Error(), "exists") {
		return fmt.Errorf("register the event log source: %w", err)
	}
	return nil
}

// runAsService hands the program to the Windows service manager; started
// from a console instead (StartServiceCtrlDispatcher refuses with
// ERROR_FAILED_SERVICE_CONTROLLER_CONNECT), it runs until Ctrl-C. Trying the
// dispatcher first is sturdier than guessing from the parent process, which
// Wine, for one, does not mimic.
func runAsService(p *serviceProgram) error {
	h := &windowsServiceHandler{p: p}
	err := svc.Run(p.name, h)
	if errors.Is(err, windows.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
		return runUntilSignal(p)
	}
	if err != nil {
		reportStartupError(p, err)
		return err
	}
	return h.err
}

// windowsServiceHandler answers the service manager. A daemon that fails on
// its own stops the service with a service-specific exit code, which the
// recovery actions (set for non-crash failures too) turn into a restart.
type windowsServiceHandler struct {
	p   *serviceProgram
	err error
}

// Service-specific exit codes, shown by `sc query posbridge`.
const (
	exitStartFailed  = 1
	exitStopTimedOut = 2
	exitDaemonFailed = 3
)

func (h *windowsServiceHandler) Execute(_ []string, requests <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	status <- svc.Status{State: svc.StartPending}
	if err := h.p.start(); err != nil {
		h.err = err
		reportStartupError(h.p, err)
		return true, exitStartFailed
	}
	status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	for {
		select {
		case c := <-requests:
			switch c.Cmd {
			case svc.Interrogate:
				status <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending, WaitHint: uint32(serviceStopTimeout / time.Millisecond)}
				if err := h.p.stop(); err != nil {
					h.err = err
					return true, exitStopTimedOut
				}
				return false, 0
			}
		case err := <-h.p.failed:
			h.err = err
			h.p.closeLog()
			return true, exitDaemonFailed
		}
	}
}

// reportStartupError puts an error from before logging was set up where an
// installer looks: the event log and the default log file.
func reportStartupError(p *serviceProgram, err error) {
	if elog, e := eventlog.Open(p.name); e == nil {
		_ = elog.Error(eventIDError, err.Error())
		elog.Close()
	}
	file := defaultServiceLogFile(p.configPath)
	if e := os.MkdirAll(filepath.Dir(file), 0o750); e != nil {
		return
	}
	if f, e := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640); e == nil {
		fmt.Fprintf(f, "time=%s level=ERROR msg=%q\n", time.Now().Format(time.RFC3339), err.Error())
		f.Close()
	}
}
