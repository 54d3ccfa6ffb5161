package console

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/printer/picture"
)

// jobPicture is a print job drawn as the printer draws it, from the bytes
// it was sent: PNG, one pixel per dot at ?scale=1 (default 1, up to 4).
func (s *Server) jobPicture(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	scale := 1
	if v := r.URL.Query().Get("scale"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 4 {
			writeError(w, http.StatusBadRequest, "scale 须为 1–4："+v)
			return
		}
		scale = n
	}
	pv, j, err := s.Bridge.JobPreview(r.Context(), id)
	if !jobFound(w, err) {
		return
	}
	opt := picture.Options{Scale: scale}
	for _, pc := range s.Config.Printers {
		if pc.Name != j.Printer {
			continue
		}
		if p, err := printer.ProfileFromConfig(pc); err == nil {
			opt.Dots, opt.DPI = p.Dots, p.Label.DPI
		}
	}
	var buf bytes.Buffer
	if err := picture.WritePNG(&buf, pv, opt); err != nil {
		writeError(w, http.StatusUnprocessableEntity, "无法绘制这张单据："+err.Error())
		return
	}
	w.Header().Set("Content-Type", "image/png")
	if j.State == "done" || j.State == "dropped" {
		w.Header().Set("Cache-Control", "private, max-age=86400") // the bytes of a finished job never change
	} else {
		w.Header().Set("Cache-Control", "no-store")
	}
	_, _ = w.Write(buf.Bytes())
}
