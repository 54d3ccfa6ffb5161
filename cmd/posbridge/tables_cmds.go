package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/sticker"
)

func init() {
	register(command{
		name:    "tables qr",
		summary: "write the table QR stickers (one PNG per table and an A4 PDF sheet) of the scan-to-order menu",
		run:     func(args []string) int { return tablesQR(args, os.Stdout, os.Stderr) },
	})
}

// sheetFile is the printable sheet beside the PNGs.
const sheetFile = "stickers.pdf"

func tablesQR(args []string, stdout, stderr io.Writer) int {
	fset := menuFlagSet("tables qr", stderr, "usage: posbridge tables qr [--restaurant ID] --out DIR [--table ID] [--config FILE | --menu FILE --public-url URL]\n\n"+
		"Writes one PNG sticker per table (table-1.png, takeout.png, wait-pickup.png, self-select.png) and "+sheetFile+" (A4, 9 per page) to DIR.\n"+
		"The menu and the URL come from the config's ordering section unless --menu and --public-url name them.")
	cfgPath := fset.String("config", "", "config `FILE` whose ordering section names the menu and the URL (default ./"+config.FileName+", then "+config.DefaultConfigPath()+")")
	menuFile := fset.String("menu", "", "the menu `FILE` (YAML or JSON), instead of the config's")
	publicURL := fset.String("public-url", "", "the `URL` phones open, instead of ordering.public_url (e.g. https://order.example.com)")
	out := fset.String("out", "", "the `DIR` to write the stickers to")
	restaurant := fset.Int64("restaurant", 0, "the restaurant `ID` (ordering.restaurants[].id; default the first, or 1 with --menu)")
	table := fset.Int64("table", 0, "only this table `ID` (default: every table)")
	positional, err := parseFlags(fset, args)
	if err != nil {
		return flagExit(err)
	}
	switch {
	case len(positional) > 0:
		return usageError(fset, stderr, "unexpected %q", positional[0])
	case *out == "":
		return usageError(fset, stderr, "--out is required")
	case *restaurant < 0:
		return usageError(fset, stderr, "--restaurant must be a positive id")
	}
	if *menuFile == "" || *publicURL == "" {
		cfg, err := loadConfig(*cfgPath, config.LoadOptions{})
		if err != nil {
			return usageError(fset, stderr, "--menu and --public-url are required without a config (%v)", err)
		}
		rc, ok := cfg.Ordering.Restaurant(*restaurant)
		if *restaurant == 0 && len(cfg.Ordering.Restaurants) > 0 {
			rc, ok = cfg.Ordering.Restaurants[0], true
		}
		if !ok {
			return usageError(fset, stderr, "%s has no ordering.restaurants entry with id %d", cfg.File, *restaurant)
		}
		*restaurant = rc.ID
		if *menuFile == "" {
			*menuFile = cfg.MenuPath(rc)
		}
		if *publicURL == "" {
			*publicURL = cfg.Ordering.PublicURL
		}
		if *publicURL == "" {
			return usageError(fset, stderr, "%s sets no ordering.public_url: write the address phones open there, or give --public-url", cfg.File)
		}
	}
	if *restaurant == 0 {
		*restaurant = 1
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "posbridge tables qr: %v\n", err)
		return 1
	}
	m, err := menu.Load(*menuFile)
	if err != nil {
		return fail(err)
	}
	var stickers []sticker.Sticker
	if *table != 0 {
		s, err := sticker.ForTable(m, *restaurant, *publicURL, *table)
		if err != nil {
			return fail(err)
		}
		stickers = []sticker.Sticker{s}
	} else if stickers, err = sticker.ForMenu(m, *restaurant, *publicURL); err != nil {
		return fail(err)
	}
	if len(stickers) == 0 {
		return fail(fmt.Errorf("%s has no tables", *menuFile))
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fail(err)
	}
	for _, s := range stickers {
		data, err := sticker.PNG(s)
		if err != nil {
			return fail(err)
		}
		path := filepath.Join(*out, s.FileName())
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "%s  %s  %s\n", path, s.Title, s.URL)
	}
	pdf, err := sticker.PDF(stickers)
	if err != nil {
		return fail(err)
	}
	path := filepath.Join(*out, sheetFile)
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "%s  %d stickers on %d A4 pages\n", path, len(stickers), (len(stickers)+sticker.PerPage-1)/sticker.PerPage)
	for _, w := range glyphWarnings(m) {
		fmt.Fprintln(stdout, w)
	}
	return 0
}
