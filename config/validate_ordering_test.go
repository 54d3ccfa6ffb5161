package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/ordering/menu"
)

// orderingConfig turns the channel on for restaurant 1 of store 1862 with
// the example menu beside the config; override replaces whole lines of the
// ordering section by key.
func orderingConfig(t *testing.T, override map[string]string) *Config {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "menu-1.yaml"), string(menu.Example()))
	lines := [][2]string{{"listen", "127.0.0.1:8688"}, {"public_url", "https://order.example.com"},
		{"restaurants", `[ { id: 1, store_id: "1862", menu_file: menu-1.yaml } ]`}}
	body := "ordering:\n"
	for _, l := range lines {
		v, ok := override[l[0]]
		if !ok {
			v = l[1]
		}
		body += "  " + l[0] + ": " + v + "\n"
	}
	for k, v := range override {
		if k != "listen" && k != "public_url" && k != "restaurants" {
			body += "  " + k + ": " + v + "\n"
		}
	}
	path := filepath.Join(dir, FileName)
	writeFile(t, path, minimalYAML+body)
	c, err := Load(LoadOptions{Path: path, Env: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func orderingProblems(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if strings.HasPrefix(p.Key, "ordering") {
			out = append(out, p)
		}
	}
	return out
}

func TestOrderingSectionValid(t *testing.T) {
	c := orderingConfig(t, nil)
	if ps := orderingProblems(c.Validate()); len(ps) != 0 {
		t.Fatalf("want no problems:%s", problemLines(ps))
	}
	if got := c.MenuPath(c.Ordering.Restaurants[0]); got != filepath.Join(filepath.Dir(c.File), "menu-1.yaml") {
		t.Errorf("menu path %s: want beside the config", got)
	}
	if c.Ordering.TakeCodeStart != 5001 || c.Ordering.AcceptDeadline.Minutes() != 10 {
		t.Errorf("defaults: %+v", c.Ordering)
	}
}

func TestOrderingSectionProblems(t *testing.T) {
	for _, tc := range []struct {
		name, extra, key, want string
		warning                bool
	}{
		{"overlaps console", "listen: 127.0.0.1:8686", "ordering.listen", "overlaps console.listen", false},
		{"LAN without TLS", "listen: 0.0.0.0:8688", "ordering.listen", "without TLS", true},
		{"unknown store", "restaurants: [ { id: 1, store_id: \"9\", menu_file: menu-1.yaml } ]", "ordering.restaurants[0].store_id", "not in stores", false},
		{"twice", "restaurants: [ { id: 1, store_id: \"1862\", menu_file: menu-1.yaml }, { id: 1, store_id: \"1862\", menu_file: menu-1.yaml } ]", "ordering.restaurants[1].id", "twice", false},
		{"missing menu", "restaurants: [ { id: 1, store_id: \"1862\", menu_file: nothere.yaml } ]", "ordering.restaurants[0].menu_file", "cannot read", false},
		{"bad proxy", "trusted_proxies: [ \"10.0.0/8\" ]", "ordering.trusted_proxies[0]", "CIDR", false},
		{"query in url", "public_url: https://order.example.com/?x=1", "ordering.public_url", "?…", false},
		{"take code", "take_code_start: 0", "ordering.take_code_start", "from 1", false},
		{"no restaurants", "restaurants: []", "ordering.restaurants", "is empty", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, v, _ := strings.Cut(tc.extra, ": ")
			c := orderingConfig(t, map[string]string{k: v})
			p, ok := findProblem(c.Validate(), tc.key, tc.want)
			if !ok {
				t.Fatalf("want %s %q:%s", tc.key, tc.want, problemLines(c.Validate()))
			}
			if p.Warning != tc.warning {
				t.Errorf("warning = %v, want %v", p.Warning, tc.warning)
			}
		})
	}
}

// Online payment needs https (WeChat and the providers call only https).
func TestOrderingPublicURLMustBeHTTPSForOnlinePayment(t *testing.T) {
	c := orderingConfig(t, nil)
	m, err := menu.Load(c.MenuPath(c.Ordering.Restaurants[0]))
	if err != nil {
		t.Fatal(err)
	}
	online := false
	for _, pt := range m.Restaurant.PaidTypes {
		online = online || pt.Value != menu.PaidOffline
	}
	c.Ordering.PublicURL = "http://192.168.1.20:8688"
	_, refused := findProblem(c.Validate(), "ordering.public_url", "must be https")
	if refused != online {
		t.Fatalf("example menu online=%v, refused=%v", online, refused)
	}
	if !online { // give the menu a WeChat payment type and check again
		path := c.MenuPath(c.Ordering.Restaurants[0])
		data, _ := os.ReadFile(path)
		edited := strings.Replace(string(data), "paid_types:", "paid_types:\n    - { value: 2, label: 微信支付 }", 1)
		writeFile(t, path, edited)
		if _, err := menu.Parse([]byte(edited)); err != nil {
			t.Skipf("cannot add a WeChat paid type to the example: %v", err)
		}
		if _, ok := findProblem(c.Validate(), "ordering.public_url", "must be https"); !ok {
			t.Fatalf("want the https refusal:%s", problemLines(c.Validate()))
		}
	}
}

func TestMenuPathUnderDataDirWhenConfigFolderReadOnly(t *testing.T) {
	if os.Geteuid() == 0 {
		// root writes anywhere: simulate with a config folder that is gone
		c := &Config{File: filepath.Join(t.TempDir(), "gone", FileName), DataDir: "/var/lib/posbridge"}
		got := c.MenuPath(RestaurantConfig{MenuFile: "menu-1.yaml"})
		if got != filepath.Join("/var/lib/posbridge", "menus", "menu-1.yaml") {
			t.Fatalf("got %s", got)
		}
		return
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	c := &Config{File: filepath.Join(dir, FileName), DataDir: "/var/lib/posbridge"}
	if got := c.MenuPath(RestaurantConfig{MenuFile: "menu-1.yaml"}); got != filepath.Join("/var/lib/posbridge", "menus", "menu-1.yaml") {
		t.Fatalf("got %s", got)
	}
}

func TestOrderingPublicURLMustBeHTTPSWithWeChatPay(t *testing.T) {
	c := orderingConfig(t, map[string]string{"public_url": "http://192.168.1.20:8688"})
	if _, ok := findProblem(c.Validate(), "ordering.public_url", "must be https"); ok {
		t.Fatal("offline payment only: http is allowed")
	}
	c.WeChatPay.Enabled = true
	if _, ok := findProblem(c.Validate(), "ordering.public_url", "wechatpay.enabled"); !ok {
		t.Fatalf("with the WeChat Pay sync on: %s", problemLines(c.Validate()))
	}
}
