package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/posbridge/posbridge/config"
)

// newFlagSet makes the flag set of a subcommand with the --config flag that
// every command takes. Go's flag package reads both -config and --config.
func newFlagSet(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("posbridge "+name, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	path := fs.String("config", "", "config `FILE` (default ./"+config.FileName+", then "+config.DefaultConfigPath()+")")
	return fs, path
}

// parseFlags parses args, also when flags follow a positional argument
// (`config init x.yaml --force`), and returns the positional arguments.
// Everything after "--" is positional.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, rest = args[:i], args[i+1:]
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return append(positional, rest...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// flagExit is the exit code for a flag error: 0 after -h, 2 otherwise (the
// flag package has printed the message and usage already).
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// loadConfig loads the config named by --config (path; "" discovers it).
func loadConfig(path string, opts config.LoadOptions) (*config.Config, error) {
	opts.Path = path
	opts.SystemPath = systemConfigPath
	return config.Load(opts)
}

// systemConfigPath replaces the OS's config path (/etc/posbridge/posbridge.yaml)
// when set: the tests set it (TestMain), so that no command they run reads a
// real installation's config. "" in the program.
var systemConfigPath string

// usageError prints a usage mistake with the command's flags and returns 2.
func usageError(fs *flag.FlagSet, w io.Writer, format string, args ...any) int {
	fmt.Fprintf(w, "%s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return 2
}
