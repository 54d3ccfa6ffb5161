package main

import (
	"bytes"
	"strings"
	"testing"
)

// Columns line up on the terminal after Chinese text: the third column
// starts at the same screen column on every row.
func TestTextTableAlignsChinese(t *testing.T) {
	var tab textTable
	tab.add("NAME", "STATUS", "DETAIL")
	tab.add("front", "正常", "")
	tab.add("后厨一号", "离线", "连接被拒绝")
	tab.add("cups", "unknown", "x")
	var buf bytes.Buffer
	tab.write(&buf)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	col := func(line, cell string) int { return displayWidth(line[:strings.Index(line, cell)]) }
	want := col(lines[0], "DETAIL")
	for i, cell := range []string{"连接被拒绝", "x"} {
		if got := col(lines[i+2], cell); got != want {
			t.Errorf("row %d: third column at %d, header at %d:\n%s", i+2, got, want, buf.String())
		}
	}
	if displayWidth("￥12.50") != 7 || displayWidth("南翔") != 4 {
		t.Error("display width of full-width and Chinese characters")
	}
}
