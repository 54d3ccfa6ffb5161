package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// BuildDaemon builds the posbridge binary of the module the working
// directory belongs to into dir (with the race detector when race is set)
// and returns its path. The Go build cache makes repeated builds cheap.
func BuildDaemon(ctx context.Context, dir string, race bool) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the module (go env GOMOD): %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == "/dev/null" {
		return "", fmt.Errorf("not inside the posbridge module: run from the repository or pass the binary with -bin")
	}
	bin := filepath.Join(dir, "posbridge")
	args := []string{"build", "-o", bin}
	if race {
		args = append(args, "-race")
	}
	cmd := exec.CommandContext(ctx, "go", append(args, "./cmd/posbridge")...)
	cmd.Dir = filepath.Dir(gomod)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/posbridge: %w\n%s", err, stderr.String())
	}
	return bin, nil
}
