package menu

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Change is one edit of a menu file, made on its YAML node tree so that the
// store's comments and layout stay.
type Change interface {
	// apply edits the document; m is the menu before the edit. It returns
	// a sentence for the audit log.
	apply(doc *yaml.Node, m *Menu) (string, error)
}

// ErrShared refuses an edit of something a YAML anchor shares between
// several places: the console would change more than staff asked for.
var ErrShared = errors.New("这一项通过 YAML 锚点（&名字 / *名字）与别处共用，请直接在菜单文件里修改")

// Edit applies changes to the menu file at path and writes it back: the
// result is validated first (nothing is written when it would not load) and
// replaces the file atomically. It returns the new menu and one sentence per
// change for the audit log. Edits of one file are serialised.
func Edit(path string, changes ...Change) (*Menu, []string, error) {
	mu := fileLock(path)
	mu.Lock()
	defer mu.Unlock()
	data, err := readFile(path)
	if err != nil {
		return nil, nil, err
	}
	out, summaries, err := EditBytes(data, isJSONFile(path, data), changes...)
	if err != nil {
		return nil, nil, err
	}
	if err := writeAtomic(path, out); err != nil {
		return nil, nil, err
	}
	m, err := Parse(out)
	return m, summaries, err
}

// EditBytes applies changes to the bytes of a menu file and returns the new
// bytes (JSON when asJSON), validated.
func EditBytes(data []byte, asJSON bool, changes ...Change) ([]byte, []string, error) {
	before, err := Parse(data)
	if err != nil {
		return nil, nil, fmt.Errorf("菜单文件现在就有问题，请先修正再修改：%w", err)
	}
	doc, ps := parseDocument(data)
	if ps != nil {
		return nil, nil, ps
	}
	if !asJSON {
		marked := &yaml.Node{}
		if err := yaml.Unmarshal(markBlankLines(data, doc), marked); err != nil {
			return nil, nil, err
		}
		doc = marked
	}
	var summaries []string
	for _, c := range changes {
		s, err := c.apply(doc, before)
		if err != nil {
			return nil, nil, err
		}
		summaries = append(summaries, s)
		// The next change sees this one (two raises of a QR version in one
		// edit make two versions, not one).
		if before, err = decodeDocument(doc); err != nil {
			return nil, nil, fmt.Errorf("修改后的菜单有问题，没有保存：%w", err)
		}
	}
	var out []byte
	if asJSON {
		out, err = encodeJSON(doc)
	} else {
		out, err = encodeYAML(doc)
	}
	if err != nil {
		return nil, nil, err
	}
	if _, err := Parse(out); err != nil {
		return nil, nil, fmt.Errorf("修改后的菜单有问题，没有保存：%w", err)
	}
	return out, summaries, nil
}

var fileLocks sync.Map

func fileLock(path string) *sync.Mutex {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	mu, _ := fileLocks.LoadOrStore(abs, new(sync.Mutex))
	return mu.(*sync.Mutex)
}

// writeAtomic replaces path with data: a temporary file beside it, synced,
// renamed over it, so a crash or a full disk leaves the old menu or the new
// one, never half of one. The file keeps its permissions.
func writeAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("保存菜单：%w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("保存菜单：%w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("保存菜单：%w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("保存菜单：%w", err)
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return fmt.Errorf("保存菜单：%w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("保存菜单：%w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // the rename itself durable; not supported everywhere
		d.Close()
	}
	return nil
}
