package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/sticker"
)

func init() {
	register(command{
		name:    "menu init",
		summary: "write the commented example menu of the scan-to-order channel (default ./" + defaultMenuFile + ")",
		run:     func(args []string) int { return menuInit(args, os.Stdout, os.Stderr) },
	})
	register(command{
		name:    "menu check",
		summary: "check a scan-to-order menu file and print every problem with its line",
		run:     func(args []string) int { return menuCheck(args, os.Stdout, os.Stderr) },
	})
}

const defaultMenuFile = "menu.yaml"

func menuFlagSet(name string, stderr io.Writer, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("posbridge "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

func menuInit(args []string, stdout, stderr io.Writer) int {
	fset := menuFlagSet("menu init", stderr, "usage: posbridge menu init [FILE] [--force]\n\nWrites the commented example menu (a tea shop) to FILE (default ./"+defaultMenuFile+").")
	force := fset.Bool("force", false, "replace an existing file")
	positional, err := parseFlags(fset, args)
	if err != nil {
		return flagExit(err)
	}
	if len(positional) > 1 {
		return usageError(fset, stderr, "give at most one FILE")
	}
	file := defaultMenuFile
	if len(positional) == 1 {
		file = positional[0]
	}
	if err := writeNewFile(file, menu.Example(), *force); err != nil {
		fmt.Fprintf(stderr, "posbridge menu init: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s\n", file)
	fmt.Fprintf(stdout, "next: edit it (name, tables, products, hours), then run\n  posbridge menu check %s\n", file)
	return 0
}

// writeNewFile writes data to file, never over an existing file unless
// force is set.
func writeNewFile(file string, data []byte, force bool) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("create the folder: %w", err)
	}
	mode := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		mode = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(file, mode, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: edit it, or add --force to replace it with the example", file)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func menuCheck(args []string, stdout, stderr io.Writer) int {
	fset := menuFlagSet("menu check", stderr, "usage: posbridge menu check FILE\n\nChecks a scan-to-order menu file (YAML or JSON) and prints every problem with its line.")
	positional, err := parseFlags(fset, args)
	if err != nil {
		return flagExit(err)
	}
	if len(positional) != 1 {
		return usageError(fset, stderr, "give the menu FILE")
	}
	file := positional[0]
	fi, err := os.Stat(file)
	if err == nil && fi.Size() > menu.MaxFileSize {
		err = fmt.Errorf("%d bytes, more than the %d a menu may have", fi.Size(), menu.MaxFileSize)
	}
	var data []byte
	if err == nil {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		fmt.Fprintf(stderr, "posbridge menu check: %v\n", err)
		return 1
	}
	problems := menu.Check(data)
	for _, p := range problems {
		fmt.Fprintln(stdout, menuProblemLine(file, p))
	}
	if len(problems) > 0 {
		fmt.Fprintf(stdout, "%s：共 %d 处问题，菜单没有生效\n", file, len(problems))
		return 1
	}
	m, _ := menu.Parse(data)
	r := &m.Restaurant
	fmt.Fprintf(stdout, "%s：菜单正确（%s：%d 个分类，%d 个商品，%d 个桌台）\n", file, r.Name, len(r.Categories), len(m.Products), len(r.Tables))
	for _, w := range glyphWarnings(m) {
		fmt.Fprintln(stdout, w)
	}
	return 0
}

// problemLine is FILE:LINE:COL: path：message, which editors link to.
func menuProblemLine(file string, p menu.Problem) string {
	where := file
	if p.Line > 0 {
		where += fmt.Sprintf(":%d", p.Line)
		if p.Column > 0 {
			where += fmt.Sprintf(":%d", p.Column)
		}
	}
	if p.Path != "" {
		return where + ": " + p.Path + "：" + p.Message
	}
	return where + ": " + p.Message
}

// glyphWarnings names characters of the store and table names that the
// sticker font cannot draw (they would print as boxes).
func glyphWarnings(m *menu.Menu) []string {
	var out []string
	check := func(what, text string) {
		missing, err := sticker.Missing(text)
		if err == nil && len(missing) > 0 {
			out = append(out, fmt.Sprintf("警告：%s「%s」里的“%s”二维码贴纸字体里没有，印出来会是方框；可以换个写法", what, text, string(missing)))
		}
	}
	check("餐厅名称", m.Restaurant.Name)
	for _, t := range m.Restaurant.Tables {
		check("桌台名称", t.Name)
	}
	return out
}
