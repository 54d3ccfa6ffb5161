// Command installedconfig prints the config an installation starts with
// (config.InstalledYAML) for linux or windows; scripts/dist.sh packages it.
// It needs no cgo, so `go run` is quick.
package main

import (
	"fmt"
	"os"

	"github.com/posbridge/posbridge/config"
)

func main() {
	if len(os.Args) != 2 || (os.Args[1] != "linux" && os.Args[1] != "windows") {
		fmt.Fprintln(os.Stderr, "usage: installedconfig linux|windows")
		os.Exit(2)
	}
	fmt.Print(config.InstalledYAML(os.Args[1]))
}
