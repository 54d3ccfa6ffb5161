package main

import (
	"context"
	"fmt"
	"os"
)

func init() {
	register(command{name: "run", summary: "run the daemon (the sandbox when no config file exists)", run: cmdRun})
}

func cmdRun(args []string) int {
	fmt.Fprintln(os.Stderr, "posbridge run: not wired yet")
	_ = context.Background()
	return 1
}
