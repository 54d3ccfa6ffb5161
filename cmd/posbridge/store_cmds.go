package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/posbridge/posbridge/config"
)

func init() {
	register(command{name: "goods sold-out", summary: "mark products sold out (沽清) on 开个店: posbridge goods sold-out CODE…", run: cmdGoods(true)})
	register(command{name: "goods back", summary: "put sold-out products back on sale: posbridge goods back CODE…", run: cmdGoods(false)})
	register(command{name: "goods list", summary: "list the products of recent orders and what is sold out", run: cmdGoodsList})
	for _, ev := range []string{"open", "close", "rest", "reopen"} {
		register(command{name: "store " + ev, summary: "set the store " + storeWords[ev] + " on 开个店", run: cmdStore(ev)})
	}
}

var storeWords = map[string]string{"open": "open (营业)", "close": "closed (停业)", "rest": "resting (置休)", "reopen": "open again after a rest (开启)"}

// storeCall is a store call as the daemon reports it (bridge.StoreCall).
type storeCall struct {
	ID       int64    `json:"id"`
	Label    string   `json:"label"`
	StoreID  string   `json:"store_id"`
	Codes    []string `json:"codes"`
	Channel  string   `json:"channel"`
	State    string   `json:"state"`
	Attempts int      `json:"attempts"`
	Error    string   `json:"error"`
	Result   *struct {
		Succeeded []string `json:"succeeded"`
		Failed    []string `json:"failed"`
	} `json:"result"`
}

// storeFlags parses the store calls' flags.
func storeFlags(name string, args []string) (c *daemonClient, rest []string, storeID string, channels []string, wait time.Duration, code int) {
	fs, path := newFlagSet(name)
	st := fs.String("store", "", "store `ID` (needed when this PC serves several stores)")
	ch := fs.String("channel", "", "sales `CHANNELS`, comma-separated: saas, saasdelivery, saasmall, wc (default: platform.sell_out_channels)")
	w := fs.Duration("wait", 20*time.Second, "how long to wait for 开个店's answer; the call goes on after that")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return nil, nil, "", nil, 0, flagExit(err)
	}
	cfg, err := loadConfig(*path, config.LoadOptions{AllowSandbox: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge "+name+":", err)
		return nil, nil, "", nil, 0, 1
	}
	for _, c := range strings.Split(*ch, ",") {
		if c = strings.TrimSpace(c); c != "" {
			channels = append(channels, c)
		}
	}
	return newDaemonClient(cfg), rest, *st, channels, *w, 0
}

func cmdGoods(out bool) func([]string) int {
	name := "goods back"
	path := "/api/goods/back"
	if out {
		name, path = "goods sold-out", "/api/goods/sold-out"
	}
	return func(args []string) int {
		c, codes, storeID, channels, wait, code := storeFlags(name, args)
		if c == nil {
			return code
		}
		if len(codes) == 0 {
			fmt.Fprintf(os.Stderr, "usage: posbridge %s CODE… [--store ID] [--channel saas,wc] [--config FILE]\n"+
				"CODE is the product's own code in 开个店 (customerCode); `posbridge goods list` shows them\n", name)
			return 2
		}
		return sendStoreCalls(c, name, path, map[string]any{"store_id": storeID, "codes": codes, "channels": channels}, wait)
	}
}

func cmdStore(event string) func([]string) int {
	name := "store " + event
	return func(args []string) int {
		c, rest, storeID, _, wait, code := storeFlags(name, args)
		if c == nil {
			return code
		}
		if len(rest) > 0 {
			fmt.Fprintf(os.Stderr, "usage: posbridge %s [--store ID] [--config FILE]\n", name)
			return 2
		}
		return sendStoreCalls(c, name, "/api/store/status", map[string]any{"store_id": storeID, "event": event}, wait)
	}
}

