package main

import (
	"fmt"
	"os"
	"time"

	"github.com/posbridge/posbridge/config"
)

func init() {
	register(command{name: "scan", summary: "scan an order code (first scan: made; second: completed)", run: cmdScan})
	register(command{name: "submit", summary: "hand an offline POS order (JSON file) to /order/submit", run: cmdSubmit})
	register(command{name: "orders reprint", summary: "reprint an order's receipt, kitchen tickets or labels (补打)", run: cmdReprint})
	register(command{name: "orders show", summary: "show an order with its history and prints", run: cmdShowOrder})
}

// clientFor loads the config (the sandbox's when there is none) and returns
// a client of the daemon it describes.
func clientFor(name string, args []string) (*daemonClient, []string, int) {
	fs, path := newFlagSet(name)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return nil, nil, flagExit(err)
	}
	cfg, err := loadConfig(*path, config.LoadOptions{AllowSandbox: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge "+name+":", err)
		return nil, nil, 1
	}
	return newDaemonClient(cfg), rest, 0
}

func cmdScan(args []string) int {
	c, rest, code := clientFor("scan", args)
	if c == nil {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(os.Stderr, "usage: posbridge scan CODE [--config FILE]")
		return 2
	}
	var res struct {
		Code    string `json:"code"`
		Action  string `json:"action"`
		Status  string `json:"status"`
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	status, err := c.call("POST", "/api/scan?source=cli", map[string]string{"code": rest[0]}, &res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge scan:", err)
		return 1
	}
	if status >= 300 {
		fmt.Fprintf(os.Stderr, "%s: %s\n", rest[0], res.Error)
		return 1
	}
	fmt.Printf("%s: %s (%s) %s\n", rest[0], res.Action, res.Status, res.Message)
	return 0
}

func cmdSubmit(args []string) int {
	c, rest, code := clientFor("submit", args)
	if c == nil {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(os.Stderr, "usage: posbridge submit FILE.json [--config FILE]")
		return 2
	}
	body, err := os.ReadFile(rest[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge submit:", err)
		return 1
	}
	var res struct {
		ID       int64  `json:"id"`
		State    string `json:"state"`
		Error    string `json:"error"`
		Problems []struct {
			Field   string `json:"field"`
			Problem string `json:"problem"`
		} `json:"problems"`
	}
	status, err := c.call("POST", "/api/pos/orders", body, &res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge submit:", err)
		return 1
	}
	if status != 202 {
		fmt.Fprintf(os.Stderr, "%s was not accepted: %s\n", rest[0], res.Error)
		for _, p := range res.Problems {
			fmt.Fprintf(os.Stderr, "  %s: %s\n", p.Field, p.Problem)
		}
		return 1
	}
	fmt.Printf("queued as offline order %d; `GET /api/pos/orders/%d` shows when it is submitted\n", res.ID, res.ID)
	return 0
}

func cmdReprint(args []string) int {
	fs, path := newFlagSet("orders reprint")
	doc := fs.String("doc", "receipt", "what to reprint: receipt | kitchen | label")
	only := fs.String("printer", "", "only this printer")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) != 1 {
		return usageError(fs, os.Stderr, "give one order code")
	}
	cfg, err := loadConfig(*path, config.LoadOptions{AllowSandbox: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge orders reprint:", err)
		return 1
	}
	var res struct {
		Jobs  int    `json:"jobs"`
		Error string `json:"error"`
	}
	status, err := newDaemonClient(cfg).call("POST", "/api/orders/"+rest[0]+"/reprint", map[string]string{"doc": *doc, "printer": *only}, &res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge orders reprint:", err)
		return 1
	}
	if status != 202 {
		fmt.Fprintf(os.Stderr, "%s: %s\n", rest[0], res.Error)
		return 1
	}
	fmt.Printf("%s: %d %s job(s) queued with the 补打 mark\n", rest[0], res.Jobs, *doc)
	return 0
}

func cmdShowOrder(args []string) int {
	c, rest, code := clientFor("orders show", args)
	if c == nil {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(os.Stderr, "usage: posbridge orders show CODE [--config FILE]")
		return 2
	}
	var o struct {
		Code        string `json:"code"`
		StatusLabel string `json:"status_label"`
		TypeLabel   string `json:"type_label"`
		PickupNo    string `json:"pickup_no"`
		Error       string `json:"error"`
		Items       []struct {
			Name     string `json:"name"`
			Quantity int    `json:"quantity"`
			Spec     string `json:"spec"`
		} `json:"items"`
		History []struct {
			At     time.Time `json:"at"`
			Actor  string    `json:"actor"`
			To     string    `json:"to"`
			Reason string    `json:"reason"`
		} `json:"history"`
		Printed []struct {
			Printer string `json:"printer"`
			Doc     string `json:"doc"`
			State   string `json:"state"`
		} `json:"printed"`
	}
	status, err := c.call("GET", "/api/orders/"+rest[0], nil, &o)
	if err != nil || status != 200 {
		fmt.Fprintln(os.Stderr, "posbridge orders show:", err, o.Error)
		return 1
	}
	fmt.Printf("订单 %s  %s  %s  取餐号 %s\n", o.Code, o.StatusLabel, o.TypeLabel, o.PickupNo)
	for _, it := range o.Items {
		fmt.Printf("  %s ×%d %s\n", it.Name, it.Quantity, it.Spec)
	}
	fmt.Println("history:")
	for _, h := range o.History {
		fmt.Printf("  %s  %s %s %s\n", h.At.Format("2006-01-02 15:04:05.000"), padRight(h.Actor, 12), padRight(h.To, 16), h.Reason)
	}
	fmt.Println("prints:")
	for _, p := range o.Printed {
		fmt.Printf("  %s %s %s\n", padRight(p.Printer, 10), padRight(p.Doc, 8), p.State)
	}
	return 0
}
