package menu

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWatcher(t *testing.T) {
	path := writeTemp(t, "menu.yaml", Example())
	changes := make(chan *Menu, 10)
	errs := make(chan error, 10)
	w, err := Watch(context.Background(), path, WatchOptions{
		OnChange: func(m *Menu) { changes <- m },
		OnError:  func(err error) { errs <- err },
		Poll:     time.Second,
		Settle:   20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	price := func(m *Menu) Fen {
		p, _ := m.Product(104)
		return p.Specs[0].Price
	}
	if price(w.Menu()) != 2200 {
		t.Fatal("initial menu")
	}
	waitChange := func(want Fen) {
		t.Helper()
		select {
		case m := <-changes:
			if price(m) != want || price(w.Menu()) != want {
				t.Fatalf("price %d, want %d", price(m), want)
			}
		case err := <-errs:
			t.Fatalf("error instead of a change: %v", err)
		case <-time.After(10 * time.Second):
			t.Fatal("no change seen")
		}
	}

	// An editor that writes a new file and renames it over the old one.
	tmp := filepath.Join(filepath.Dir(path), ".menu.yaml.swp")
	os.WriteFile(tmp, []byte(strings.Replace(string(Example()), "price: 22.00", "price: 23.00", 1)), 0o644)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	waitChange(2300)

	// A broken save keeps the previous menu and says what is wrong.
	os.WriteFile(path, []byte(strings.Replace(string(Example()), "price: 22.00", "price: 22.0.0", 1)), 0o644)
	select {
	case err := <-errs:
		var ps Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Path != "products[3].specs[0].price" || ps[0].Line == 0 {
			t.Fatalf("%v", err)
		}
	case m := <-changes:
		t.Fatalf("a broken menu was taken: %v", m)
	case <-time.After(10 * time.Second):
		t.Fatal("no error reported")
	}
	if price(w.Menu()) != 2300 {
		t.Fatal("the previous menu was not kept")
	}

	// Fixed in place (an editor that truncates and writes).
	os.WriteFile(path, []byte(strings.Replace(string(Example()), "price: 22.00", "price: 24.00", 1)), 0o644)
	waitChange(2400)

	// An edit through Edit, then Reload, serves the new menu at once.
	if _, _, err := Edit(path, SetPrice(104, 0, 2500)); err != nil {
		t.Fatal(err)
	}
	if err := w.Reload(); err != nil {
		t.Fatal(err)
	}
	if price(w.Menu()) != 2500 {
		t.Fatal("Reload did not take the edit")
	}
}

// Without change events (a network share) the poll finds the change.
func TestWatcherPolls(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "menu.yaml")
	os.WriteFile(path, Example(), 0o644)
	changes := make(chan *Menu, 10)
	w, err := Watch(context.Background(), path, WatchOptions{OnChange: func(m *Menu) { changes <- m }, Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.noEvents() // as if the folder could not be watched
	os.WriteFile(path, []byte(strings.Replace(string(Example()), "price: 22.00", "price: 26.00", 1)), 0o644)
	// The poll compares size and time: make sure the time moved on even on
	// a file system with coarse timestamps.
	os.Chtimes(path, time.Now().Add(time.Minute), time.Now().Add(time.Minute))
	select {
	case <-changes:
	case <-time.After(10 * time.Second):
		t.Fatal("the poll did not see the change")
	}
}

func TestWatchRefusesABrokenStart(t *testing.T) {
	path := writeTemp(t, "menu.yaml", []byte("restaurant: {}\nproducts: []\n"))
	if _, err := Watch(context.Background(), path, WatchOptions{}); err == nil {
		t.Fatal("a broken menu was accepted at the start")
	}
	if _, err := Watch(context.Background(), filepath.Join(t.TempDir(), "none.yaml"), WatchOptions{}); err == nil {
		t.Fatal("a missing menu was accepted")
	}
}
