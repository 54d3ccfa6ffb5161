package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/posbridge/posbridge/config"
)

func init() {
	register(command{
		name:    "config init",
		summary: "write a commented example config (default ./" + config.FileName + ")",
		run:     func(args []string) int { return configInit(args, os.Stdout, os.Stderr) },
	})
	register(command{
		name:    "config check",
		summary: "validate the config and print it with secrets masked",
		run:     func(args []string) int { return configCheck(args, os.Stdout, os.Stderr) },
	})
}

// configFileArg picks the file from [FILE] or --config; both must agree.
func configFileArg(positional []string, flagPath string) (string, error) {
	switch {
	case len(positional) > 1:
		return "", errors.New("give at most one FILE")
	case len(positional) == 1 && flagPath != "" && positional[0] != flagPath:
		return "", fmt.Errorf("FILE %s and --config %s differ: give one", positional[0], flagPath)
	case len(positional) == 1:
		return positional[0], nil
	}
	return flagPath, nil
}

func configInit(args []string, stdout, stderr io.Writer) int {
	fset, cfgPath := newFlagSet("config init")
	fset.SetOutput(stderr)
	force := fset.Bool("force", false, "replace an existing file")
	fset.Usage = func() {
		fmt.Fprintf(stderr, "usage: posbridge config init [FILE] [--force]\n\nWrites a commented example config to FILE (default ./%s).\n", config.FileName)
		fset.PrintDefaults()
	}
	positional, err := parseFlags(fset, args)
	if err != nil {
		return flagExit(err)
	}
	file, err := configFileArg(positional, *cfgPath)
	if err != nil {
		return usageError(fset, stderr, "%v", err)
	}
	if file == "" {
		file = config.FileName
	}
	if err := writeExample(file, *force); err != nil {
		fmt.Fprintf(stderr, "posbridge config init: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s\n", file)
	fmt.Fprintf(stdout, "next: edit it (stores and printers; for a real store platform.mode: live and the credentials from 开个店), then run\n  posbridge config check --config %s\n", file)
	return 0
}

// writeExample writes the example config without ever overwriting a file
// unless force is set. The file may hold tokens: it is not world-readable.
func writeExample(file string, force bool) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("create the folder: %w", err)
	}
	mode := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		mode = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(file, mode, 0o640)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: edit it, or add --force to replace it with the example", file)
	}
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, config.ExampleYAML()); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", file, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	return nil
}

func configCheck(args []string, stdout, stderr io.Writer) int {
	fset, cfgPath := newFlagSet("config check")
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "usage: posbridge config check [--config FILE]\n\nValidates the config, prints it with secrets masked, and lists every problem.\nExits 1 when a problem must be fixed.\n")
		fset.PrintDefaults()
	}
	positional, err := parseFlags(fset, args)
	if err != nil {
		return flagExit(err)
	}
	file, err := configFileArg(positional, *cfgPath)
	if err != nil {
		return usageError(fset, stderr, "%v", err)
	}
	// No sandbox fallback: checking means checking a real file.
	cfg, err := loadConfig(file, config.LoadOptions{})
	if err != nil {
		fmt.Fprintf(stderr, "posbridge config check: %v\n", err)
		return 1
	}
	from := cfg.File
	if cfg.Settings != "" {
		from += " merged with the settings layer " + cfg.Settings + " (what the console saved)"
	}
	fmt.Fprintf(stdout, "# effective configuration from %s (secrets masked)\n%s", from, cfg.MaskedYAML())
	problems := cfg.Validate()
	if cfg.Platform.Mode == config.ModeSandbox {
		fmt.Fprintln(stderr, "notice: platform.mode is sandbox: orders come from the built-in simulator and nothing reaches 开个店; for a real store set platform.mode: live with the credentials from 开个店")
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, p.String())
	}
	errs := config.Errors(problems)
	if len(errs) > 0 {
		fmt.Fprintf(stderr, "%s: %d problem(s) to fix\n", cfg.File, len(errs))
		return 1
	}
	fmt.Fprintf(stderr, "%s: OK (%d warning(s))\n", cfg.File, len(problems))
	return 0
}
