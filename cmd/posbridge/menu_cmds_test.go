package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func menuInitCmd(args []string, o, e *bytes.Buffer) int  { return menuInit(args, o, e) }
func menuCheckCmd(args []string, o, e *bytes.Buffer) int { return menuCheck(args, o, e) }
func tablesQRCmd(args []string, o, e *bytes.Buffer) int  { return tablesQR(args, o, e) }

func TestMenuInitAndCheck(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "menus", "menu-1862.yaml")
	if code, out, errs := runCmd(menuInitCmd, file); code != 0 || !strings.Contains(out, "wrote "+file) {
		t.Fatalf("init: %d %s %s", code, out, errs)
	}
	if code, _, errs := runCmd(menuInitCmd, file); code != 1 || !strings.Contains(errs, "already exists") {
		t.Fatalf("init over a file: %d %s", code, errs)
	}
	if code, _, _ := runCmd(menuInitCmd, file, "--force"); code != 0 {
		t.Fatal("init --force")
	}
	code, out, _ := runCmd(menuCheckCmd, file)
	if code != 0 || !strings.Contains(out, "菜单正确（茶语时光：4 个分类，6 个商品，6 个桌台）") || strings.Contains(out, "警告") {
		t.Fatalf("check: %d %s", code, out)
	}

	// A broken menu: every problem with its line, exit 1.
	data, _ := os.ReadFile(file)
	broken := strings.Replace(string(data), "price: 22.00", "price: 22.001", 1)
	broken = strings.Replace(broken, "item_name: 葡式蛋挞", "itemname: 葡式蛋挞", 1)
	os.WriteFile(file, []byte(broken), 0o644)
	code, out, _ = runCmd(menuCheckCmd, file)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 1 || len(lines) != 4 {
		t.Fatalf("check of a broken menu: %d\n%s", code, out)
	}
	for _, want := range []string{
		file + ":160:34: products[3].specs[0].price：金额格式错误：\"22.001\" 最多两位小数",
		file + ":164:5: products[4].item_name：缺少 item_name",
		file + ":165:5: products[4].itemname：不认识的键 \"itemname\"，是不是 \"item_name\"？",
		"共 3 处问题，菜单没有生效",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}

	// Names the sticker font cannot draw are warned about.
	os.WriteFile(file, []byte(strings.Replace(string(data), "name: 茶语时光", "name: 喆喆茶语", 1)), 0o644)
	if code, out, _ := runCmd(menuCheckCmd, file); code != 0 || !strings.Contains(out, "警告：餐厅名称「喆喆茶语」里的“喆”") {
		t.Fatalf("%d %s", code, out)
	}
	if code, _, _ := runCmd(menuCheckCmd); code != 2 {
		t.Fatal("check without FILE")
	}
	if code, _, errs := runCmd(menuCheckCmd, filepath.Join(dir, "none.yaml")); code != 1 || errs == "" {
		t.Fatal("check of a missing file")
	}
}

// The command is registered under its contract name.
func TestMenuCommandsRegistered(t *testing.T) {
	for _, name := range []string{"menu init", "menu check", "tables qr"} {
		if _, ok := commands[name]; !ok {
			t.Errorf("%q not registered", name)
		}
	}
}

func TestTablesQR(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "menu.yaml")
	runCmd(menuInitCmd, file)
	out := filepath.Join(dir, "stickers")
	code, stdout, errs := runCmd(tablesQRCmd, "--menu", file, "--public-url", "https://order.example.com", "--out", out, "--restaurant", "1862")
	if code != 0 {
		t.Fatalf("%d %s %s", code, stdout, errs)
	}
	for _, name := range []string{"table-1.png", "table-4.png", "takeout.png", "wait-pickup.png", "stickers.pdf"} {
		if fi, err := os.Stat(filepath.Join(out, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if !strings.Contains(stdout, "6 stickers on 1 A4 pages") {
		t.Fatal(stdout)
	}
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("zbarimg is missing (scripts/ci-deps.sh installs zbar-tools)")
		}
		t.Skip("zbarimg not installed")
	}
	got, err := exec.Command(zbar, "-q", "--raw", filepath.Join(out, "takeout.png")).Output()
	if err != nil || strings.TrimSpace(string(got)) != "https://order.example.com/?rid=1862&tid=-1&ver=1" {
		t.Fatalf("takeout.png decodes to %q (%v)", got, err)
	}

	one := filepath.Join(dir, "one")
	if code, _, errs := runCmd(tablesQRCmd, "--menu", file, "--public-url", "https://order.example.com", "--out", one, "--table", "2"); code != 0 {
		t.Fatal(errs)
	}
	if entries, _ := os.ReadDir(one); len(entries) != 2 {
		t.Fatalf("one table: %v", entries)
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--menu", file, "--out", out}, 2, "required"},
		{[]string{"--menu", file, "--public-url", "order.example.com", "--out", out}, 1, "公开网址"},
		{[]string{"--menu", file, "--public-url", "https://x.com", "--out", out, "--table", "9"}, 1, "桌台 9 不在菜单里"},
		{[]string{"--menu", filepath.Join(dir, "none.yaml"), "--public-url", "https://x.com", "--out", out}, 1, "读取菜单文件"},
	} {
		if code, _, errs := runCmd(tablesQRCmd, c.args...); code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: %d %s", c.args, code, errs)
		}
	}
}

// With a config, `tables qr` needs only --out: the menu and the URL are
// the ordering section's.
func TestTablesQRFromConfig(t *testing.T) {
	dir := t.TempDir()
	runCmd(menuInitCmd, filepath.Join(dir, "menu-1862.yaml"))
	cfg := filepath.Join(dir, "posbridge.yaml")
	if err := os.WriteFile(cfg, []byte("stores: [ { id: \"1862\", name: 南翔一店 } ]\nordering:\n  public_url: https://order.example.com\n"+
		"  restaurants: [ { id: 7, store_id: \"1862\", menu_file: menu-1862.yaml } ]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "stickers")
	code, stdout, errs := runCmd(tablesQRCmd, "--config", cfg, "--out", out)
	if code != 0 || !strings.Contains(stdout, "https://order.example.com/?rid=7&tid=1&ver=1") {
		t.Fatalf("%d %s %s", code, stdout, errs)
	}
	if code, _, errs := runCmd(tablesQRCmd, "--config", cfg, "--out", out, "--restaurant", "9"); code != 2 || !strings.Contains(errs, "id 9") {
		t.Fatalf("unknown restaurant: %d %s", code, errs)
	}
}
