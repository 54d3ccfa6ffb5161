package console

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer/discover"
	"github.com/posbridge/posbridge/printer/presets"
)

// SettingsEditor is the settings layer (data_dir/settings.yaml) as the
// console edits it; the daemon validates an edit, writes it and applies it
// without a restart.
type SettingsEditor interface {
	Current() *config.Config
	Apply(edits ...config.Edit) (*config.Config, error)
}

func (s *Server) routeSettings(mux *routeMux) {
	mux.HandleFunc("GET /api/settings/printers", s.getPrinterSettings)
	mux.HandleFunc("PUT /api/settings/printers", s.putPrinterSettings)
	mux.HandleFunc("GET /api/printers/presets", s.listPresets)
	mux.HandleFunc("POST /api/printers/discover", s.discoverPrinters)
	s.routeLayouts(mux)
	s.routeSetup(mux)
}

// current is the configuration in service: the file merged with the layer.
func (s *Server) current() *config.Config {
	if s.Settings != nil {
		return s.Settings.Current()
	}
	return s.Config
}

func (s *Server) getPrinterSettings(w http.ResponseWriter, r *http.Request) {
	c := s.current()
	printers := c.Printers
	if printers == nil {
		printers = []config.PrinterConfig{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"printers": printers, "stores": c.Stores,
		"file": c.File, "settings_file": config.SettingsPath(c.DataDir), "editable": s.Settings != nil})
}

// putPrinterSettings replaces the printer list (with each printer's routes)
// in the settings layer. A refused edit answers 422 with every problem.
func (s *Server) putPrinterSettings(w http.ResponseWriter, r *http.Request) {
	if s.Settings == nil {
		writeError(w, http.StatusServiceUnavailable, "此模式下不能在控制台修改设置")
		return
	}
	var body struct {
		Printers []config.PrinterConfig `json:"printers"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if body.Printers == nil {
		writeError(w, http.StatusBadRequest, "缺少 printers 列表")
		return
	}
	next, err := s.Settings.Apply(config.Edit{Key: "printers", Value: trimPrinters(body.Printers)})
	if !s.settingsSaved(w, err) {
		return
	}
	s.log().Info("printers changed from the console", "by", actorOf(r), "printers", len(next.Printers))
	writeJSON(w, http.StatusOK, map[string]any{"printers": next.Printers, "settings_file": next.Settings})
}

// settingsSaved answers a refused or failed edit and reports whether it was saved.
func (s *Server) settingsSaved(w http.ResponseWriter, err error) bool {
	var ee *config.EditError
	switch {
	case errors.As(err, &ee):
		problems := make([]map[string]string, 0, len(ee.Problems))
		for _, p := range ee.Problems {
			problems = append(problems, map[string]string{"key": p.Key, "message": p.Message})
		}
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": err.Error(), "problems": problems})
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
	default:
		return true
	}
	return false
}

// trimPrinters drops what the page sends empty, so that config's defaults
// apply to it (a printer's defaults are filled in when it is loaded).
func trimPrinters(ps []config.PrinterConfig) []config.PrinterConfig {
	out := make([]config.PrinterConfig, len(ps))
	for i, p := range ps {
		p.Name, p.Connection = strings.TrimSpace(p.Name), strings.TrimSpace(p.Connection)
		p.Match.ProductIDs = nonEmpty(p.Match.ProductIDs)
		p.Match.Names = nonEmpty(p.Match.Names)
		p.Match.Categories = nonEmpty(p.Match.Categories)
		p.Stores = nonEmpty(p.Stores)
		out[i] = p
	}
	return out
}

func nonEmpty(list []string) []string {
	var out []string
	for _, v := range list {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (s *Server) listPresets(w http.ResponseWriter, r *http.Request) {
	out := []map[string]any{}
	for _, p := range presets.All() {
		out = append(out, map[string]any{"preset": p, "settings": p.Settings()})
	}
	writeJSON(w, http.StatusOK, map[string]any{"presets": out})
}

// discoveredDevice is a found device with the presets that fit it.
type discoveredDevice struct {
	discover.Device
	StatusLabel string   `json:"status_label"`
	StatusQuery string   `json:"status_query,omitempty"` // the status_query it suggests
	ProblemText string   `json:"problem_label,omitempty"`
	Presets     []string `json:"presets,omitempty"` // ids, best first
	Configured  string   `json:"configured,omitempty"`
}

// discoverPrinters looks for printers: local ports and files (opened only
// with probe), the spooler, and the hosts named (an address, a range or a
// /24 on port 9100). The configured printers and the scanner's port are
// never opened.
func (s *Server) discoverPrinters(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Probe bool     `json:"probe"`
		Hosts []string `json:"hosts"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	c := s.current()
	skip := []string{c.Scanner.Serial}
	configured := map[string]string{}
	for _, p := range c.Printers {
		skip = append(skip, p.Connection)
		configured[strings.ToLower(p.Connection)] = p.Name
	}
	opt := discover.Options{Probe: body.Probe, Skip: skip, Hosts: nonEmpty(body.Hosts), ExtraSerial: s.DiscoverSerial}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	rep, err := discover.Run(ctx, opt)
	devices := make([]discoveredDevice, 0, len(rep.Devices))
	for _, d := range rep.Devices {
		dd := discoveredDevice{Device: d, StatusLabel: d.Status.Label(), StatusQuery: d.StatusQuery(), Configured: configured[strings.ToLower(d.Connection)]}
		if d.Problem != nil {
			dd.ProblemText = d.Problem.Label()
		}
		vid, pid := "", ""
		if d.USB != nil {
			vid, pid = d.USB.VendorID, d.USB.ProductID
		}
		for _, p := range presets.Match(vid, pid, d.Model+" "+d.Manufacturer) {
			dd.Presets = append(dd.Presets, p.ID)
		}
		devices = append(devices, dd)
	}
	out := map[string]any{"devices": devices, "failures": rep.Failures}
	if err != nil {
		out["error"] = err.Error()
	}
	writeJSON(w, http.StatusOK, out)
}
