package config

import (
	"fmt"
	"strings"
)

// InstalledYAML is the config an installation starts with (the .deb and
// .rpm, the Windows installer, `posbridge service install`): the commented
// example in live mode, so that an installed service never runs the
// simulator; without credentials it starts in setup mode (SetupMode). On
// Linux the data lives in /var/lib/posbridge; on Windows in the data folder
// beside the config (%ProgramData%\posbridge\data), with CRLF line ends.
func InstalledYAML(goos string) string {
	s := exampleYAML
	const sandboxLine = "  mode: sandbox            # sandbox = built-in simulator with test orders; live = the real platform\n"
	const liveLine = "  mode: live               # live = the real platform (until the five keys below are set, posbridge runs in\n" +
		"                           # setup mode: console only); sandbox = built-in simulator with test orders\n"
	s = mustReplace(s, sandboxLine, liveLine)
	if goos == "windows" {
		return strings.ReplaceAll(s, "\n", "\r\n")
	}
	return mustReplace(s, "\ndata_dir: ./data\n", "\ndata_dir: /var/lib/posbridge\n")
}

// mustReplace replaces old, which must be in s: the installed config is
// derived from the example, and a reworded example must not silently ship
// a sandbox service.
func mustReplace(s, old, repl string) string {
	if !strings.Contains(s, old) {
		panic(fmt.Sprintf("config: example.yaml no longer contains %q", old))
	}
	return strings.Replace(s, old, repl, 1)
}
