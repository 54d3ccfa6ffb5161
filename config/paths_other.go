//go:build !windows

package config

// knownProgramData exists on Windows only.
func knownProgramData() string { return "" }
