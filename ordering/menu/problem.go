package menu

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong in a menu file, said for the installer: where
// (line and column of the file, the key path) and what to do, in Chinese.
type Problem struct {
	Line    int
	Column  int
	Path    string // e.g. products[2].specs[0].price; "" for the whole file
	Message string
}

// String is "第 12 行第 7 列 products[2].specs[0].price：…".
func (p Problem) String() string {
	where := ""
	if p.Line > 0 {
		where = fmt.Sprintf("第 %d 行", p.Line)
		if p.Column > 0 {
			where += fmt.Sprintf("第 %d 列", p.Column)
		}
	}
	if p.Path != "" {
		where = strings.TrimSpace(where + " " + p.Path)
	}
	if where == "" {
		return p.Message
	}
	return where + "：" + p.Message
}

// Problems is every problem of a menu; as an error it lists them all.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return "菜单有 " + fmt.Sprint(len(ps)) + " 处问题：\n" + strings.Join(lines, "\n")
}
