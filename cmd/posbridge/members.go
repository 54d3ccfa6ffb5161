package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/posbridge/posbridge/config"
)

func init() {
	register(command{
		name:    "members",
		summary: "member cards: `members check` verifies every balance is the sum of its ledger rows",
		run:     func(args []string) int { return membersCmd(context.Background(), args, os.Stdout, os.Stderr) },
	})
}

func membersCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset, cfgPath := newFlagSet("members")
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "usage: posbridge members check [--config FILE]\n\n"+
			"Verifies every member card: its balance and points are the sums of its ledger rows, and each row\n"+
			"starts where the one before it ended. Exits 1 and lists the cards that do not add up.\n")
		fset.PrintDefaults()
	}
	positional, err := parseFlags(fset, args)
	if err != nil {
		return flagExit(err)
	}
	if len(positional) != 1 || positional[0] != "check" {
		return usageError(fset, stderr, "give the subcommand: posbridge members check")
	}
	cfg, err := loadConfig(*cfgPath, config.LoadOptions{})
	if err != nil {
		fmt.Fprintf(stderr, "posbridge members: %v\n", err)
		return 1
	}
	db, err := openExistingDatabase(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "posbridge members: %v\n", err)
		return 1
	}
	defer db.Close()
	cards, bad, err := db.CheckMemberLedger(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "posbridge members check: %v\n", err)
		return 1
	}
	if len(bad) == 0 {
		fmt.Fprintf(stdout, "%d member cards checked: every balance and every points total is the sum of its ledger rows\n", cards)
		return 0
	}
	var tab textTable
	tab.add("CARD", "ACCOUNT", "PROBLEM")
	for _, m := range bad {
		tab.add(m.CardNo, m.Account, m.Problem)
	}
	tab.write(stdout)
	fmt.Fprintf(stdout, "\n%d of %d member cards do not add up: do not adjust them by hand; restore the newest backup "+
		"(posbridge restore) or ask the installer to compare the ledger with the receipts\n", len(bad), cards)
	return 1
}
