package wire

import "strings"

// JoinURL appends path to base ("https://h/x" + "/a/b" → "https://h/x/a/b").
func JoinURL(base, path string) string {
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(path, "/")
}
