package main

import (
	"fmt"
	"runtime"
)

// Set with -ldflags "-X main.version=… -X main.commit=… -X main.date=…".
var (
	version = "dev"
	commit  = "unknown"
	date    = "unknown"
)

func init() {
	register(command{name: "version", summary: "print version, commit and build date", run: func([]string) int {
		fmt.Printf("posbridge %s (commit %s, built %s, %s/%s, %s)\n", version, commit, date, runtime.GOOS, runtime.GOARCH, runtime.Version())
		return 0
	}})
}
