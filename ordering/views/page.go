package views

import (
	"errors"
	"net/url"
	"strconv"
)

// ErrInvalidPage: a page past the end (404 {"detail": "无效页面。"}).
var ErrInvalidPage = errors.New("无效页面。")

// Page sizes of DRF's PageNumberPagination as the digest sets them (§1.5).
const (
	DefaultPageSize = 20
	MaxPageSize     = 1000
)

// Page is the seed's list shape, with "code": 0 always (digest §1.5).
type Page[T any] struct {
	Count    int     `json:"count"`
	Code     int     `json:"code"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  []T     `json:"results"`
}

// Paginate cuts page (1-based; "" = 1, "last" = the last) of items, with
// page_size from the query (default 20, at most 1000). next and previous
// are relative links: path and the query with page replaced.
func Paginate[T any](items []T, path string, query url.Values) (Page[T], error) {
	size := DefaultPageSize
	if s := query.Get("page_size"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			size = min(n, MaxPageSize)
		}
	}
	pages := max(1, (len(items)+size-1)/size)
	page := 1
	switch s := query.Get("page"); s {
	case "":
	case "last":
		page = pages
	default:
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > pages {
			return Page[T]{}, ErrInvalidPage
		}
		page = n
	}
	lo, hi := (page-1)*size, min(page*size, len(items))
	p := Page[T]{Count: len(items), Results: append([]T{}, items[lo:hi]...)}
	link := func(n int) *string {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set("page", strconv.Itoa(n))
		s := path + "?" + q.Encode()
		return &s
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	if page > 1 {
		p.Previous = link(page - 1)
	}
	return p, nil
}
