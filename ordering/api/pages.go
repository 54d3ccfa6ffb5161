package api

import (
	"net/http"
	"sync"

	"github.com/posbridge/posbridge/ordering/menu"
)

// pageKey names one rendered products page of a menu.
type pageKey struct {
	m          *menu.Menu
	table      int64
	category   int64 // -1: every category
	page, size string
}

// pageCache keeps rendered products pages of the current menus. A menu is
// never modified (an edit loads a new one), so a page stays right for as
// long as its menu is current; pages of replaced menus are dropped when
// the cache fills.
type pageCache struct {
	mu    sync.RWMutex
	pages map[pageKey][]byte
}

const maxCachedPages = 512

func (c *pageCache) get(m *menu.Menu, k pageKey) ([]byte, bool) {
	k.m = m
	c.mu.RLock()
	defer c.mu.RUnlock()
	b, ok := c.pages[k]
	return b, ok
}

func (c *pageCache) put(m *menu.Menu, k pageKey, body []byte) {
	k.m = m
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil || len(c.pages) >= maxCachedPages {
		c.pages = map[pageKey][]byte{}
	}
	c.pages[k] = body
}

// writeRaw answers a rendered JSON body.
func writeRaw(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
