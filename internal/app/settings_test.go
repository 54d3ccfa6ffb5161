package app

import (
	"slices"
	"testing"

	"github.com/posbridge/posbridge/config"
)

// Printers, print options and layouts apply at once; a changed listener or
// store list says it waits for a restart.
func TestNeedRestartNamesColdSections(t *testing.T) {
	cur := config.Sandbox()
	next := config.Sandbox()
	next.Printers = next.Printers[:1]
	next.Layouts.Customer.Header = "开业大吉"
	next.Print.Footer = "谢谢"
	if got := needRestart(cur, next); len(got) != 0 {
		t.Fatalf("hot edits need a restart: %v", got)
	}
	next.Console.Listen = "0.0.0.0:8686"
	next.Stores = next.Stores[:1]
	if got := needRestart(cur, next); !slices.Equal(got, []string{"console", "stores"}) {
		t.Fatalf("needRestart = %v, want console and stores", got)
	}
}
