package menu

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize bounds a menu file: a store's menu is some kilobytes; a huge
// file is a mistake (a picture pasted in) and must not stall the daemon.
const MaxFileSize = 4 << 20

// MaxProducts bounds the products of one menu.
const MaxProducts = 5000

// Check lists every problem of a menu file (YAML or JSON); none means it
// loads.
func Check(data []byte) []Problem {
	_, err := Parse(data)
	var ps Problems
	if errors.As(err, &ps) {
		return ps
	}
	return nil
}

// Parse loads a menu from the bytes of its file. Its error is Problems.
func Parse(data []byte) (*Menu, error) {
	doc, ps := parseDocument(data)
	if ps != nil {
		return nil, ps
	}
	return decodeDocument(doc)
}

// Load reads and parses a menu file.
func Load(path string) (*Menu, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	m, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func readFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("读取菜单文件：%w", err)
	}
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("菜单文件 %s 有 %d 字节，超过上限 %d 字节", path, fi.Size(), MaxFileSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取菜单文件：%w", err)
	}
	return data, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseDocument parses YAML (JSON is YAML too) into a node tree.
func parseDocument(data []byte) (*yaml.Node, Problems) {
	if len(data) > MaxFileSize {
		return nil, Problems{{Message: fmt.Sprintf("文件有 %d 字节，超过上限 %d 字节", len(data), MaxFileSize)}}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p := Problem{Message: "格式错误：" + err.Error()}
		if m := yamlLine.FindStringSubmatch(strings.TrimSpace(err.Error())); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Message = "格式错误：" + m[2] + "（问题在这一行或下面几行；常见原因：缩进没对齐、冒号后缺空格、用了制表符、引号或括号没配对）"
		}
		return nil, Problems{p}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, Problems{{Message: "文件是空的：请用 posbridge menu init 生成示例再修改"}}
	}
	return &doc, nil
}

// decodeDocument decodes and validates a parsed menu.
func decodeDocument(doc *yaml.Node) (*Menu, error) {
	d := &decoder{}
	m := &Menu{}
	d.object(doc, "", fieldSet{
		required: []string{"restaurant", "products"},
		handlers: map[string]field{
			"restaurant": func(v *yaml.Node, p string) { d.restaurant(v, p, &m.Restaurant) },
			"products": func(v *yaml.Node, p string) {
				d.list(v, p, func(i int, e *yaml.Node, p string) {
					if i == MaxProducts {
						d.add(e, p, "商品太多：最多 %d 个", MaxProducts)
					}
					if i >= MaxProducts {
						return
					}
					d.productNodes = append(d.productNodes, e)
					m.Products = append(m.Products, d.product(e, p))
				})
			},
		},
	})
	d.validate(m)
	if len(d.problems) > 0 {
		return nil, d.problems
	}
	return m, nil
}
