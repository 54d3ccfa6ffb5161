package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer"
)

// Settings applies edits of the settings layer (data_dir/settings.yaml) to
// the running daemon: the console's saves at once, hand edits when the
// file changes. An edit is validated first; a broken one is refused with
// its reason and the running configuration stays.
type Settings struct {
	mu     sync.Mutex
	cur    *config.Config
	editor config.Editor
	// install puts a validated configuration into service.
	install func(cur, next *config.Config) error
	log     *slog.Logger
	bus     *bridge.Bus
	// restartNotice says when an edit touched sections read only at start
	// (live mode; setup mode goes live with all of them).
	restartNotice bool
}

// Current is the configuration in service (the file merged with the layer).
func (s *Settings) Current() *config.Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

// Apply validates the edits, writes them to the layer and puts them into
// service. A refused edit returns a *config.EditError.
func (s *Settings) Apply(edits ...config.Edit) (*config.Config, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next, err := s.editor.Apply(s.cur, edits...)
	if err != nil {
		return nil, err
	}
	return next, s.installLocked(next)
}

func (s *Settings) installLocked(next *config.Config) error {
	if s.install != nil {
		if err := s.install(s.cur, next); err != nil {
			return fmt.Errorf("设置已保存，但未能生效：%w", err)
		}
	}
	if later := needRestart(s.cur, next); len(later) > 0 && s.restartNotice {
		s.log.Warn("settings saved; these sections apply after a restart", "sections", later)
		if s.bus != nil {
			s.bus.Publish(bridge.Event{Type: bridge.EvAlert, Kind: "settings", Level: bridge.LevelWarn,
				Message: "设置已保存；" + strings.Join(later, "、") + " 的修改在重启 posbridge 后生效（打印机、打印设置和单据样式已立即生效）"})
		}
	}
	s.cur = next
	return nil
}

// hotSections are applied at once; every other section of the config is
// read at start-up only.
var hotSections = map[string]bool{"printers": true, "print": true, "layouts": true}

// needRestart names the sections that changed but apply only after a restart.
func needRestart(cur, next *config.Config) []string {
	a, b := reflect.ValueOf(cur).Elem(), reflect.ValueOf(next).Elem()
	var out []string
	for i := range a.NumField() {
		f := a.Type().Field(i)
		tag := strings.Split(f.Tag.Get("mapstructure"), ",")[0]
		if !f.IsExported() || tag == "" || tag == "-" || hotSections[tag] {
			continue
		}
		if !reflect.DeepEqual(a.Field(i).Interface(), b.Field(i).Interface()) {
			out = append(out, tag)
		}
	}
	return out
}

// reload reads the layer from disk after it changed.
func (s *Settings) reload() {
	s.mu.Lock()
	defer s.mu.Unlock()
	next, err := config.Reload(s.cur, nil)
	if err == nil {
		if added := config.NewErrors(s.cur.Validate(), next.Validate()); len(added) > 0 {
			err = &config.EditError{Problems: added}
		}
	}
	if err == nil {
		err = s.installLocked(next)
	}
	if err != nil {
		msg := err.Error()
		var ee *config.EditError
		if errors.As(err, &ee) {
			msg = "设置文件 " + config.SettingsPath(s.cur.DataDir) + " 的修改有误，未生效（仍按原设置运行）：" + msg[len("设置未保存："):]
		}
		s.log.Warn("settings layer changed but was not applied", "file", config.SettingsPath(s.cur.DataDir), "err", err)
		if s.bus != nil {
			s.bus.Publish(bridge.Event{Type: bridge.EvAlert, Kind: "settings", Level: bridge.LevelWarn, Message: msg})
		}
		return
	}
	s.log.Info("settings layer applied", "file", config.SettingsPath(s.cur.DataDir))
}

// watch reloads the layer whenever its file changes, until ctx ends. The
// folder is watched, not the file: the console saves by renaming a new
// file over the old one, and the file may not exist yet. (viper's
// WatchConfig cannot be stopped and ends the process when the watch cannot
// be set up; the daemon needs both.)
func (s *Settings) watch(ctx context.Context) error {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		s.log.Warn("settings layer: no file watch; edits from the console still apply", "err", err)
		return nil
	}
	defer fw.Close()
	dir := s.Current().DataDir
	if err := fw.Add(dir); err != nil {
		s.log.Warn("settings layer: no file watch; edits from the console still apply", "dir", dir, "err", err)
		return nil
	}
	target := config.SettingsFileName
	const settle = 200 * time.Millisecond
	var timer <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-fw.Events:
			if !ok {
				return nil
			}
			if filepath.Base(e.Name) == target && e.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename|fsnotify.Remove) != 0 {
				timer = time.After(settle) // an editor's save is a burst of events
			}
		case <-fw.Errors:
		case <-timer:
			timer = nil
			s.reload()
		}
	}
}

// printersChanged reports whether next needs a new printer fleet.
func printersChanged(cur, next *config.Config) bool {
	return !reflect.DeepEqual(cur.Printers, next.Printers) || !reflect.DeepEqual(cur.Print, next.Print) ||
		!reflect.DeepEqual(cur.Layouts, next.Layouts)
}

// fleetInstaller swaps the live fleet when the printers or print options
// changed.
func fleetInstaller(ctx context.Context, live *LiveFleet, build func(*config.Config) (*printer.Fleet, error)) func(cur, next *config.Config) error {
	return func(cur, next *config.Config) error {
		if !printersChanged(cur, next) {
			return nil
		}
		f, err := build(next)
		if err != nil {
			return err
		}
		return live.swap(ctx, f)
	}
}
