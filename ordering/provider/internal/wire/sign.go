package wire

import (
	"net/url"
	"sort"
	"strings"
)

// SortedPairs is the string 钱方 and 收钱吧's WAP cashier sign: every
// parameter with a non-empty value, except the skipped names, sorted by name
// (byte order), joined as name=value with &, values raw (not escaped).
func SortedPairs(params url.Values, skip ...string) string {
	names := make([]string, 0, len(params))
	for k, vs := range params {
		if len(vs) == 0 || vs[0] == "" || contains(skip, k) {
			continue
		}
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for i, k := range names {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(params.Get(k))
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
