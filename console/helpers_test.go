package console_test

import (
	"context"
	"testing"

	"github.com/posbridge/posbridge/internal/harness"
)

// startEnv runs a daemon against the fake platform and fake printers for
// the test.
func startEnv(t *testing.T, opts harness.Options) *harness.Env {
	t.Helper()
	env, err := harness.Start(context.Background(), t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	return env
}