// sendStoreCalls posts a change and follows its calls until 开个店 answered
// or wait is over. Exit status: 0 all done, 1 refused or partly failed, 3
// still being retried (the daemon goes on).
func sendStoreCalls(c *daemonClient, name, path string, body any, wait time.Duration) int {
	var res struct {
		Calls []storeCall `json:"calls"`
		Error string      `json:"error"`
	}
	status, err := c.call("POST", path, body, &res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge "+name+":", err)
		return 1
	}
	if status >= 300 {
		fmt.Fprintf(os.Stderr, "posbridge %s: %s\n", name, res.Error)
		return 1
	}
	deadline := time.Now().Add(wait)
	calls := res.Calls
	for i := range calls {
		for calls[i].State == "pending" && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
			var cur storeCall
			if st, err := c.call("GET", fmt.Sprintf("/api/store-calls/%d", calls[i].ID), nil, &cur); err == nil && st == 200 {
				calls[i] = cur
			}
		}
	}
	return printStoreCalls(os.Stdout, calls)
}

func printStoreCalls(w io.Writer, calls []storeCall) int {
	exit := 0
	for _, c := range calls {
		head := c.Label
		if c.Channel != "" {
			head += " [" + c.Channel + "]"
		}
		if c.StoreID != "" {
			head += " 门店 " + c.StoreID
		}
		switch c.State {
		case "done":
			if c.Result != nil {
				fmt.Fprintf(w, "%s: 成功 %s\n", head, list(c.Result.Succeeded))
				if len(c.Result.Failed) > 0 {
					fmt.Fprintf(w, "%s: 失败 %s（开个店未找到或未处理这些商品编码）\n", head, list(c.Result.Failed))
					exit = 1
				}
			} else {
				fmt.Fprintf(w, "%s: 开个店已确认\n", head)
			}
		case "pending":
			fmt.Fprintf(w, "%s: 仍在发送（已尝试 %d 次）%s；posbridge 会继续重试，结果见控制台\n", head, c.Attempts, why(c.Error))
			if exit == 0 {
				exit = 3
			}
		default:
			fmt.Fprintf(w, "%s: 开个店拒绝%s\n", head, why(c.Error))
			exit = 1
		}
	}
	return exit
}

func list(codes []string) string {
	if len(codes) == 0 {
		return "（无）"
	}
	return strings.Join(codes, " ")
}

func why(e string) string {
	if e == "" {
		return ""
	}
	return "：" + e
}

func cmdGoodsList(args []string) int {
	c, rest, code := clientFor("goods list", args)
	if c == nil {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintln(os.Stderr, "usage: posbridge goods list [--config FILE]")
		return 2
	}
	var v struct {
		Items []struct {
			StoreID  string   `json:"store_id"`
			Code     string   `json:"code"`
			Name     string   `json:"name"`
			SoldOut  bool     `json:"sold_out"`
			Channels []string `json:"channels"`
			Pending  bool     `json:"pending"`
		} `json:"items"`
		Stores []struct {
			StoreID   string `json:"store_id"`
			StoreName string `json:"store_name"`
			Label     string `json:"label"`
			Confirmed bool   `json:"confirmed"`
		} `json:"stores"`
	}
	status, err := c.call("GET", "/api/goods", nil, &v)
	if err != nil || status != 200 {
		fmt.Fprintln(os.Stderr, "posbridge goods list:", err, status)
		return 1
	}
	for _, s := range v.Stores {
		state := s.Label
		if !s.Confirmed && s.Label != "未在此设置" {
			state += "（等待开个店确认）"
		}
		fmt.Printf("门店 %s %s: %s\n", s.StoreID, s.StoreName, state)
	}
	for _, it := range v.Items {
		mark := "在售"
		if it.SoldOut {
			mark = "已沽清"
			if chs := strings.Join(it.Channels, ","); strings.Trim(chs, ",") != "" {
				mark += " [" + chs + "]"
			}
		}
		if it.Pending {
			mark += "（处理中）"
		}
		fmt.Printf("%-8s %-12s %-16s %s\n", it.StoreID, it.Code, it.Name, mark)
	}
	return 0
}
