package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/posbridge/posbridge/config"
)

// TestMain keeps every command the tests run (in this process and in the
// helper processes that play the installed program) away from the machine's
// own config: a store PC's /etc/posbridge must neither change a test's
// outcome nor be read by one. The path is never created.
func TestMain(m *testing.M) {
	systemConfigPath = filepath.Join(os.TempDir(), "posbridge-tests-have-no-system-config", config.FileName)
	os.Exit(m.Run())
}

// Config discovery in the tests looks beside the command and at the stand-in
// for the system path, never at the machine's own.
func TestDiscoveryNeverReadsTheMachinesConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, opts := range []config.LoadOptions{{}, {Service: true}} {
		_, err := loadConfig("", opts)
		var nf *config.NotFoundError
		if !errors.As(err, &nf) {
			t.Fatalf("service=%v: %v, want not found", opts.Service, err)
		}
		if slices.Contains(nf.Searched, config.DefaultConfigPath()) || !slices.Contains(nf.Searched, systemConfigPath) {
			t.Errorf("service=%v: looked at %v", opts.Service, nf.Searched)
		}
	}
}
