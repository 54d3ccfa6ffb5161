package config

import "golang.org/x/sys/windows"

// knownProgramData asks Windows for the ProgramData folder: a service may
// start with an environment where %ProgramData% is missing or points
// elsewhere (Wine's service manager sets it to C:\users\Public).
func knownProgramData() string {
	p, err := windows.KnownFolderPath(windows.FOLDERID_ProgramData, 0)
	if err != nil {
		return ""
	}
	return p
}
