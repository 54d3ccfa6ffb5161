package menu

import (
	"bytes"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// blankMarker stands in for a blank line while the file passes through
// yaml.v3, which keeps comments but drops blank lines: a store's hand-made
// spacing survives an edit made in the console.
const blankMarker = "#posbridge:blank-line"

// markBlankLines replaces the blank lines of a YAML file (not those inside
// block scalars, where they are content) with marker comments indented like
// the line that follows, so yaml.v3 attaches them where the blank line was.
func markBlankLines(src []byte, doc *yaml.Node) []byte {
	lines := strings.Split(string(src), "\n")
	protected := blockScalarLines(doc, len(lines))
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.TrimSpace(lines[i]) != "" || protected[i+1] {
			continue
		}
		next := ""
		for j := i + 1; j < len(lines); j++ {
			if strings.TrimSpace(lines[j]) != "" {
				next = lines[j]
				break
			}
		}
		if next == "" {
			continue // trailing blank lines: the encoder ends the file itself
		}
		indent := next[:len(next)-len(strings.TrimLeft(next, " "))]
		lines[i] = indent + blankMarker
	}
	return []byte(strings.Join(lines, "\n"))
}

// unmarkBlankLines turns the marker comments back into blank lines.
func unmarkBlankLines(out []byte) []byte {
	lines := strings.Split(string(out), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == blankMarker {
			lines[i] = ""
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

// blockScalarLines are the 1-based lines holding the content of literal and
// folded scalars: from the line after the indicator up to the next node.
func blockScalarLines(doc *yaml.Node, nlines int) map[int]bool {
	var starts []int
	var blocks []int
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		starts = append(starts, n.Line)
		if n.Kind == yaml.ScalarNode && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle)) != 0 {
			blocks = append(blocks, n.Line)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc)
	sort.Ints(starts)
	protected := map[int]bool{}
	for _, b := range blocks {
		end := nlines
		if i := sort.SearchInts(starts, b+1); i < len(starts) {
			end = starts[i] - 1
		}
		for l := b + 1; l <= end; l++ {
			protected[l] = true
		}
	}
	return protected
}

// encodeYAML writes a document the way the example is written: two-space
// indentation, comments where they were, blank lines restored.
func encodeYAML(doc *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	e := yaml.NewEncoder(&b)
	e.SetIndent(2)
	if err := e.Encode(doc); err != nil {
		return nil, err
	}
	if err := e.Close(); err != nil {
		return nil, err
	}
	return unmarkBlankLines(b.Bytes()), nil
}
