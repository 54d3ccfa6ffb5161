package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// FileName is the config file name looked for in the working directory.
const FileName = "posbridge.yaml"

// DefaultConfigPath is where the installers put the config file on this OS.
func DefaultConfigPath() string {
	return defaultConfigPathFor(runtime.GOOS, os.Getenv)
}

// DefaultDataDir is the OS's place for the daemon's state. It is the default
// data_dir of a config file that lives at DefaultConfigPath, so that a Linux
// package keeps /etc for config and /var/lib for data.
func DefaultDataDir() string {
	return defaultDataDirFor(runtime.GOOS, os.Getenv)
}

// DefaultLogFile is where the service should log when log.file is empty and
// no journal collects stderr: a file under ProgramData on Windows, "" (stderr,
// collected by journald or launchd) elsewhere.
func DefaultLogFile() string {
	if runtime.GOOS != "windows" {
		return ""
	}
	return filepath.Join(programDataDir(os.Getenv), "posbridge", "logs", "posbridge.log")
}

// ServiceBaseDir is the folder an OS service resolves relative paths from
// when no config file gives one: %ProgramData%\posbridge on Windows, the
// executable's folder elsewhere. Never the working directory: a Windows
// service starts in System32.
func ServiceBaseDir() string {
	return serviceBaseDirFor(runtime.GOOS, os.Getenv, executableDir())
}

func defaultConfigPathFor(goos string, getenv func(string) string) string {
	switch goos {
	case "windows":
		return programDataDir(getenv) + `\posbridge\` + FileName
	case "linux":
		return "/etc/posbridge/" + FileName
	case "darwin":
		return "/Library/Application Support/posbridge/" + FileName
	default:
		return "/usr/local/etc/posbridge/" + FileName
	}
}

func defaultDataDirFor(goos string, getenv func(string) string) string {
	switch goos {
	case "windows":
		return programDataDir(getenv) + `\posbridge\data`
	case "linux":
		return "/var/lib/posbridge"
	case "darwin":
		return "/Library/Application Support/posbridge/data"
	default:
		return "/var/db/posbridge"
	}
}

func serviceBaseDirFor(goos string, getenv func(string) string, exeDir string) string {
	if goos == "windows" && getenv("ProgramData") != "" {
		return programDataDir(getenv) + `\posbridge`
	}
	return exeDir
}

// programDataDir is %ProgramData%, with the value every Windows since Vista
// uses when the variable is missing (a service started with a bare environment).
func programDataDir(getenv func(string) string) string {
	if d := knownProgramData(); d != "" {
		return strings.TrimRight(d, `\/`)
	}
	if d := getenv("ProgramData"); d != "" {
		return strings.TrimRight(d, `\/`)
	}
	return `C:\ProgramData`
}

func executableDir() string {
	exe, err := os.Executable()
	if err != nil {
		return "."
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return filepath.Dir(exe)
}

// resolvePath makes p absolute against base; "" stays "".
func resolvePath(base, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(base, p)
}

// samePath compares two file paths after cleaning them (case-insensitively on
// Windows, where C:\ProgramData and c:\programdata are one folder).
func samePath(a, b string) bool {
	a, b = filepath.Clean(a), filepath.Clean(b)
	if runtime.GOOS == "windows" {
		return strings.EqualFold(a, b)
	}
	return a == b
}
