package logrotate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestRotatesBySizeAndKeepsBoundedCount(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "logs", "posbridge.log")
	l, err := Open(path, 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	// 40-byte lines: two fit in 100 bytes, the third rotates.
	for i := range 10 {
		fmt.Fprintf(l, "line %02d %s\n", i, strings.Repeat("x", 31))
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	entries, _ := os.ReadDir(filepath.Join(dir, "logs"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"posbridge.1.log", "posbridge.2.log", "posbridge.log"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("files = %v, want %v", names, want)
	}
	for name, lines := range map[string]string{
		"posbridge.log":   "line 08,line 09",
		"posbridge.1.log": "line 06,line 07",
		"posbridge.2.log": "line 04,line 05",
	} {
		data, err := os.ReadFile(filepath.Join(dir, "logs", name))
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 100 {
			t.Errorf("%s is %d bytes, over the 100-byte limit", name, len(data))
		}
		for _, l := range strings.Split(lines, ",") {
			if !strings.Contains(string(data), l) {
				t.Errorf("%s lacks %q:\n%s", name, l, data)
			}
		}
	}
}

func TestReopenAppendsAndCountsExistingSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "posbridge.log")
	if err := os.WriteFile(path, []byte(strings.Repeat("a", 90)+"\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	l, err := Open(path, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	l.Write([]byte("this line does not fit\n"))
	l.Close()
	old, _ := os.ReadFile(l.Rotated(1))
	cur, _ := os.ReadFile(path)
	if len(old) != 91 || string(cur) != "this line does not fit\n" {
		t.Fatalf("rotated %q, current %q", old, cur)
	}
}

func TestKeepZeroTruncates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.log")
	l, _ := Open(path, 10, 0)
	l.Write([]byte("12345678\n"))
	l.Write([]byte("abc\n"))
	l.Close()
	entries, _ := os.ReadDir(filepath.Dir(path))
	cur, _ := os.ReadFile(path)
	if len(entries) != 1 || string(cur) != "abc\n" {
		t.Fatalf("entries %d, current %q", len(entries), cur)
	}
}

func TestConcurrentWritersLoseNoLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.log")
	l, _ := Open(path, 1<<10, 1000)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				fmt.Fprintf(l, "g%d-%03d\n", g, i)
			}
		})
	}
	wg.Wait()
	l.Close()
	all := ""
	for i := 1; ; i++ {
		data, err := os.ReadFile(l.Rotated(i))
		if err != nil {
			break
		}
		all += string(data)
	}
	cur, _ := os.ReadFile(path)
	all += string(cur)
	if n := strings.Count(all, "\n"); n != 800 {
		t.Fatalf("%d lines, want 800", n)
	}
}

func TestWriteAfterCloseFails(t *testing.T) {
	l, _ := Open(filepath.Join(t.TempDir(), "p.log"), 10, 1)
	l.Close()
	if _, err := l.Write([]byte("x")); err == nil {
		t.Fatal("write after close succeeded")
	}
}
