package fleet_test

import (
	"testing"

	"github.com/posbridge/posbridge/printer/fakeprinter"
)

// startFake starts a fake network printer that stops with the test.
func startFake(t *testing.T) *fakeprinter.Printer {
	t.Helper()
	fp, err := fakeprinter.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fp.Close)
	return fp
}
