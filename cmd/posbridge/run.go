package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/app"
)

func init() {
	register(command{name: "run", summary: "run the daemon in the foreground (the sandbox when no config file exists)", run: cmdRun})
}

func cmdRun(args []string) int {
	fs, path := newFlagSet("run")
	if _, err := parseFlags(fs, args); err != nil {
		return flagExit(err)
	}
	cfg, err := loadConfig(*path, config.LoadOptions{AllowSandbox: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge run:", err)
		return 1
	}
	if err := cfg.Check(); err != nil {
		var ve *config.ValidationError
		if errors.As(err, &ve) {
			fmt.Fprintf(os.Stderr, "posbridge run: %s has problems (fix them, then run `posbridge config check`):\n", cfg.File)
			for _, p := range ve.Problems {
				fmt.Fprintln(os.Stderr, "  "+p.String())
			}
			return 1
		}
		fmt.Fprintln(os.Stderr, "posbridge run:", err)
		return 1
	}
	log, closer, err := setupLogging(cfg, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge run:", err)
		return 1
	}
	defer closer.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := daemonOptions(ctx, cfg, log)
	opts.Ready = func(d *app.Daemon) { printBanner(cfg, d) }
	err = withStartupFix(cfg, app.Run(ctx, cfg, log, opts))
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge run:", err)
		return 1
	}
	return 0
}

// printBanner tells the person at the terminal where the console is, and
// loudly when nothing is real.
func printBanner(cfg *config.Config, d *app.Daemon) {
	w := os.Stderr
	fmt.Fprintln(w)
	if d.Setup {
		fmt.Fprintln(w, "  ================================================================")
		fmt.Fprintln(w, "   SETUP MODE 设置模式: no 开个店 credentials yet. Only the staff")
		fmt.Fprintln(w, "   console runs: no platform calls, no pushes, nothing printed.")
		fmt.Fprintln(w, "   Set in "+cfg.File+":")
		for _, k := range cfg.SetupMissing() {
			fmt.Fprintln(w, "     "+k)
		}
		fmt.Fprintln(w, "   then restart posbridge. `posbridge doctor` checks them.")
		fmt.Fprintln(w, "  ================================================================")
		fmt.Fprintf(w, "  Staff console 店员控制台: http://%s\n  Data: %s    Stop: Ctrl+C, or kill %d\n\n", d.ConsoleAddr, cfg.DataDir, os.Getpid())
		return
	}
	if cfg.Sandbox || cfg.Platform.Mode != config.ModeLive {
		fmt.Fprintln(w, "  ================================================================")
		fmt.Fprintln(w, "   SANDBOX 沙盒模式: simulated 开个店 platform and virtual printers.")
		fmt.Fprintln(w, "   Nothing reaches a real platform or printer; everything printed")
		fmt.Fprintln(w, "   carries the 测试 mark. The first order comes in 2 s, then about")
		fmt.Fprintln(w, "   one every 12 s.")
		if cfg.Sandbox {
			fmt.Fprintln(w, "   (no posbridge.yaml found: `posbridge config init` writes one)")
		}
		fmt.Fprintln(w, "  ================================================================")
	}
	fmt.Fprintf(w, "  Staff console 店员控制台: http://%s\n", d.ConsoleAddr)
	if d.PushAddr != "" {
		fmt.Fprintf(w, "  Push receiver 推送地址:   http://%s/kaigedian/push/order\n", d.PushAddr)
	} else {
		fmt.Fprintln(w, "  Push receiver off: polling every", cfg.Poll.FastInterval)
	}
	if d.OrderingAddr != "" {
		fmt.Fprintf(w, "  Scan-to-order 扫码点餐:    %s\n", d.OrderingTableURL)
		if cfg.Sandbox {
			fmt.Fprintln(w, "    (open it in a phone-sized browser window; simulated guests order there too)")
		}
	}
	fmt.Fprintf(w, "  Data: %s    Stop: Ctrl+C, or kill %d\n\n", cfg.DataDir, os.Getpid())
}
